import type { Client } from "@microsoft/microsoft-graph-client";
import { X509Certificate } from "node:crypto";
import { selfSignedIdentity } from "../emulator/graph/tls";
import { PageIterator, type PageCollection } from "@microsoft/microsoft-graph-client";
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { formatGraphCall, startGraphEmulatorCommand } from "../cli/graphEmulator";
import { UsageError } from "../cli/io";
import { emulatorCredential, emulatorFetch, emulatorGraphClient, loadGraphSeed, startGraphEmulator, validateGraphSeed, type GraphEmulator, type GraphSeed } from "../emulator/graph";
import { captureIO } from "./support/io";

const SEED_FILE = join(__dirname, "../emulator/graph/seed.example.yaml");

const SPB = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46";
const BASIC = "3b555118-da6a-4418-894f-7df1e2096870";
const EXCHANGE = "4b9405b0-7788-4568-add1-99614e613b69";
const TEAMS1 = "57ff2da0-773e-42df-b2af-ffb7a2317929";
const EXCHANGE_S_STANDARD = "9aaf7827-d63c-4b61-89c3-182f06f82e5c";
const UNKNOWN_SKU = "6fd2c87f-b296-42f0-b197-1e91e994b900"; // ENTERPRISEPACK: real, but not bought by this tenant
const LICENSED_GROUP = "1f0e2d3c-0005-4b5a-9c8d-7e6f5a4b3c05";
const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de";
const HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const REPORTS_READER = "4a5d8f65-41da-4de4-8968-e035b65339cf";
const IT_ADMINS = "1f0e2d3c-0007-4b5a-9c8d-7e6f5a4b3c07";

const U = {
    jane: "0a1b2c3d-1001-4e5f-8a9b-0c1d2e3f4a01",
    raj: "0a1b2c3d-1002-4e5f-8a9b-0c1d2e3f4a02",
    mei: "0a1b2c3d-1003-4e5f-8a9b-0c1d2e3f4a03",
    tom: "0a1b2c3d-1004-4e5f-8a9b-0c1d2e3f4a04",
    sarah: "0a1b2c3d-1005-4e5f-8a9b-0c1d2e3f4a05",
    lucy: "0a1b2c3d-1006-4e5f-8a9b-0c1d2e3f4a06",
    peter: "9d8e7f6a-5b4c-4d3e-8f2a-1b0c9d8e7f6a",
    service: "0a1b2c3d-1009-4e5f-8a9b-0c1d2e3f4a09",
};

interface Tenant {
    emulator: GraphEmulator;
    seed: GraphSeed;
    /** the deploying app's client */
    graph: Client;
    /** the read-only app's client */
    reader: Client;
}

async function startTenant(change: (seed: GraphSeed) => void = () => {}): Promise<Tenant> {
    const seed = loadGraphSeed(SEED_FILE);
    change(seed);
    const emulator = await startGraphEmulator({ seed });
    const client = (app: number) => emulatorGraphClient(emulator.url, emulatorCredential(emulator.url, emulator.tenantId, seed.apps[app].clientId, seed.apps[app].clientSecret));
    return { emulator, seed, graph: client(0), reader: client(1) };
}

/** The GraphError the client throws for a failed call: status, code and message as Graph sent them. */
async function graphError(call: Promise<unknown>): Promise<{ statusCode: number; code: string; message: string }> {
    try {
        await call;
    } catch (e) {
        const { statusCode, code, message } = e as { statusCode: number; code: string; message: string };
        return { statusCode, code, message };
    }
    assert.fail("expected the call to fail");
}

async function allPages<T>(client: Client, first: PageCollection): Promise<T[]> {
    const items: T[] = [];
    await new PageIterator(client, first, (item: T) => (items.push(item), true)).iterate();
    return items;
}

const decodeJwt = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

