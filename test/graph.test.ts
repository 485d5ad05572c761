import type { AccessToken, TokenCredential } from "@azure/identity";
import { AzureCliCredential, ClientAssertionCredential, ClientSecretCredential } from "@azure/identity";
import { strict as assert } from "node:assert";
import { createServer, IncomingMessage, Server } from "node:http";
import { AddressInfo } from "node:net";
import type { Client } from "@microsoft/microsoft-graph-client";
import { join } from "node:path";
import { emulatorCredential, emulatorGraphClient, loadGraphSeed, startGraphEmulator, type GraphEmulator } from "../emulator/graph";
import { graphClient, graphCredential, GraphCredentialError, listDirectoryRoleAssignments, listRoleAssignableGroups, listRoleAssignmentsOfPrincipals, readUsersById } from "../graph";
import { GRAPH_RETRY_POLICY, GraphRetryPolicy } from "../graph/client";
import { listSubscribedSkus } from "../graph/licenses";
import { DEPLOY_APP, GRAPH_SEED } from "./support/graphProviderHost";

const fakeCredential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3600_000 }) };

describe("graph: credentials from the azuread provider's environment", () => {
    it("OIDC, then a client secret, then the Azure CLI, as the provider chooses", () => {
        const base = { ARM_TENANT_ID: "tenant", ARM_CLIENT_ID: "client" };
        assert.ok(graphCredential({ ...base, ARM_USE_OIDC: "true", ARM_CLIENT_SECRET: "s" }) instanceof ClientAssertionCredential);
        assert.ok(graphCredential({ ...base, ARM_CLIENT_SECRET: "s" }) instanceof ClientSecretCredential);
        assert.ok(graphCredential({}) instanceof AzureCliCredential);
    });

    it("says which variable is missing", () => {
        assert.throws(() => graphCredential({ ARM_USE_OIDC: "true", ARM_CLIENT_ID: "client" }), (e: Error) => e instanceof GraphCredentialError && /azuread:tenantId or ARM_TENANT_ID/.test(e.message));
        assert.throws(() => graphCredential({ ARM_CLIENT_SECRET: "s", ARM_TENANT_ID: "t" }), /ARM_CLIENT_ID/);
        assert.throws(() => graphCredential({ ARM_USE_CLI: "false" }), /ARM_USE_OIDC=true or ARM_CLIENT_SECRET/);
    });
});