async function tokenRequest(emulator: GraphEmulator, form: Record<string, string>, tenant = emulator.tenantId) {
    const response = await emulatorFetch(`${emulator.url}/${tenant}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const assignLicense = (graph: Client, user: string, addLicenses: { skuId: string; disabledPlans?: string[] }[], removeLicenses: string[] = []) =>
    graph.api(`/users/${user}/assignLicense`).post({ addLicenses: addLicenses.map((l) => ({ disabledPlans: [], ...l })), removeLicenses });

const licenceStates = async (graph: Client, user: string) => (await graph.api(`/users/${user}`).select(["licenseAssignmentStates"]).get()).licenseAssignmentStates;
const consumed = (t: Tenant, skuId: string) => t.emulator.state.sku(skuId)!.consumedUnits;

describe("Graph emulator", () => {
    let t: Tenant;
    beforeEach(async () => (t = await startTenant()));
    afterEach(() => t.emulator.close());

    describe("token endpoint", () => {
        it("issues a bearer JWT for client credentials whose payload carries the app's granted roles, tenant and app id", async () => {
            const app = t.seed.apps[0];
            const { status, body } = await tokenRequest(t.emulator, { grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret, scope: "https://graph.microsoft.com/.default" });
            assert.equal(status, 200);
            assert.equal(body.token_type, "Bearer");
            assert.equal(body.expires_in, 3599);
            const claims = decodeJwt(body.access_token);
            assert.deepEqual(claims.roles, app.roles);
            assert.equal(claims.tid, t.seed.tenant.id);
            assert.equal(claims.appid, app.clientId);
            assert.equal(claims.aud, "https://graph.microsoft.com");
            assert.equal(claims.idtyp, "app");
        });

        it("refuses a wrong secret, an unknown app, another tenant and a scope without /.default as Entra does", async () => {
            const app = t.seed.apps[0];
            const form = { grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret, scope: "https://graph.microsoft.com/.default" };
            const wrongSecret = await tokenRequest(t.emulator, { ...form, client_secret: "not-the-secret" });
            assert.equal(wrongSecret.status, 401);
            assert.equal(wrongSecret.body.error, "invalid_client");
            assert.deepEqual(wrongSecret.body.error_codes, [7000215]);
            assert.match(wrongSecret.body.error_description, /^AADSTS7000215: Invalid client secret provided\./);

            const unknownApp = await tokenRequest(t.emulator, { ...form, client_id: "00000000-0000-0000-0000-000000000001" });
            assert.equal(unknownApp.status, 400);
            assert.equal(unknownApp.body.error, "unauthorized_client");
            assert.match(unknownApp.body.error_description, /^AADSTS700016: Application with identifier '00000000-0000-0000-0000-000000000001' was not found in the directory 'Harbour & Finch Accountants'/);

            const otherTenant = await tokenRequest(t.emulator, form, "11111111-2222-3333-4444-555555555555");
            assert.equal(otherTenant.status, 400);
            assert.match(otherTenant.body.error_description, /^AADSTS90002: Tenant '11111111-2222-3333-4444-555555555555' not found\./);

            const badScope = await tokenRequest(t.emulator, { ...form, scope: "User.Read.All" });
            assert.equal(badScope.status, 400);
            assert.equal(badScope.body.error, "invalid_scope");

            const byDomain = await tokenRequest(t.emulator, form, "harbourfinch.onmicrosoft.com");
            assert.equal(byDomain.status, 200, "the tenant may be named by a domain, as with Entra");
        });

        it("the credential surfaces Entra's error for a wrong secret, and Graph is never called", async () => {
            const graph = emulatorGraphClient(t.emulator.url, emulatorCredential(t.emulator.url, t.emulator.tenantId, t.seed.apps[0].clientId, "wrong"));
            await assert.rejects(graph.api("/subscribedSkus").get(), /HTTP 401 invalid_client: AADSTS7000215/);
            assert.deepEqual(
                t.emulator.calls.map((c) => `${c.method} ${c.path} ${c.status}`),
                [`POST /${t.emulator.tenantId}/oauth2/v2.0/token 401`],
            );
        });
    });

    describe("authentication and permissions", () => {
        const get = (e: GraphEmulator, path: string, headers: Record<string, string> = {}) => emulatorFetch(`${e.graphUrl}${path}`, { headers });

        it("answers 401 InvalidAuthenticationToken without a token, with a malformed one, a forged one and an expired one", async () => {
            const error = async (response: Response) => ({ status: response.status, ...((await response.json()) as any).error });
            const missing = await error(await get(t.emulator, "/subscribedSkus"));
            assert.deepEqual([missing.status, missing.code, missing.message], [401, "InvalidAuthenticationToken", "Access token is empty."]);
            assert.equal(typeof missing.innerError["request-id"], "string");
            assert.match(missing.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

            const malformed = await error(await get(t.emulator, "/subscribedSkus", { Authorization: "Bearer abc" }));
            assert.deepEqual([malformed.status, malformed.code], [401, "InvalidAuthenticationToken"]);
            assert.match(malformed.message, /^IDX14100: JWT is not well formed/);

            const app = t.seed.apps[1];
            const { body } = await tokenRequest(t.emulator, { grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret, scope: "https://graph.microsoft.com/.default" });
            const [header, payload, signature] = body.access_token.split(".");
            const elevated = Buffer.from(JSON.stringify({ ...decodeJwt(body.access_token), roles: ["Directory.ReadWrite.All"] })).toString("base64url");
            const forged = await error(await get(t.emulator, "/subscribedSkus", { Authorization: `Bearer ${header}.${elevated}.${signature}` }));
            assert.deepEqual([forged.status, forged.code], [401, "InvalidAuthenticationToken"]);
            assert.ok(payload);

            assert.equal((await get(t.emulator, "/subscribedSkus", { Authorization: `Bearer ${body.access_token}` })).status, 200);
            t.emulator.expireTokens();
            const expired = await error(await get(t.emulator, "/subscribedSkus", { Authorization: `Bearer ${body.access_token}` }));
            assert.deepEqual([expired.status, expired.code, expired.message], [401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."]);
        });

        it("answers 403 Authorization_RequestDenied when the token's roles lack every permission the endpoint accepts", async () => {
            const refused = await graphError(assignLicense(t.reader, U.tom, [{ skuId: SPB }]));
            assert.deepEqual(refused, { statusCode: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
            assert.equal(consumed(t, SPB), 6, "nothing assigned");
            const revoke = await graphError(t.reader.api(`/users/${U.tom}/revokeSignInSessions`).post({}));
            assert.equal(revoke.statusCode, 403);

            // The read-only app reads what the preflight needs.
            assert.equal((await t.reader.api("/subscribedSkus").get()).value.length, 3);
            assert.equal((await t.reader.api("/roleManagement/directory/roleAssignments").get()).value.length, 6);

            // Without Organization.Read.All (or a Directory.* permission) subscribedSkus is refused.
            t.emulator.state.grant(t.seed.apps[1].clientId, ["User.Read.All"]);
            const narrow = emulatorGraphClient(t.emulator.url, emulatorCredential(t.emulator.url, t.emulator.tenantId, t.seed.apps[1].clientId, t.seed.apps[1].clientSecret));
            assert.equal((await graphError(narrow.api("/subscribedSkus").get())).statusCode, 403);
            assert.equal((await narrow.api(`/users/${U.tom}`).get()).id, U.tom);
        });

        it("accepts each documented higher-privileged permission, e.g. Directory.ReadWrite.All for assignLicense and User.ReadWrite.All for revokeSignInSessions", async () => {
            t.emulator.state.grant(t.seed.apps[1].clientId, ["Directory.ReadWrite.All"]);
            const directory = emulatorGraphClient(t.emulator.url, emulatorCredential(t.emulator.url, t.emulator.tenantId, t.seed.apps[1].clientId, t.seed.apps[1].clientSecret));
            await assignLicense(directory, U.tom, [{ skuId: SPB }]);
            t.emulator.state.grant(t.seed.apps[1].clientId, ["User.ReadWrite.All"]);
            const users = emulatorGraphClient(t.emulator.url, emulatorCredential(t.emulator.url, t.emulator.tenantId, t.seed.apps[1].clientId, t.seed.apps[1].clientSecret));
            assert.deepEqual((await users.api(`/users/${U.tom}/revokeSignInSessions`).post({})).value, true);
        });
    });

    describe("subscribedSkus", () => {
        it("lists the tenant's SKUs with seats counted from the users holding them and their service plans", async () => {
            const skus = await t.graph.api("/subscribedSkus").get();
            assert.equal(skus["@odata.context"], `${t.emulator.graphUrl}/$metadata#subscribedSkus`);
            const spb = skus.value.find((s: any) => s.skuPartNumber === "SPB");
            assert.deepEqual(
                { ...spb, servicePlans: spb.servicePlans.slice(0, 2) },
                {
                    accountId: t.seed.tenant.id,
                    accountName: "Harbour & Finch Accountants",
                    appliesTo: "User",
                    capabilityStatus: "Enabled",
                    consumedUnits: 6, // jane, raj, mei (group), sarah (direct and group: one seat), david, peter
                    id: `${t.seed.tenant.id}_${SPB}`,
                    prepaidUnits: { enabled: 10, suspended: 0, warning: 0, lockedOut: 0 },
                    servicePlans: [
                        { servicePlanId: EXCHANGE_S_STANDARD, servicePlanName: "EXCHANGE_S_STANDARD", provisioningStatus: "Success", appliesTo: "User" },
                        { servicePlanId: TEAMS1, servicePlanName: "TEAMS1", provisioningStatus: "Success", appliesTo: "User" },
                    ],
                    skuId: SPB,
                    skuPartNumber: "SPB",
                    subscriptionIds: [],
                },
            );
            assert.deepEqual(
                skus.value.map((s: any) => [s.skuPartNumber, s.skuId, s.consumedUnits, s.prepaidUnits.enabled]),
                [
                    ["SPB", SPB, 6, 10],
                    ["O365_BUSINESS_ESSENTIALS", BASIC, 1, 3],
                    ["EXCHANGESTANDARD", EXCHANGE, 0, 2],
                ],
            );
        });

        it("honours $select", async () => {
            const skus = await t.graph.api("/subscribedSkus").select(["skuPartNumber", "consumedUnits"]).get();
            assert.equal(skus["@odata.context"], `${t.emulator.graphUrl}/$metadata#subscribedSkus(skuPartNumber,consumedUnits)`);
            assert.deepEqual(skus.value[0], { skuPartNumber: "SPB", consumedUnits: 6 });
        });
    });

    describe("users", () => {
        it("lists users by id in (...), ignoring case, with $select; an unknown id is simply absent", async () => {
            const found = await t.reader
                .api("/users")
                .filter(`id in ('${U.peter.toUpperCase()}','${U.jane}','00000000-0000-0000-0000-000000000000')`)
                .select(["id", "userPrincipalName", "accountEnabled", "onPremisesSyncEnabled"])
                .get();
            assert.deepEqual(found.value, [
                { id: U.jane, userPrincipalName: "jane.citizen@harbourfinch.com.au", accountEnabled: true, onPremisesSyncEnabled: null },
                { id: U.peter, userPrincipalName: "peter.jones@harbourfinch.com.au", accountEnabled: false, onPremisesSyncEnabled: null },
            ]);
        });

        it("refuses an in clause of more than 15 values, and any other filter on users, with 400", async () => {
            const sixteen = Array.from({ length: 16 }, (_, i) => `'00000000-0000-0000-0000-${String(i).padStart(12, "0")}'`).join(",");
            const tooMany = await graphError(t.reader.api("/users").filter(`id in (${sixteen})`).get());
            assert.deepEqual([tooMany.statusCode, tooMany.code], [400, "Request_UnsupportedQuery"]);
            const other = await graphError(t.reader.api("/users").filter("accountEnabled eq false").get());
            assert.deepEqual([other.statusCode, other.code], [400, "BadRequest"]);
        });

        it("returns Graph's default properties without $select: no licences, accountEnabled or usageLocation", async () => {
            const jane = await t.graph.api(`/users/${U.jane}`).get();
            assert.deepEqual(jane, {
                "@odata.context": `${t.emulator.graphUrl}/$metadata#users/$entity`,
                businessPhones: [],
                displayName: "Jane Citizen",
                givenName: "Jane",
                jobTitle: "Partner",
                mail: null,
                mobilePhone: "+61412345678",
                officeLocation: null,
                preferredLanguage: null,
                surname: "Citizen",
                userPrincipalName: "jane.citizen@harbourfinch.com.au",
                id: U.jane,
            });
        });

        it("returns only the $select-ed properties (id too only when selected), by id or by userPrincipalName in any case", async () => {
            const raj = await t.graph.api("/users/Raj.Patel@HarbourFinch.com.au").select(["accountEnabled", "usageLocation", "assignedLicenses", "licenseAssignmentStates"]).get();
            assert.equal(raj["@odata.context"], `${t.emulator.graphUrl}/$metadata#users(accountEnabled,usageLocation,assignedLicenses,licenseAssignmentStates)/$entity`);
            assert.equal(raj.id, undefined);
            assert.equal(raj.accountEnabled, true);
            assert.equal(raj.usageLocation, "AU");
            assert.deepEqual(raj.assignedLicenses, [{ skuId: SPB, disabledPlans: [TEAMS1] }]);
            assert.deepEqual(
                raj.licenseAssignmentStates.map(({ lastUpdatedDateTime, ...s }: any) => (assert.ok(Date.parse(lastUpdatedDateTime)), s)),
                [{ assignedByGroup: null, disabledPlans: [TEAMS1], error: "None", skuId: SPB, state: "Active" }],
            );
            const peter = await t.graph.api("/users/9d8e7f6a-5b4c-4d3e-8f2a-1b0c9d8e7f6a").select("id,accountEnabled").get();
            assert.deepEqual({ ...peter, "@odata.context": undefined }, { "@odata.context": undefined, id: "9d8e7f6a-5b4c-4d3e-8f2a-1b0c9d8e7f6a", accountEnabled: false });
        });

        it("refuses an unknown $select property with 400, and an unknown user with 404 Request_ResourceNotFound", async () => {
            assert.deepEqual(await graphError(t.graph.api(`/users/${U.jane}`).select("licences").get()), {
                statusCode: 400,
                code: "Request_BadRequest",
                message: "Could not find a property named 'licences' on type 'Microsoft.DirectoryServices.User'.",
            });
            assert.deepEqual(await graphError(t.graph.api("/users/nobody@harbourfinch.com.au").get()), {
                statusCode: 404,
                code: "Request_ResourceNotFound",
                message: "Resource 'nobody@harbourfinch.com.au' does not exist or one of its queried reference-property objects are not present.",
            });
        });

        it("shows group-assigned licences in assignedLicenses and licenseAssignmentStates, with the group's id", async () => {
            const mei = await t.graph.api(`/users/${U.mei}`).select(["assignedLicenses", "licenseAssignmentStates"]).get();
            assert.deepEqual(mei.assignedLicenses, [{ skuId: SPB, disabledPlans: [] }]);
            assert.deepEqual(
                mei.licenseAssignmentStates.map((s: any) => [s.skuId, s.assignedByGroup, s.state]),
                [[SPB, LICENSED_GROUP, "Active"]],
            );
            const sarah = await licenceStates(t.graph, U.sarah);
            assert.deepEqual(
                sarah.map((s: any) => [s.skuId, s.assignedByGroup]),
                [
                    [SPB, null],
                    [SPB, LICENSED_GROUP],
                ],
            );
        });

        it("pages the user list with an absolute @odata.nextLink that the client's PageIterator follows", async () => {
            const first = await t.graph.api("/users").select(["id", "userPrincipalName"]).top(2).get();
            assert.equal(first.value.length, 2);
            assert.match(first["@odata.nextLink"], new RegExp(`^${t.emulator.graphUrl.replace(/[.]/g, "\\.")}/users\\?\\$select=id,userPrincipalName&\\$top=2&\\$skiptoken=`));
            const all = await allPages<{ id: string; userPrincipalName: string }>(t.graph, first);
            assert.deepEqual(
                all.map((u) => u.userPrincipalName),
                t.seed.users.map((u) => u.userPrincipalName),
            );
            assert.deepEqual(Object.keys(all[8]), ["id", "userPrincipalName"]);
            const listings = t.emulator.calls.filter((c) => c.path === "/v1.0/users");
            assert.equal(listings.length, 5, "9 users, 2 per page");
            assert.ok(listings.slice(1).every((c) => /\$top=2&\$skiptoken=/.test(c.query) && c.status === 200));

            const defaultPage = await t.graph.api("/users").get();
            assert.equal(defaultPage.value.length, 9);
            assert.equal(defaultPage["@odata.nextLink"], undefined);
            assert.equal((await graphError(t.graph.api("/users").top(1000).get())).statusCode, 400);
        });
    });

    describe("assignLicense", () => {
        it("adds a licence with disabled plans, takes a seat and returns the user", async () => {
            const user = await assignLicense(t.graph, U.tom, [{ skuId: SPB, disabledPlans: [TEAMS1] }]);
            assert.equal(user.id, U.tom);
            assert.equal(user.userPrincipalName, "tom.nguyen@harbourfinch.com.au");
            const tom = await t.graph.api(`/users/${U.tom}`).select(["assignedLicenses", "licenseAssignmentStates"]).get();
            assert.deepEqual(tom.assignedLicenses, [{ skuId: SPB, disabledPlans: [TEAMS1] }]);
            assert.deepEqual(
                tom.licenseAssignmentStates.map((s: any) => [s.skuId, s.assignedByGroup, s.disabledPlans, s.state]),
                [[SPB, null, [TEAMS1], "Active"]],
            );
            assert.equal(consumed(t, SPB), 7);
            assert.deepEqual(t.emulator.calls.find((c) => c.path.endsWith("/assignLicense"))!.body, { addLicenses: [{ disabledPlans: [TEAMS1], skuId: SPB }], removeLicenses: [] });
        });

        it("adding a held licence again changes its disabled plans and takes no seat", async () => {
            await assignLicense(t.graph, U.raj, [{ skuId: SPB, disabledPlans: [] }]);
            assert.deepEqual((await licenceStates(t.graph, U.raj)).map((s: any) => s.disabledPlans), [[]]);
            assert.equal(consumed(t, SPB), 6);
        });

        it("a direct licence beside a group's takes no second seat, and removing it leaves the group's", async () => {
            await assignLicense(t.graph, U.mei, [{ skuId: SPB }]);
            assert.deepEqual(
                (await licenceStates(t.graph, U.mei)).map((s: any) => s.assignedByGroup),
                [LICENSED_GROUP, null],
            );
            assert.equal(consumed(t, SPB), 6);
            await assignLicense(t.graph, U.sarah, [], [SPB]);
            assert.deepEqual(
                (await licenceStates(t.graph, U.sarah)).map((s: any) => s.assignedByGroup),
                [LICENSED_GROUP],
            );
            assert.equal(consumed(t, SPB), 6);
        });

        it("removes a direct licence and frees its seat; swaps in one call", async () => {
            await assignLicense(t.graph, U.lucy, [{ skuId: EXCHANGE }], [BASIC]);
            assert.deepEqual((await t.graph.api(`/users/${U.lucy}`).select("assignedLicenses").get()).assignedLicenses, [{ skuId: EXCHANGE, disabledPlans: [] }]);
            assert.deepEqual([consumed(t, BASIC), consumed(t, EXCHANGE)], [0, 1]);
        });

        it("refuses a user without usage location", async () => {
            t.emulator.state.addUser({ id: "0a1b2c3d-1010-4e5f-8a9b-0c1d2e3f4a10", userPrincipalName: "new.starter@harbourfinch.com.au", displayName: "New Starter" });
            assert.deepEqual(await graphError(assignLicense(t.graph, "new.starter@harbourfinch.com.au", [{ skuId: SPB }])), {
                statusCode: 400,
                code: "Request_BadRequest",
                message: "License assignment cannot be done for user with invalid usage location.",
            });
            assert.equal(consumed(t, SPB), 6);
        });

        it("refuses when no seat is free (seats exhausted), naming the SKU", async () => {
            t.emulator.faults.exhaustSeats("EXCHANGESTANDARD");
            assert.deepEqual(await graphError(assignLicense(t.graph, U.tom, [{ skuId: EXCHANGE }])), {
                statusCode: 400,
                code: "Request_BadRequest",
                message: `Subscription with SKU ${EXCHANGE} does not have any available licenses.`,
            });
            t.emulator.state.setSeats(SPB, { enabled: 6 });
            assert.equal((await graphError(assignLicense(t.graph, U.tom, [{ skuId: SPB }]))).message, `Subscription with SKU ${SPB} does not have any available licenses.`);
            // A user who holds it already needs no seat.
            await assignLicense(t.graph, U.jane, [{ skuId: SPB, disabledPlans: [TEAMS1] }]);
            const skus = await t.graph.api("/subscribedSkus").get();
            assert.deepEqual(skus.value.find((s: any) => s.skuId === SPB).prepaidUnits.enabled, 6);
        });

        it("refuses an unknown SKU (to add or to remove) and a disabled plan the SKU does not have, changing nothing", async () => {
            assert.deepEqual(await graphError(assignLicense(t.graph, U.tom, [{ skuId: EXCHANGE }, { skuId: UNKNOWN_SKU }])), {
                statusCode: 400,
                code: "Request_BadRequest",
                message: `License ${UNKNOWN_SKU} does not correspond to a valid company License.`,
            });
            assert.equal((await graphError(assignLicense(t.graph, U.jane, [], [UNKNOWN_SKU]))).message, `License ${UNKNOWN_SKU} does not correspond to a valid company License.`);
            const plan = await graphError(assignLicense(t.graph, U.tom, [{ skuId: EXCHANGE, disabledPlans: [TEAMS1] }]));
            assert.deepEqual([plan.statusCode, plan.code], [400, "Request_BadRequest"]);
            assert.match(plan.message, new RegExp(TEAMS1));
            assert.deepEqual(await licenceStates(t.graph, U.tom), []);
            assert.equal(consumed(t, EXCHANGE), 0);
        });

        it("refuses to remove a licence the user has only through a group", async () => {
            assert.deepEqual(await graphError(assignLicense(t.graph, U.mei, [], [SPB])), {
                statusCode: 400,
                code: "Request_BadRequest",
                message: "User license is inherited from a group membership and it cannot be removed directly from the user.",
            });
            assert.equal((await licenceStates(t.graph, U.mei)).length, 1);
        });

        it("refuses a body without both parameters, or with a skuId that is not a GUID", async () => {
            assert.deepEqual(await graphError(t.graph.api(`/users/${U.tom}/assignLicense`).post({ addLicenses: [{ skuId: SPB, disabledPlans: [] }] })), {
                statusCode: 400,
                code: "BadRequest",
                message: "One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: removeLicenses.",
            });
            const notGuid = await graphError(assignLicense(t.graph, U.tom, [{ skuId: "SPB" }]));
            assert.deepEqual([notGuid.statusCode, notGuid.code], [400, "BadRequest"]);
            assert.equal(consumed(t, SPB), 6);
        });

        it("answers 404 for an unknown user", async () => {
            assert.equal((await graphError(assignLicense(t.graph, "0a1b2c3d-9999-4e5f-8a9b-0c1d2e3f4a99", [{ skuId: SPB }]))).code, "Request_ResourceNotFound");
        });
    });

    describe("revokeSignInSessions", () => {
        it("answers true, counts each call per user and moves signInSessionsValidFromDateTime", async () => {
            const before = Date.now() - 1000;
            const answer = await t.graph.api(`/users/${U.jane}/revokeSignInSessions`).post({});
            assert.deepEqual(answer, { "@odata.context": `${t.emulator.graphUrl}/$metadata#Edm.Boolean`, value: true });
            await t.graph.api("/users/jane.citizen@harbourfinch.com.au/revokeSignInSessions").post({});
            assert.equal(t.emulator.state.revocations.get(U.jane), 2);
            assert.equal(t.emulator.state.revocations.get(U.raj), undefined);
            const { signInSessionsValidFromDateTime } = await t.graph.api(`/users/${U.jane}`).select("signInSessionsValidFromDateTime").get();
            assert.ok(Date.parse(signInSessionsValidFromDateTime) >= before);
        });
    });

    describe("roleManagement/directory/roleAssignments", () => {
        const path = "/roleManagement/directory/roleAssignments";

        it("filters by roleDefinitionId in (...) and eq, and by principalId eq, honouring $select", async () => {
            const byRoles = await t.graph.api(path).filter(`roleDefinitionId in ('${GLOBAL_ADMIN}','${USER_ADMIN}')`).select(["principalId", "roleDefinitionId", "directoryScopeId"]).get();
            assert.deepEqual(byRoles.value, [
                { principalId: U.jane, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" },
                { principalId: U.service, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" },
                { principalId: U.sarah, roleDefinitionId: USER_ADMIN, directoryScopeId: "/" },
            ]);
            const byRole = await t.graph.api(path).filter(`roleDefinitionId eq '${EXCHANGE_ADMIN}'`).get();
            assert.deepEqual(
                byRole.value.map((a: any) => [a.principalId, a.roleDefinitionId, typeof a.id]),
                [[U.sarah, EXCHANGE_ADMIN, "string"]],
            );
            const byPrincipal = await t.graph.api(path).filter(`principalId eq '${U.sarah}'`).select("roleDefinitionId").get();
            assert.deepEqual(byPrincipal.value, [{ roleDefinitionId: USER_ADMIN }, { roleDefinitionId: EXCHANGE_ADMIN }]);
        });

        it("pages with $top and nextLink", async () => {
            const first = await t.graph.api(path).top(1).select("id").get();
            assert.equal((await allPages(t.graph, first)).length, 6);
        });

        it("filters by principalId in (...), a user's and a role-assignable group's alike", async () => {
            const found = await t.reader.api(path).filter(`principalId in ('${U.jane}','${IT_ADMINS.toUpperCase()}')`).select(["principalId", "roleDefinitionId"]).get();
            assert.deepEqual(found.value, [
                { principalId: U.jane, roleDefinitionId: GLOBAL_ADMIN },
                { principalId: IT_ADMINS, roleDefinitionId: HELPDESK_ADMIN },
                { principalId: IT_ADMINS, roleDefinitionId: REPORTS_READER },
            ]);
        });

        it("refuses any other filter with 400", async () => {
            const error = await graphError(t.graph.api(path).filter(`startswith(principalId,'0a')`).get());
            assert.deepEqual([error.statusCode, error.code], [400, "BadRequest"]);
            assert.match(error.message, /^Invalid filter clause/);
        });
    });

    describe("groups, domains and organization (for the preflight)", () => {
        it("finds a group by display name ignoring case, with whether it is a security or mail-enabled group", async () => {
            const groups = await t.reader.api("/groups").filter("displayName eq 'staff announcements'").select(["id", "displayName", "securityEnabled", "mailEnabled"]).get();
            assert.deepEqual(groups.value, [{ id: "1f0e2d3c-0006-4b5a-9c8d-7e6f5a4b3c06", displayName: "Staff Announcements", securityEnabled: false, mailEnabled: true }]);
            assert.deepEqual((await t.reader.api("/groups").filter("displayName eq 'O''Brien''s team'").get()).value, []);
        });

        it("says whether a group is role-assignable, by default and on $select", async () => {
            const [itAdmins] = (await t.reader.api("/groups").filter("displayName eq 'IT Admins'").get()).value;
            assert.equal(itAdmins.isAssignableToRole, true);
            const [staff] = (await t.reader.api("/groups").filter("displayName eq 'All Staff'").select(["id", "isAssignableToRole"]).get()).value;
            assert.deepEqual(staff, { id: "1f0e2d3c-0001-4b5a-9c8d-7e6f5a4b3c01", isAssignableToRole: false });
        });

        it("a seed with a role-assignable group that is dynamic or not security-enabled is refused", () => {
            const seed = loadGraphSeed(SEED_FILE);
            seed.groups!.push({ id: "1f0e2d3c-0099-4b5a-9c8d-7e6f5a4b3c99", displayName: "Dynamic Admins", isAssignableToRole: true, groupTypes: ["DynamicMembership"] });
            assert.throws(() => validateGraphSeed(seed), /group 'Dynamic Admins': a role-assignable group must be security-enabled and cannot have dynamic membership/);
        });

        it("lists the domains with the initial one, and the organization's verified domains", async () => {
            const domains = (await t.reader.api("/domains").get()).value;
            assert.deepEqual(
                domains.map((d: any) => [d.id, d.isInitial, d.isDefault]),
                [
                    ["harbourfinch.onmicrosoft.com", true, false],
                    ["harbourfinch.com.au", false, true],
                ],
            );
            const [organization] = (await t.reader.api("/organization").get()).value;
            assert.equal(organization.id, t.seed.tenant.id);
            assert.equal(organization.verifiedDomains.find((d: any) => d.isInitial).name, "harbourfinch.onmicrosoft.com");
        });
    });

    describe("faults", () => {
        it("429 with Retry-After is retried by the client's RetryHandler until it converges", async () => {
            t.emulator.faults.throttle(2, { path: /subscribedSkus$/, retryAfterSeconds: 0 });
            const skus = await t.graph.api("/subscribedSkus").get();
            assert.equal(skus.value.length, 3);
            assert.deepEqual(
                t.emulator.calls.filter((c) => c.path === "/v1.0/subscribedSkus").map((c) => c.status),
                [429, 429, 200],
            );
        });

        it("503 with Retry-After on assignLicense is retried and assigns once", async () => {
            t.emulator.faults.unavailable(1, { path: /assignLicense$/, retryAfterSeconds: 0 });
            await assignLicense(t.graph, U.tom, [{ skuId: SPB }]);
            assert.equal(consumed(t, SPB), 7);
            assert.deepEqual(
                t.emulator.calls.filter((c) => c.path.endsWith("/assignLicense")).map((c) => c.status),
                [503, 200],
            );
            assert.equal(t.emulator.writes(), 2, "both attempts are writes");
        });

        it("a throttle outlasting the client's retries reaches the caller as 429 TooManyRequests with Retry-After", async () => {
            t.emulator.faults.throttle(11, { retryAfterSeconds: 0 }); // the first attempt and GRAPH_RETRY_POLICY's 10 retries
            const error = await graphError(t.graph.api("/subscribedSkus").get());
            assert.deepEqual([error.statusCode, error.code], [429, "TooManyRequests"]);
            const response = await emulatorFetch(`${t.emulator.graphUrl}/subscribedSkus`);
            assert.equal(response.status, 401, "the faults are used up");
            t.emulator.faults.unavailable(1, { retryAfterSeconds: 7 });
            const unavailable = await emulatorFetch(`${t.emulator.graphUrl}/subscribedSkus`);
            assert.deepEqual([unavailable.status, unavailable.headers.get("retry-after"), ((await unavailable.json()) as any).error.code], [503, "7", "serviceNotAvailable"]);
        });

        it("a user not yet visible answers 404 for the first N requests naming it, then is found", async () => {
            t.emulator.faults.hideUser("tom.nguyen@harbourfinch.com.au", 2);
            assert.equal((await graphError(t.graph.api(`/users/${U.tom}`).get())).code, "Request_ResourceNotFound");
            assert.equal((await graphError(assignLicense(t.graph, U.tom, [{ skuId: SPB }]))).code, "Request_ResourceNotFound");
            assert.equal((await t.graph.api(`/users/${U.tom}`).get()).id, U.tom);
            assert.equal(consumed(t, SPB), 6);

            t.emulator.state.addUser({ id: "0a1b2c3d-1011-4e5f-8a9b-0c1d2e3f4a11", userPrincipalName: "just.created@harbourfinch.com.au", displayName: "Just Created", usageLocation: "AU", hiddenForRequests: 1 });
            assert.equal((await graphError(t.graph.api("/users/just.created@harbourfinch.com.au").get())).statusCode, 404);
            await assignLicense(t.graph, "just.created@harbourfinch.com.au", [{ skuId: SPB }]);
            assert.equal(consumed(t, SPB), 7);
        });

        it("a replica behind a change answers 404 Request_ResourceNotFound naming the path's object, N times", async () => {
            t.emulator.faults.notFound(1, { path: /assignLicense$/ });
            const error = await graphError(assignLicense(t.graph, U.tom, [{ skuId: SPB }]));
            assert.deepEqual([error.statusCode, error.code, error.message], [404, "Request_ResourceNotFound", `Resource '${U.tom}' does not exist or one of its queried reference-property objects are not present.`]);
            await assignLicense(t.graph, U.tom, [{ skuId: SPB }]);
        });

        it("a group deleted in Entra answers 404 naming it; a lagging member list shows the group as it was, even deleted", async () => {
            const group = "1f0e2d3c-0001-4b5a-9c8d-7e6f5a4b3c01"; // All Staff: Jane and Peter
            const listed = async () => ((await t.graph.api(`/groups/${group}/members`).get()).value as { id: string }[]).map((m) => m.id).sort();
            const before = await listed();
            t.emulator.faults.lagMemberList(group, 2);
            await t.graph.api(`/groups/${group}/members/$ref`).post({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${U.tom}` });
            assert.deepEqual(await listed(), before, "the add does not show yet");
            t.emulator.faults.deleteGroup(group);
            assert.deepEqual(await listed(), before, "nor the deletion");
            const gone = await graphError(t.graph.api(`/groups/${group}/members`).get());
            assert.deepEqual([gone.statusCode, gone.code, gone.message], [404, "Request_ResourceNotFound", `Resource '${group}' does not exist or one of its queried reference-property objects are not present.`]);
            assert.equal((await graphError(t.graph.api(`/groups/${group}/members/$ref`).post({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${U.tom}` }))).statusCode, 404);
        });

        it("removing someone who is not a member answers 404 naming the group, as Graph does", async () => {
            const group = "1f0e2d3c-0001-4b5a-9c8d-7e6f5a4b3c01";
            const error = await graphError(t.graph.api(`/groups/${group}/members/${U.tom}/$ref`).delete());
            assert.deepEqual([error.statusCode, error.message], [404, `Resource '${group}' does not exist or one of its queried reference-property objects are not present.`]);
        });
    });

    describe("call log", () => {
        it("records every call without a token or secret, and counts only Graph writes", async () => {
            await t.graph.api("/subscribedSkus").get();
            await t.graph.api(`/users/${U.jane}`).select("assignedLicenses").get();
            await assignLicense(t.graph, U.tom, [{ skuId: SPB }]);
            await t.graph.api(`/users/${U.peter}/revokeSignInSessions`).post({});
            await t.reader.api("/roleManagement/directory/roleAssignments").filter(`principalId eq '${U.jane}'`).get();

            assert.deepEqual(
                t.emulator.calls.map((c) => [c.method, c.path, c.query, c.status, c.clientId]),
                [
                    ["POST", `/${t.seed.tenant.id}/oauth2/v2.0/token`, "", 200, undefined],
                    ["GET", "/v1.0/subscribedSkus", "", 200, t.seed.apps[0].clientId],
                    ["GET", `/v1.0/users/${U.jane}`, "$select=assignedLicenses", 200, t.seed.apps[0].clientId],
                    ["POST", `/v1.0/users/${U.tom}/assignLicense`, "", 200, t.seed.apps[0].clientId],
                    ["POST", `/v1.0/users/${U.peter}/revokeSignInSessions`, "", 200, t.seed.apps[0].clientId],
                    ["POST", `/${t.seed.tenant.id}/oauth2/v2.0/token`, "", 200, undefined],
                    ["GET", "/v1.0/roleManagement/directory/roleAssignments", `$filter=principalId eq '${U.jane}'`, 200, t.seed.apps[1].clientId],
                ],
            );
            assert.equal(t.emulator.writes(), 2);
            const log = JSON.stringify(t.emulator.calls);
            for (const app of t.seed.apps) assert.ok(!log.includes(app.clientSecret), "no client secret in the log");
            assert.ok(!/eyJ[\w-]+\.[\w-]+\.[\w-]+/.test(log), "no token in the log");
        });

        it("a read-only session makes zero writes", async () => {
            await t.reader.api("/subscribedSkus").get();
            await allPages(t.reader, await t.reader.api("/users").top(4).get());
            await t.reader.api("/domains").get();
            assert.equal(t.emulator.writes(), 0);
        });
    });

    describe("transport", () => {
        it("serves HTTPS with this run's certificate, and emulatorFetch refuses any other origin", async () => {
            assert.match(t.emulator.url, /^https:\/\/127\.0\.0\.1:\d+$/);
            assert.match(t.emulator.certificate, /^-----BEGIN CERTIFICATE-----/);
            await assert.rejects(emulatorFetch("https://graph.microsoft.com/v1.0/users"), /is not a Graph emulator running in this process/);
        });
    });
});

/**
 * What a local run of the real program needs: @azure/identity's ClientSecretCredential with the emulator as its
 * authority host and the library's default middleware (global fetch), trusting the certificate through
 * NODE_EXTRA_CA_CERTS, which Node reads only at start: hence a child process.
 */
const CHILD = `
const { ClientSecretCredential } = require("@azure/identity");
const { Client } = require("@microsoft/microsoft-graph-client");
const { TokenCredentialAuthenticationProvider } = require("@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials");
const [url, tenant, clientId, secret] = process.argv.slice(1);
const credential = new ClientSecretCredential(tenant, clientId, secret, { authorityHost: url, disableInstanceDiscovery: true });
const client = Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: ["https://graph.microsoft.com/.default"] }),
    baseUrl: url,
    customHosts: new Set([new URL(url).hostname]),
});
client.api("/subscribedSkus").select("skuPartNumber").get().then(
    (skus) => console.log(skus.value.map((s) => s.skuPartNumber).join(",")),
    (e) => { console.log("ERR " + e.message); process.exitCode = 1; },
);
`;

describe("Graph emulator with @azure/identity and the library's default middleware", () => {
    it("a ClientSecretCredential with the emulator as authority host gets a token, and Graph answers", async () => {
        const seed = loadGraphSeed(SEED_FILE);
        const emulator = await startGraphEmulator({ seed });
        try {
            const certFile = join(mkdtempSync(join(tmpdir(), "graph-emulator-")), "cert.pem");
            writeFileSync(certFile, emulator.certificate);
            const output = await new Promise<string>((resolve) =>
                execFile(process.execPath, ["-e", CHILD, emulator.url, emulator.tenantId, seed.apps[1].clientId, seed.apps[1].clientSecret], { cwd: join(__dirname, ".."), env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile }, timeout: 15000 }, (_e, stdout, stderr) =>
                    resolve(stdout + stderr),
                ),
            );
            assert.equal(output.trim(), "SPB,O365_BUSINESS_ESSENTIALS,EXCHANGESTANDARD");
            assert.deepEqual(
                emulator.calls.map((c) => `${c.method} ${c.path} ${c.status}`),
                [`GET /${seed.tenant.id}/v2.0/.well-known/openid-configuration 200`, `POST /${seed.tenant.id}/oauth2/v2.0/token 200`, "GET /v1.0/subscribedSkus 200"],
            );
        } finally {
            await emulator.close();
        }
    });
});