describe("graph: the role assignment look-up", () => {
    let server: Server;
    let requests: { url: string; authorization?: string }[] = [];
    let answers: ((req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: unknown })[] = [];
    let baseUrl = "";

    before(async () => {
        server = createServer((req, res) => {
            requests.push({ url: req.url!, authorization: req.headers.authorization });
            const answer = answers.shift()!(req);
            res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
            res.end(JSON.stringify(answer.body ?? {}));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    after(() => server.close());
    beforeEach(() => {
        requests = [];
        answers = [];
    });

    it("asks once by role, follows nextLink, and waits out a 429's Retry-After", async () => {
        const a = (id: string) => ({ id, principalId: "p", roleDefinitionId: "r1", directoryScopeId: "/" });
        answers = [
            () => ({ status: 429, headers: { "Retry-After": "1" }, body: { error: { code: "TooManyRequests", message: "slow down" } } }),
            () => ({ status: 200, body: { value: [a("one")], "@odata.nextLink": `${baseUrl}v1.0/roleManagement/directory/roleAssignments?$skiptoken=2` } }),
            () => ({ status: 200, body: { value: [a("two")] } }),
        ];
        const client = graphClient(fakeCredential, { baseUrl });
        const found = await listDirectoryRoleAssignments(client, ["r1", "r2", "r1"]);
        assert.deepEqual(found.map((x) => x.id), ["one", "two"]);
        assert.equal(requests.length, 3, JSON.stringify(requests));
        const first = new URL(requests[0].url, baseUrl);
        assert.equal(first.pathname, "/v1.0/roleManagement/directory/roleAssignments");
        assert.equal(first.searchParams.get("$filter"), "roleDefinitionId in ('r1','r2')");
        assert.equal(first.searchParams.get("$select"), "id,principalId,roleDefinitionId,directoryScopeId");
        assert.equal(requests[1].url, requests[0].url, "the throttled request is retried as it was");
        assert.deepEqual(requests.map((r) => r.authorization), [undefined, undefined, undefined], "the library sends the token to https hosts only, never over plain http");
        assert.match(requests[2].url, /skiptoken=2/);
    });

    it("asks nothing for no roles", async () => {
        assert.deepEqual(await listDirectoryRoleAssignments(graphClient(fakeCredential, { baseUrl }), []), []);
        assert.equal(requests.length, 0);
    });

    it("a refusal comes back as an error with Graph's message", async () => {
        answers = [() => ({ status: 403, body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } } })];
        await assert.rejects(listDirectoryRoleAssignments(graphClient(fakeCredential, { baseUrl }), ["r1"]), /Insufficient privileges/);
    });
});

describe("graph: reading adopted accounts and the roles of principals, against the Graph emulator", () => {
    const SEED_FILE = join(__dirname, "../emulator/graph/seed.example.yaml");
    const REPORTS_READER = "4a5d8f65-41da-4de4-8968-e035b65339cf";
    const ROLES = ["62e90394-69f5-4237-9190-012177145e10", "fe930be7-5e62-47db-91af-98c3a49a38b1", "29232cdf-9323-42fd-ade2-1d097af3e4de", "729827e3-9c14-49f7-bb1b-9608f156bbb8", "966707d0-3269-4727-9be2-8c3a10f19b9d", "b0f54661-2d74-4c50-afa3-1ec803f12efe", REPORTS_READER];
    const id = (i: number) => `5e5e5e5e-0000-4000-8000-${String(i).padStart(12, "0")}`;
    let emulator: GraphEmulator;
    let reader: Client;

    before(async () => {
        const seed = loadGraphSeed(SEED_FILE);
        // 20 more people, each holding 7 roles: more ids than one `in` clause takes, more assignments than one page.
        for (let i = 0; i < 20; i++) {
            seed.users.push({ id: id(i), userPrincipalName: `person${i}@harbourfinch.com.au`, displayName: `Person ${i}`, accountEnabled: i % 2 === 0, ...(i === 3 ? { onPremisesSyncEnabled: true } : {}) });
            for (const role of ROLES) seed.roleAssignments!.push({ principalId: id(i), roleDefinitionId: role });
        }
        emulator = await startGraphEmulator({ seed });
        reader = emulatorGraphClient(emulator.url, emulatorCredential(emulator.url, emulator.tenantId, seed.apps[1].clientId, seed.apps[1].clientSecret));
    });
    after(() => emulator.close());
    beforeEach(() => emulator.calls.splice(0));

    const queries = (path: string) => emulator.calls.filter((c) => c.path === path).map((c) => new URLSearchParams(c.query));

    it("reads users by id, 15 to a request, with the fields the adoption check needs; an unknown id is absent", async () => {
        const ids = [...Array.from({ length: 20 }, (_, i) => id(i).toUpperCase()), "00000000-0000-4000-8000-000000000000", id(0)];
        const users = await readUsersById(reader, ids);
        assert.equal(users.length, 20);
        assert.deepEqual(users.find((u) => u.id === id(3)), { id: id(3), userPrincipalName: "person3@harbourfinch.com.au", displayName: "Person 3", accountEnabled: false, onPremisesSyncEnabled: true });
        assert.deepEqual(users.find((u) => u.id === id(4)), { id: id(4), userPrincipalName: "person4@harbourfinch.com.au", displayName: "Person 4", accountEnabled: true, onPremisesSyncEnabled: null });
        const asked = queries("/v1.0/users");
        assert.equal(asked.length, 2, "21 distinct ids: two requests");
        assert.deepEqual(asked.map((q) => (q.get("$filter")!.match(/'/g) ?? []).length / 2), [15, 6]);
        assert.equal(asked[0].get("$select"), "id,userPrincipalName,displayName,accountEnabled,onPremisesSyncEnabled");
        assert.deepEqual(emulator.calls.filter((c) => c.path.startsWith("/v1.0")).map((c) => c.status), [200, 200]);
    });

    it("lists the role assignments of users and a role-assignable group in chunks of 15 principals, following nextLink", async () => {
        const IT_ADMINS = "1f0e2d3c-0007-4b5a-9c8d-7e6f5a4b3c07";
        const principals = [...Array.from({ length: 20 }, (_, i) => id(i)), IT_ADMINS];
        const found = await listRoleAssignmentsOfPrincipals(reader, principals);
        assert.equal(found.length, 20 * 7 + 2);
        assert.deepEqual(found.filter((a) => a.principalId === IT_ADMINS).map((a) => a.roleDefinitionId).sort(), [REPORTS_READER, "729827e3-9c14-49f7-bb1b-9608f156bbb8"]);
        assert.equal(new Set(found.map((a) => a.id)).size, found.length, "no assignment twice");
        const asked = queries("/v1.0/roleManagement/directory/roleAssignments");
        // The first 15 principals hold 105 assignments: two pages of Graph's default 100; the other 6 hold 37: one page.
        // The chunks are asked for at once, so their order is not fixed.
        assert.deepEqual(asked.map((q) => `${(q.get("$filter")!.match(/'/g) ?? []).length / 2} principals${q.has("$skiptoken") ? ", next page" : ""}`).sort(), [
            "15 principals",
            "15 principals, next page",
            "6 principals",
        ]);
    });

    it("lists the tenant's role-assignable groups in one request", async () => {
        assert.deepEqual(await listRoleAssignableGroups(reader), [{ id: "1f0e2d3c-0007-4b5a-9c8d-7e6f5a4b3c07", displayName: "IT Admins" }]);
        assert.deepEqual(queries("/v1.0/groups").map((q) => [q.get("$filter"), q.get("$count")]), [["isAssignableToRole eq true", "true"]]);
    });

    it("asks nothing for no ids", async () => {
        assert.deepEqual(await readUsersById(reader, []), []);
        assert.deepEqual(await listRoleAssignmentsOfPrincipals(reader, []), []);
        assert.equal(emulator.calls.length, 0);
    });
});

describe("graph: retries when Graph throttles (GRAPH_RETRY_POLICY)", function () {
    this.timeout(30_000);
    let emulator: GraphEmulator;
    const seed = loadGraphSeed(GRAPH_SEED);
    beforeEach(async () => (emulator = await startGraphEmulator({ seed })));
    afterEach(async () => emulator.close());
    const client = (retries?: GraphRetryPolicy) =>
        emulatorGraphClient(emulator.url, emulatorCredential(emulator.url, emulator.tenantId, DEPLOY_APP.id, DEPLOY_APP.secret), retries);
    const attempts = () => emulator.calls.filter((c) => c.path === "/v1.0/subscribedSkus").map((c) => c.status);

    it("retries as often as the library allows (10), not its default 3", async () => {
        assert.deepEqual(GRAPH_RETRY_POLICY, { maxRetries: 10, delaySeconds: 3, maxTotalWaitSeconds: 300 });
        emulator.faults.throttle(10, { path: /subscribedSkus/, retryAfterSeconds: 0 });
        assert.ok((await listSubscribedSkus(client())).length > 0);
        assert.deepEqual(attempts(), [...Array(10).fill(429), 200]);
    });

    it("gives up with Graph's 429 after the eleventh attempt, or once the waits would pass the bound", async () => {
        emulator.faults.throttle(11, { path: /subscribedSkus/, retryAfterSeconds: 0 });
        await assert.rejects(listSubscribedSkus(client()), (e: { statusCode?: number }) => e.statusCode === 429);
        assert.equal(attempts().length, 11);

        emulator.calls.length = 0;
        emulator.faults.throttle(5, { path: /subscribedSkus/, retryAfterSeconds: 1 });
        const started = Date.now();
        await assert.rejects(listSubscribedSkus(client({ ...GRAPH_RETRY_POLICY, maxTotalWaitSeconds: 2 })), (e: { statusCode?: number }) => e.statusCode === 429);
        assert.deepEqual(attempts(), [429, 429, 429], "waited 1 s twice; a third wait would pass 2 s");
        assert.ok(Date.now() - started >= 1900, "Retry-After was honoured");
    });
});