describe("cli/graphEmulator", () => {
    it("starts the emulator from the example seed, writes its certificate and says how to reach it", async () => {
        const io = captureIO();
        const certFile = join(mkdtempSync(join(tmpdir(), "graph-emulator-")), "cert.pem");
        const emulator = await startGraphEmulatorCommand(["--cert", certFile], io);
        try {
            assert.ok(emulator);
            assert.equal(readFileSync(certFile, "utf8"), emulator.certificate);
            assert.equal(io.stdout[0], `Microsoft Graph emulator listening on ${emulator.url}`);
            assert.ok(io.stdout.includes(`  token        POST ${emulator.url}/${emulator.tenantId}/oauth2/v2.0/token (client credentials, scope https://graph.microsoft.com/.default)`));
            assert.ok(io.stdout.some((l) => l.startsWith("  app          users-as-code (deploy): client id 4a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01")));
            assert.ok(io.stdout.includes(`  key vault    kv-harbourfinch: ${emulator.url}/keyvault/kv-harbourfinch (USERS_AS_CODE_KEYVAULT_URL=${emulator.url}/keyvault); secrets set by 4a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01`));
            assert.ok(!io.stdout.join("\n").includes("emulator-deploy-secret"), "the secret is not printed");
            await emulatorFetch(`${emulator.graphUrl}/subscribedSkus?$select=skuId`);
            assert.match(io.stdout.at(-1)!, /^\d\d:\d\d:\d\d\.\d{3} GET \/v1\.0\/subscribedSkus\?\$select=skuId 401$/);
        } finally {
            await emulator?.close();
        }
    });

    it("refuses a bad port or an extra argument as usage errors", async () => {
        await assert.rejects(startGraphEmulatorCommand(["--port", "x"], captureIO()), UsageError);
        await assert.rejects(startGraphEmulatorCommand(["extra"], captureIO()), UsageError);
        assert.equal(formatGraphCall({ method: "GET", path: "/v1.0/users", query: "", status: 200, clientId: "app", at: Date.UTC(2026, 0, 1, 2, 3, 4, 5) }), "02:03:04.005 GET /v1.0/users 200 (app)");
    });
});

describe("Graph emulator seed", () => {
    it("seed.example.yaml holds every user of users.yaml, by UPN, and the objectIds it adopts", () => {
        const seed = loadGraphSeed(SEED_FILE);
        const usersYaml = parse(readFileSync(join(__dirname, "../users.yaml"), "utf8")) as { users: Record<string, { userPrincipalName: string; objectId?: string }> };
        const byUpn = new Map(seed.users.map((u) => [u.userPrincipalName, u.id]));
        for (const user of Object.values(usersYaml.users)) {
            assert.ok(byUpn.has(user.userPrincipalName), `${user.userPrincipalName} is in the seed`);
            if (user.objectId) assert.equal(byUpn.get(user.userPrincipalName), user.objectId);
        }
    });

    it("names every problem: unknown SKU, a disabled plan the SKU lacks, an unknown group, fewer seats consumed than held", () => {
        const seed = loadGraphSeed(SEED_FILE);
        seed.users[0].licenses = [{ skuId: UNKNOWN_SKU }];
        seed.users[1].licenses = [{ skuId: EXCHANGE, disabledPlans: [TEAMS1] }];
        seed.users[2].licenses = [{ skuId: SPB, assignedByGroup: "no-such-group" }];
        seed.skus[1].consumedUnits = 0;
        assert.throws(
            () => validateGraphSeed(seed, "test seed"),
            (e: Error) =>
                e.message.includes(`user 'jane.citizen@harbourfinch.com.au' holds unknown skuId '${UNKNOWN_SKU}'`) &&
                e.message.includes(`user 'raj.patel@harbourfinch.com.au': disabled plan '${TEAMS1}' is not a plan of EXCHANGESTANDARD`) &&
                e.message.includes("user 'mei.chen@harbourfinch.com.au': assignedByGroup 'no-such-group' is not a seeded group") &&
                e.message.includes("O365_BUSINESS_ESSENTIALS: consumedUnits 0 is fewer than the 1 seeded users holding it"),
        );
        assert.throws(() => validateGraphSeed({ ...seed, extra: 1 }, "test seed"), /invalid Graph seed/);
    });
});

describe("Graph emulator certificate", () => {
    it("is strict DER every time: OpenSSL refuses a non-minimal INTEGER, which a random serial can make", () => {
        // A serial whose first byte is 0x00 happens one time in 512; a thousand identities meet it almost surely.
        for (let i = 0; i < 1000; i++) {
            const { certificate } = selfSignedIdentity();
            const parsed = new X509Certificate(certificate);
            assert.ok(parsed.checkHost("localhost") && parsed.checkIP("127.0.0.1"), "valid for loopback");
        }
    });
});
