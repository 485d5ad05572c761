import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatCall, startEmulatorCommand } from "../cli/emulator";
import { loadSeed, startEmulator, type Emulator, type EmulatorSeed } from "../emulator";
import { captureIO } from "./support/io";

const AZURE = "3f2b8c1e-7d6a-4b5c-9e8f-0a1b2c3d0002";
const CDS = "09b9a9b0-6ce8-44ad-8e39-7e1f1e4a0001";
const U = {
    jane: "u-jane",
    raj: "u-raj",
    niraj: "u-niraj",
    mei: "u-mei",
    sean: "u-sean",
    tom: "u-tom",
    lucy: "u-lucy",
    rajCloud: "u-raj-cloud",
};
const PORTAL_ROLE = "role_portal_au";
const XPM_ROLE = "role_xpm";
const DOMAIN = "harbourfinch.com.au";

function testSeed(oauth: Partial<EmulatorSeed["oauth"]> = {}): EmulatorSeed {
    const azure = (uuid: string, name: string, displayName: string, extra: Partial<EmulatorSeed["directoryUsers"][number]> = {}) => ({
        directoryUuid: AZURE,
        uuid,
        userName: `${name}@${DOMAIN}`,
        displayName,
        email: `${name}@${DOMAIN}`,
        ...extra,
    });
    return {
        oauth: { appId: "UsersAsCode", clientId: "svc@harbourfinch", clientSecret: "s3cret:with colon", scope: "users-as-code", ...oauth },
        directories: [
            { uuid: CDS, name: "CDS", displayName: "CyberArk Cloud Directory", service: "CDS" },
            { uuid: AZURE, name: "AzureAD-harbourfinch", displayName: "Azure AD - Harbour Finch", service: "AzureAD" },
        ],
        directoryUsers: [
            azure(U.jane, "jane.citizen", "Jane Citizen", { status: "Active", mobileNumber: "+61 412 345 678" }),
            azure(U.raj, "raj.patel", "Raj Patel", { status: "Active" }),
            azure(U.niraj, "niraj.patel", "Niraj Patel"),
            azure(U.mei, "mei.chen", "Mei Chen", { status: "Invited" }),
            azure(U.sean, "sean.o'brien", "Sean O'Brien", { status: "Active" }),
            azure(U.tom, "tom.nguyen", "Tom Nguyen", { hiddenForQueries: 2 }),
            azure(U.lucy, "lucy.brown", "Lucy Brown"),
            { directoryUuid: CDS, uuid: U.rajCloud, userName: `raj.patel@${DOMAIN}`, displayName: "Raj Patel (cloud)" },
        ],
        roles: [
            {
                id: PORTAL_ROLE,
                name: "Portal Users - AU",
                members: [
                    { guid: U.jane, name: `jane.citizen@${DOMAIN}`, type: "User" },
                    { guid: U.raj, name: `raj.patel@${DOMAIN}`, type: "User" },
                    { guid: "g-all-staff", name: "All Staff", type: "Group" },
                ],
            },
            { id: XPM_ROLE, name: "XPM Users", description: "Xero Practice Manager", members: [{ guid: "u-unmanaged", name: `contractor@${DOMAIN}`, type: "User" }] },
        ],
    };
}

const NATIVE = { "X-IDAP-NATIVE-CLIENT": "true", "X-CENTRIFY-NATIVE-CLIENT": "true" };

interface Reply {
    status: number;
    contentType: string;
    headers: Headers;
    text: string;
    json: any;
}

async function reply(res: Response): Promise<Reply> {
    const text = await res.text();
    const contentType = res.headers.get("content-type") ?? "";
    return { status: res.status, contentType, headers: res.headers, text, json: contentType.startsWith("application/json") ? JSON.parse(text) : undefined };
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

async function tokenCall(em: Emulator, form: Record<string, string>, headers: Record<string, string> = {}, appId = "UsersAsCode"): Promise<Reply> {
    return reply(
        await fetch(`${em.url}/oauth2/token/${appId}`, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded", ...NATIVE, ...headers },
            body: new URLSearchParams(form).toString(),
        }),
    );
}

async function getToken(em: Emulator): Promise<string> {
    const r = await tokenCall(em, { grant_type: "client_credentials", scope: "users-as-code" }, { Authorization: basic("svc@harbourfinch", "s3cret:with colon") });
    assert.equal(r.status, 200, r.text);
    return r.json.access_token;
}

interface CallOptions {
    token?: string;
    headers?: Record<string, string>;
    native?: boolean;
    method?: string;
    signal?: AbortSignal;
    rawBody?: string;
}

async function call(em: Emulator, path: string, body: unknown = {}, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { "Content-Type": "application/json", ...(options.native === false ? {} : NATIVE), ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    const method = options.method ?? "POST";
    return reply(
        await fetch(`${em.url}${path}`, { method, headers, body: method === "GET" ? undefined : (options.rawBody ?? JSON.stringify(body)), signal: options.signal }),
    );
}

/** The user filter the platform wants: a JSON object serialised to a string. */
const likeFilter = (pattern: string) => JSON.stringify({ _and: [{ SystemName: { _like: pattern } }, { ObjectType: "user" }] });

const rows = (r: Reply, where: (result: any) => any = (result) => result) => where(r.json.Result).Results.map((x: any) => x.Row);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Before each test: a seeded emulator and a token for it, handed to `use`; closed after the test. */
function withSeededEmulator(use: (em: Emulator, token: string) => void): void {
    let started: Emulator;
    beforeEach(async () => {
        started = await startEmulator({ seed: testSeed() });
        use(started, await getToken(started));
    });
    afterEach(() => started.close());
}

describe("emulator: OAuth token", () => {
    let em: Emulator;
    beforeEach(async () => (em = await startEmulator({ seed: testSeed() })));
    afterEach(() => em.close());

    it("issues a bearer token for Basic client credentials, as plain OAuth JSON", async () => {
        const r = await tokenCall(em, { grant_type: "client_credentials", scope: "users-as-code" }, { Authorization: basic("svc@harbourfinch", "s3cret:with colon") });
        assert.equal(r.status, 200);
        assert.match(r.contentType, /^application\/json/);
        assert.deepEqual(Object.keys(r.json).sort(), ["access_token", "expires_in", "scope", "token_type"]);
        assert.equal(r.json.token_type, "Bearer");
        assert.equal(r.json.expires_in, 3600);
        assert.equal(r.json.scope, "users-as-code");
        assert.ok(r.json.access_token.length >= 32);
        const use = await call(em, "/Core/GetDirectoryServices", {}, { token: r.json.access_token });
        assert.equal(use.json.success, true);
    });

    it("issues a token for client_id/client_secret in the body (scope optional)", async () => {
        const r = await tokenCall(em, { grant_type: "client_credentials", client_id: "svc@harbourfinch", client_secret: "s3cret:with colon" });
        assert.equal(r.status, 200);
        assert.equal(r.json.scope, "users-as-code");
        assert.equal((await call(em, "/Core/GetDirectoryServices", {}, { token: r.json.access_token })).status, 200);
    });

    it("refuses a wrong secret, a wrong app id, another grant, a JSON body, and another scope with OAuth errors", async () => {
        const grant = { grant_type: "client_credentials" };
        const wrongSecret = await tokenCall(em, grant, { Authorization: basic("svc@harbourfinch", "nope") });
        assert.equal(wrongSecret.status, 401);
        assert.equal(wrongSecret.json.error, "invalid_client");
        assert.equal(typeof wrongSecret.json.error_description, "string");
        assert.equal(wrongSecret.json.access_token, undefined);

        const wrongBodySecret = await tokenCall(em, { ...grant, client_id: "svc@harbourfinch", client_secret: "nope" });
        assert.equal(wrongBodySecret.status, 401);

        const wrongApp = await tokenCall(em, grant, { Authorization: basic("svc@harbourfinch", "s3cret:with colon") }, "OtherApp");
        assert.equal(wrongApp.status, 400);
        assert.equal(wrongApp.json.error, "invalid_client");

        const password = await tokenCall(em, { grant_type: "password" }, { Authorization: basic("svc@harbourfinch", "s3cret:with colon") });
        assert.deepEqual([password.status, password.json.error], [400, "unsupported_grant_type"]);

        const scope = await tokenCall(em, { ...grant, scope: "everything" }, { Authorization: basic("svc@harbourfinch", "s3cret:with colon") });
        assert.deepEqual([scope.status, scope.json.error], [400, "invalid_scope"]);

        const json = await reply(
            await fetch(`${em.url}/oauth2/token/UsersAsCode`, {
                method: "POST",
                headers: { "Content-Type": "application/json", Authorization: basic("svc@harbourfinch", "s3cret:with colon") },
                body: JSON.stringify(grant),
            }),
        );
        assert.deepEqual([json.status, json.json.error], [400, "invalid_request"]);
    });

    it("expires tokens after tokenLifetimeSeconds, in real time", async () => {
        const short = await startEmulator({ seed: testSeed({ tokenLifetimeSeconds: 1 }) });
        try {
            const r = await tokenCall(short, { grant_type: "client_credentials", client_id: "svc@harbourfinch", client_secret: "s3cret:with colon" });
            assert.equal(r.json.expires_in, 1);
            assert.equal((await call(short, "/Core/GetDirectoryServices", {}, { token: r.json.access_token })).status, 200);
            await sleep(1100);
            const expired = await call(short, "/Core/GetDirectoryServices", {}, { token: r.json.access_token });
            assert.equal(expired.status, 401);
            assert.equal(expired.json.success, false);
            assert.match(expired.json.Message, /expired/);
            assert.equal((await call(short, "/Core/GetDirectoryServices", {}, { token: await getTokenFrom(short) })).status, 200);
        } finally {
            await short.close();
        }
    });
});

async function getTokenFrom(em: Emulator) {
    const r = await tokenCall(em, { grant_type: "client_credentials", client_id: "svc@harbourfinch", client_secret: "s3cret:with colon" });
    return r.json.access_token as string;
}

describe("emulator: transport and envelope", () => {
    let em: Emulator;
    let token: string;
    withSeededEmulator((started, bearer) => ((em = started), (token = bearer)));

    it("answers callers with one native-client header, the other, or neither, as the platform does", async () => {
        const variants: Record<string, string>[] = [{ "X-IDAP-NATIVE-CLIENT": "true" }, { "X-CENTRIFY-NATIVE-CLIENT": "1" }, { "X-CENTRIFY-NATIVE-CLIENT": "Yes" }, {}];
        for (const headers of variants) {
            const r = await call(em, "/Redrock/query", { Script: "Select Name from Role WHERE Name='XPM Users'" }, { token, native: false, headers });
            assert.equal(r.status, 200);
            assert.deepEqual(rows(r), [{ Name: "XPM Users" }], JSON.stringify(headers));
        }
    });

    it("answers 401 without a token, with an unknown token and with a revoked one; a new token works", async () => {
        const none = await call(em, "/Core/GetDirectoryServices");
        assert.equal(none.status, 401);
        assert.equal(none.json.success, false);
        assert.equal((await call(em, "/Core/GetDirectoryServices", {}, { token: "made-up" })).status, 401);

        assert.equal((await call(em, "/Core/GetDirectoryServices", {}, { token })).status, 200);
        em.revokeTokens();
        assert.equal((await call(em, "/Core/GetDirectoryServices", {}, { token })).status, 401);
        assert.equal((await call(em, "/Core/GetDirectoryServices", {}, { token: await getToken(em) })).status, 200);
    });

    it("wraps results in the platform's envelope", async () => {
        const r = await call(em, "/Core/GetDirectoryServices", {}, { token });
        assert.deepEqual(Object.keys(r.json).sort(), ["ErrorCode", "ErrorID", "Exception", "InnerExceptions", "IsSoftError", "Message", "MessageID", "Result", "success"]);
        assert.equal(r.json.success, true);
        assert.equal(r.json.Message, null);
    });

    it("answers a wrong-case parameter name as HTTP 200, success:false, \"Parameter 'X' must be specified\"", async () => {
        const role = await call(em, "/UserMgmt/RemoveUsers", { users: [U.jane] }, { token });
        assert.equal(role.status, 200);
        assert.equal(role.json.success, false);
        assert.equal(role.json.Message, "Parameter 'Users' must be specified.");
        assert.equal(role.json.Result, null);
        assert.equal(typeof role.json.ErrorID, "string");

        const script = await call(em, "/Redrock/query", { script: "Select ID from Role" }, { token });
        assert.equal(script.json.Message, "Parameter 'Script' must be specified.");
        const update = await call(em, "/Roles/UpdateRole", { name: PORTAL_ROLE, Users: { Delete: [U.jane] } }, { token });
        assert.equal(update.json.Message, "Parameter 'Name' must be specified.", "only the lower-case names released SDKs send are tolerated");
        const args = await call(em, "/Redrock/query", { Script: "Select ID from Role", Args: { pageSize: 1 } }, { token });
        assert.equal(args.json.Message, "Parameter 'PageSize' must be specified.");
        const filter = await call(em, "/UserMgmt/DirectoryServiceQuery", { User: likeFilter("x") }, { token });
        assert.equal(filter.json.Message, "Parameter 'user' must be specified.");
        assert.equal(em.state.directoryUsers.get(U.jane)!.status, "Active", "nothing changed");
        assert.equal(em.state.roles.get(PORTAL_ROLE)!.members.length, 3, "nothing changed");
    });

    it("takes the lower-case `name` (GetRoleMembers) and `args` (Redrock) that released SDKs send", async () => {
        const role = await call(em, "/Roles/GetRoleMembers", { name: PORTAL_ROLE }, { token });
        assert.equal(role.json.success, true);
        assert.deepEqual(rows(role).map((m: { Guid: string }) => m.Guid), [U.jane, U.raj, "g-all-staff"]);
        const paged = await call(em, "/Redrock/query", { Script: "Select Name from Role", args: { PageNumber: 2, PageSize: 1, Limit: 100 } }, { token });
        assert.equal(paged.json.success, true);
        assert.deepEqual(rows(paged), [{ Name: "System Administrator" }], "the args were read: page 2 of one row");
    });

    it("refuses a body that is not JSON", async () => {
        const form = await call(em, "/Redrock/query", {}, { token, headers: { "Content-Type": "application/x-www-form-urlencoded" }, rawBody: "Script=x" });
        assert.equal(form.json.success, false);
        assert.match(form.json.Message, /JSON/);
        const broken = await call(em, "/Redrock/query", {}, { token, rawBody: "{Script:" });
        assert.deepEqual([broken.status, broken.json.success], [200, false]);
    });

    it("answers an unknown path, or a GET, with 200 and an HTML page", async () => {
        const unknown = await call(em, "/UserMgmt/InviteUser", {}, { token });
        assert.equal(unknown.status, 200);
        assert.match(unknown.contentType, /^text\/html/);
        const get = await call(em, "/Redrock/query", undefined, { token, method: "GET" });
        assert.equal(get.status, 200);
        assert.match(get.contentType, /^text\/html/);
    });
});

describe("emulator: directories", () => {
    let em: Emulator;
    let token: string;
    const query = (body: unknown) => call(em, "/UserMgmt/DirectoryServiceQuery", body, { token });
    withSeededEmulator((started, bearer) => ((em = started), (token = bearer)));

    it("lists directory services", async () => {
        const r = await call(em, "/Core/GetDirectoryServices", {}, { token });
        const row = (Service: string, Name: string, DisplayName: string, directoryServiceUuid: string) => ({ Service, Name, DisplayName, DisplayNameShort: DisplayName, directoryServiceUuid, Status: "Active", StatusDisplay: "Online" });
        const expected = [row("CDS", "CDS", "CyberArk Cloud Directory", CDS), row("AzureAD", "AzureAD-harbourfinch", "Azure AD - Harbour Finch", AZURE)];
        assert.deepEqual(rows(r), expected);
        assert.equal(r.json.Result.FullCount, 2);
        const get = await call(em, "/Core/GetDirectoryServices", undefined, { token, method: "GET" });
        assert.deepEqual(rows(get), expected, "CyberArk's SDKs call it with GET");
    });

    it("finds a user with the filter as a JSON string, and rejects the object form", async () => {
        const r = await query({ user: likeFilter(`jane.citizen@${DOMAIN}`), directoryServices: [AZURE], Args: { PageNumber: 1, PageSize: 1000, Limit: 1000, SortBy: "", Caching: -1 } });
        assert.equal(r.json.success, true);
        assert.deepEqual(rows(r, (x) => x.User), [
            {
                DisplayName: "Jane Citizen",
                ObjectType: "User",
                DirectoryServiceUuid: AZURE,
                SystemName: `jane.citizen@${DOMAIN}`,
                InternalName: U.jane,
                EMail: `jane.citizen@${DOMAIN}`,
                Status: "Active",
                Enabled: true,
            },
        ]);
        assert.deepEqual([r.json.Result.User.Count, r.json.Result.User.FullCount], [1, 1]);
        assert.deepEqual(r.json.Result.User.Results[0].Entities, [{ Type: "User", Key: U.jane, IsForeignKey: false }], "the uuid in Entities[0].Key too");

        const object = await query({ user: JSON.parse(likeFilter(`jane.citizen@${DOMAIN}`)), directoryServices: [AZURE] });
        assert.equal(object.status, 200);
        assert.equal(object.json.success, false);
        assert.match(object.json.Message, /'user' must be a JSON string/);

        const notJson = await query({ user: "SystemName like jane", directoryServices: [AZURE] });
        assert.equal(notJson.json.success, false);
        const unknownDirectory = await query({ user: likeFilter("jane"), directoryServices: ["no-such-directory"] });
        assert.equal(unknownDirectory.json.success, false);
        assert.match(unknownDirectory.json.Message, /no-such-directory/);
    });

    it("treats _like as a case-insensitive substring pattern that can match several users", async () => {
        const names = async (pattern: string, directories = [AZURE]) =>
            rows(await query({ user: likeFilter(pattern), directoryServices: directories }), (x) => x.User)
                .map((row: any) => row.SystemName)
                .sort();
        assert.deepEqual(await names(`RAJ.Patel@${DOMAIN}`), [`niraj.patel@${DOMAIN}`, `raj.patel@${DOMAIN}`]);
        assert.deepEqual(await names(`raj.patel@${DOMAIN}`, [AZURE, CDS]), [`niraj.patel@${DOMAIN}`, `raj.patel@${DOMAIN}`, `raj.patel@${DOMAIN}`]);
        assert.deepEqual(await names(`raj.patel@${DOMAIN}`, [CDS]), [`raj.patel@${DOMAIN}`]);
        assert.deepEqual(await names("j%citizen"), [`jane.citizen@${DOMAIN}`]);
        assert.deepEqual(await names("mei*chen@"), [`mei.chen@${DOMAIN}`]);
        assert.deepEqual(await names("jane.citizen@harbourfinch.com"), [`jane.citizen@${DOMAIN}`]);
        assert.deepEqual(await names("j.ne"), [], "a dot is not a wildcard");
    });

    it("hides a user for hiddenForQueries matching queries only", async () => {
        const tom = async () => rows(await query({ user: likeFilter(`tom.nguyen@${DOMAIN}`), directoryServices: [AZURE] }), (x) => x.User).length;
        await query({ user: likeFilter(`lucy.brown@${DOMAIN}`), directoryServices: [AZURE] });
        assert.equal(em.state.directoryUsers.get(U.tom)!.hiddenForQueries, 2, "a query that does not match him leaves the count");
        assert.equal(await tom(), 0);
        assert.equal(await tom(), 0);
        assert.equal(await tom(), 1);
        assert.equal(em.state.directoryUsers.get(U.tom)!.hiddenForQueries, 0);
    });

    it("finds users added while running", async () => {
        em.state.addDirectoryUser({ directoryUuid: AZURE, uuid: "u-new", userName: `new.starter@${DOMAIN}`, displayName: "New Starter", hiddenForQueries: 1 });
        const find = () => query({ user: likeFilter(`new.starter@${DOMAIN}`), directoryServices: [AZURE] });
        assert.equal(rows(await find(), (x) => x.User).length, 0);
        assert.deepEqual(
            rows(await find(), (x) => x.User).map((row: any) => [row.InternalName, row.Status]),
            [["u-new", "Not Invited"]],
        );
        assert.throws(() => em.state.addDirectoryUser({ directoryUuid: AZURE, uuid: "u-new", userName: "x", displayName: "x" }), /already exists/);
    });
});

describe("emulator: Redrock queries", () => {
    let em: Emulator;
    let token: string;
    const redrock = (Script: string, Args?: unknown) => call(em, "/Redrock/query", Args === undefined ? { Script } : { Script, Args }, { token });
    const USER_COLUMNS = "ID, Username, DisplayName, Email, MobileNumber, Status, LastInvite, LastLogin, DirectoryServiceUuid";
    withSeededEmulator((started, bearer) => ((em = started), (token = bearer)));

    it("lists portal users (Invited or Active only) page by page, with FullCount the total", async () => {
        const pages: any[] = [];
        for (let page = 1; page <= 3; page++) {
            const r = await redrock(`Select ${USER_COLUMNS} from User`, { PageNumber: page, PageSize: 3, Limit: 3, SortBy: "", Caching: -1 });
            assert.equal(r.json.success, true);
            assert.equal(r.json.Result.FullCount, 4);
            pages.push(rows(r));
        }
        assert.deepEqual(
            pages.map((p) => p.length),
            [3, 1, 0],
        );
        assert.deepEqual(pages.flat().map((row: any) => row.ID).sort(), [U.jane, U.mei, U.raj, U.sean].sort());
        const first = await redrock(`select ${USER_COLUMNS} from user`);
        assert.deepEqual(
            first.json.Result.Columns.map((c: any) => c.Name),
            USER_COLUMNS.split(", "),
        );
        const jane = rows(first).find((row: any) => row.ID === U.jane);
        assert.equal(jane.Username, `jane.citizen@${DOMAIN}`);
        assert.equal(jane.MobileNumber, "+61 412 345 678");
        assert.equal(jane.DirectoryServiceUuid, AZURE);
        assert.match(jane.LastInvite, /^\/Date\(\d+\)\/$/);
        const limited = await redrock("Select ID from User", { PageNumber: 1, PageSize: 10, Limit: 2 });
        assert.deepEqual([rows(limited).length, limited.json.Result.FullCount], [2, 4]);
        const sorted = await redrock("Select Username from User", { SortBy: "Username desc" });
        assert.equal(rows(sorted)[0].Username, `sean.o'brien@${DOMAIN}`);
    });

    it("filters with WHERE col='text': case-insensitive equality, '' escapes a quote", async () => {
        const raj = await redrock(`Select ID, Username from User WHERE Username='RAJ.PATEL@${DOMAIN.toUpperCase()}'`);
        assert.deepEqual(rows(raj), [{ ID: U.raj, Username: `raj.patel@${DOMAIN}` }]);
        const sean = await redrock(`SELECT ID FROM User WHERE Username = 'sean.o''brien@${DOMAIN}';`);
        assert.deepEqual(rows(sean), [{ ID: U.sean }]);
        const notInPortal = await redrock(`Select ID from User WHERE Username='lucy.brown@${DOMAIN}'`);
        assert.deepEqual([rows(notInPortal), notInPortal.json.Result.FullCount], [[], 0]);
        const role = await redrock("Select ID, Name, Description from Role WHERE Name='xpm users'");
        assert.deepEqual(rows(role), [{ ID: XPM_ROLE, Name: "XPM Users", Description: "Xero Practice Manager" }]);
        const builtIns = await redrock("Select Name from Role");
        assert.deepEqual(rows(builtIns).map((row: any) => row.Name).sort(), ["Everybody", "Portal Users - AU", "System Administrator", "XPM Users"]);
    });

    it("answers an unescaped quote or anything outside the subset with a syntax error, never an injection", async () => {
        const cases: [string, RegExp][] = [
            [`Select ID from User WHERE Username='sean.o'brien@${DOMAIN}'`, /near "brien": syntax error/],
            ["Select ID from User WHERE Username='x' OR '1'='1'", /near "OR": syntax error/],
            ["Select ID from User WHERE Username='x' OR Username<>''", /near "OR"|unrecognized token/],
            ["Select ID from User WHERE Username='never closed", /unrecognized token/],
            ["Select ID from User; DELETE from User", /near "DELETE": syntax error/],
            ["DELETE from User", /near "DELETE": syntax error/],
            ["Select ID from", /incomplete input/],
            ["Select ID from User WHERE Username=x", /near "x": syntax error/],
        ];
        for (const [script, message] of cases) {
            const r = await redrock(script);
            assert.equal(r.status, 200, script);
            assert.equal(r.json.success, false, script);
            assert.match(r.json.Message, message, script);
        }
        assert.match((await redrock("Select ID from Users")).json.Message, /no such table: Users/);
        assert.match((await redrock("Select Password from User")).json.Message, /no such column: Password/);
        assert.equal([...em.state.directoryUsers.values()].filter((u) => u.status !== "Not Invited").length, 4, "nothing was changed");
    });
});

describe("emulator: invites and portal membership", () => {
    let em: Emulator;
    let token: string;
    const status = async (uuid: string, name: string) => {
        const r = await call(em, "/UserMgmt/DirectoryServiceQuery", { user: likeFilter(name), directoryServices: [AZURE] }, { token });
        return rows(r, (x) => x.User).find((row: any) => row.InternalName === uuid)?.Status;
    };
    const portalUser = async (name: string) => rows(await call(em, "/Redrock/query", { Script: `Select ID, Status, LastInvite from User WHERE Username='${name}'` }, { token }))[0];
    withSeededEmulator((started, bearer) => ((em = started), (token = bearer)));

    it("invites: the user joins the portal as Invited, the invite is recorded, re-inviting resends", async () => {
        const lucy = `lucy.brown@${DOMAIN}`;
        assert.equal(await status(U.lucy, lucy), "Not Invited");
        assert.equal(await portalUser(lucy), undefined);

        const before = Date.now();
        const r = await call(em, "/UserMgmt/InviteUsers", { Entities: [{ Type: "User", Guid: U.lucy, Name: lucy }], EmailInvite: true, SmsInvite: false, GroupInvite: false }, { token });
        assert.equal(r.json.success, true);
        assert.deepEqual(r.json.Result, { Exceptions: { User: [] } });
        assert.equal(await status(U.lucy, lucy), "Invited");
        const first = await portalUser(lucy);
        assert.equal(first.Status, "Invited");
        const firstInvite = Number(/\d+/.exec(first.LastInvite)![0]);
        assert.ok(firstInvite >= before && firstInvite <= Date.now());
        assert.deepEqual(
            em.state.invites.map(({ uuid, userName, email }) => ({ uuid, userName, email })),
            [{ uuid: U.lucy, userName: lucy, email: true }],
        );

        await sleep(5);
        await call(em, "/UserMgmt/InviteUsers", { Entities: [{ Type: "User", Guid: U.lucy, Name: lucy }], EmailInvite: false, SmsInvite: false, GroupInvite: false }, { token });
        assert.equal(em.state.invites.length, 2);
        assert.equal(em.state.invites[1].email, false);
        const second = await portalUser(lucy);
        assert.ok(Number(/\d+/.exec(second.LastInvite)![0]) > firstInvite, "LastInvite moves");
        assert.equal(second.Status, "Invited");

        em.state.activate(U.lucy);
        assert.equal(await status(U.lucy, lucy), "Active");
        assert.match((await call(em, "/Redrock/query", { Script: `Select LastLogin from User WHERE Username='${lucy}'` }, { token })).text, /\/Date\(\d+\)\//);
        em.state.removeFromPortal(U.lucy);
        assert.equal(await status(U.lucy, lucy), "Not Invited");
        assert.equal(await portalUser(lucy), undefined);
    });

    it("invites several at once, adds them to an optional Role, and reports unknown Guids per item", async () => {
        const r = await call(
            em,
            "/UserMgmt/InviteUsers",
            {
                Entities: [
                    { Type: "User", Guid: U.lucy, Name: `lucy.brown@${DOMAIN}` },
                    { Type: "User", Guid: "u-ghost", Name: `ghost@${DOMAIN}` },
                    { Type: "User", Guid: U.tom, Name: `tom.nguyen@${DOMAIN}` },
                ],
                EmailInvite: true,
                SmsInvite: false,
                GroupInvite: false,
                Role: "XPM Users",
            },
            { token },
        );
        assert.equal(r.json.success, true);
        assert.deepEqual(
            r.json.Result.Exceptions.User.map((e: any) => e.ID),
            ["u-ghost"],
        );
        assert.deepEqual(
            em.state.invites.map((i) => i.uuid),
            [U.lucy, U.tom],
        );
        assert.deepEqual(
            em.state.roles.get(XPM_ROLE)!.members.map((m) => m.guid),
            ["u-unmanaged", U.lucy, U.tom],
        );
    });

    it("fails the whole invite for an unknown Role, inviting nobody", async () => {
        const r = await call(em, "/UserMgmt/InviteUsers", { Entities: [{ Type: "User", Guid: U.lucy, Name: `lucy.brown@${DOMAIN}` }], EmailInvite: true, Role: "No Such Role" }, { token });
        assert.equal(r.json.success, false);
        assert.match(r.json.Message, /No Such Role/);
        assert.equal(em.state.invites.length, 0);
        assert.equal(em.state.directoryUsers.get(U.lucy)!.status, "Not Invited");
    });

    it("RemoveUsers removes portal accounts and reports unknown uuids in Result.Exceptions.User, success staying true", async () => {
        const r = await call(em, "/UserMgmt/RemoveUsers", { Users: [U.raj, "u-ghost", U.lucy] }, { token });
        assert.equal(r.json.success, true);
        assert.deepEqual(
            r.json.Result.Exceptions.User.map((e: any) => e.ID),
            ["u-ghost", U.lucy],
        );
        assert.ok(r.json.Result.Exceptions.User.every((e: any) => typeof e.Message === "string" && e.Message.length > 0));
        assert.equal(em.state.directoryUsers.get(U.raj)!.status, "Not Invited");
        assert.equal(await portalUser(`raj.patel@${DOMAIN}`), undefined);
        assert.equal(await status(U.raj, `raj.patel@${DOMAIN}`), "Not Invited");
        assert.ok(
            em.state.roles.get(PORTAL_ROLE)!.members.some((m) => m.guid === U.raj),
            "role membership is left alone (the reference: only the portal account goes)",
        );
    });
});

describe("emulator: roles", () => {
    let em: Emulator;
    let token: string;
    const members = async (id: string) => rows(await call(em, "/Roles/GetRoleMembers", { Name: id }, { token }));
    withSeededEmulator((started, bearer) => ((em = started), (token = bearer)));

    it("GetRoleMembers returns every member whatever the paging arguments, by body Name or ?name=", async () => {
        const expected = [
            { Guid: U.jane, Name: `jane.citizen@${DOMAIN}`, Type: "User" },
            { Guid: U.raj, Name: `raj.patel@${DOMAIN}`, Type: "User" },
            { Guid: "g-all-staff", Name: "All Staff", Type: "Group" },
        ];
        const paged = await call(em, "/Roles/GetRoleMembers", { Name: PORTAL_ROLE, Args: { PageNumber: 2, PageSize: 1, Limit: 1 } }, { token });
        assert.deepEqual(rows(paged), expected);
        assert.equal(paged.json.Result.FullCount, 3);
        assert.equal(paged.json.Result.hasMoreRows, false);
        const byQuery = await call(em, `/Roles/GetRoleMembers?name=${PORTAL_ROLE}`, {}, { token });
        assert.deepEqual(rows(byQuery), expected);

        assert.deepEqual(await members("everybody"), []);
        const unknown = await call(em, "/Roles/GetRoleMembers", { Name: "Portal Users - AU" }, { token });
        assert.equal(unknown.json.success, false, "Name is the role id, not its name");
    });

    it("UpdateRole adds and deletes users; adding a member twice is a no-op", async () => {
        const update = (body: unknown) => call(em, "/Roles/UpdateRole", body, { token });
        const r = await update({ Name: PORTAL_ROLE, Users: { Add: [U.mei, U.jane], Delete: [U.raj] } });
        assert.equal(r.json.success, true);
        assert.equal(r.json.Result, null);
        assert.deepEqual(
            (await members(PORTAL_ROLE)).map((m: any) => [m.Guid, m.Name, m.Type]),
            [
                [U.jane, `jane.citizen@${DOMAIN}`, "User"],
                ["g-all-staff", "All Staff", "Group"],
                [U.mei, `mei.chen@${DOMAIN}`, "User"],
            ],
        );
        assert.equal((await update({ Name: PORTAL_ROLE, Users: { Add: [U.mei] } })).json.success, true);
        assert.equal((await update({ Name: PORTAL_ROLE, Users: { Delete: ["u-not-a-member"] } })).json.success, true);
        assert.equal((await members(PORTAL_ROLE)).length, 3);

        const unknownRole = await update({ Name: "no_such_role", Users: { Add: [U.mei] } });
        assert.equal(unknownRole.json.success, false);
        const unknownUser = await update({ Name: PORTAL_ROLE, Users: { Add: [U.lucy, "u-ghost"] } });
        assert.equal(unknownUser.json.success, false);
        assert.equal((await members(PORTAL_ROLE)).length, 3, "a failed update changes nothing");
        assert.equal((await update({ Name: "everybody", Users: { Add: [U.mei] } })).json.success, false);
        assert.equal((await update({ Name: PORTAL_ROLE, Users: { add: [U.lucy] } })).json.Message, "Parameter 'Add' must be specified.");
    });

    it("StoreRole creates a role each time (not idempotent by name); DeleteRole deletes by id, never a built-in one", async () => {
        const store = () => call(em, "/Roles/StoreRole", { Name: "Payroll", Description: "Payroll app", RoleType: "PrincipalList" }, { token });
        const a = (await store()).json.Result._RowKey;
        const b = (await store()).json.Result._RowKey;
        assert.notEqual(a, b);
        const named = await call(em, "/Redrock/query", { Script: "Select ID, Name from Role WHERE Name='Payroll'" }, { token });
        assert.deepEqual(rows(named).map((row: any) => row.ID).sort(), [a, b].sort());

        assert.equal((await call(em, "/SaasManage/DeleteRole", { Name: a }, { token })).json.success, true);
        assert.equal(em.state.roles.has(a), false);
        assert.equal((await call(em, "/SaasManage/DeleteRole", { Name: a }, { token })).json.success, false);
        assert.equal((await call(em, "/SaasManage/DeleteRole", { Name: "sysadmin" }, { token })).json.success, false);
        assert.equal(em.state.roles.get("sysadmin")!.name, "System Administrator");
    });
});

describe("emulator: faults", () => {
    let em: Emulator;
    let token: string;
    withSeededEmulator((started, bearer) => ((em = started), (token = bearer)));

    it("429: answers count calls with Retry-After, then normally", async () => {
        em.injectFaults({ kind: "429", retryAfterSeconds: 7 }, 2);
        for (let i = 0; i < 2; i++) {
            const r = await call(em, "/Core/GetDirectoryServices", {}, { token });
            assert.equal(r.status, 429);
            assert.equal(r.headers.get("retry-after"), "7");
        }
        assert.equal((await call(em, "/Core/GetDirectoryServices", {}, { token })).status, 200);
        em.injectFaults({ kind: "429" }, 1);
        const bare = await call(em, "/Core/GetDirectoryServices", {}, { token });
        assert.equal(bare.status, 429);
        assert.equal(bare.headers.get("retry-after"), null);
    });

    it("500 and html: a 500 with an HTML body, and a 200 HTML page instead of JSON", async () => {
        em.injectFaults({ kind: "500" }, 1);
        em.injectFaults({ kind: "html" }, 1);
        const failed = await call(em, "/Core/GetDirectoryServices", {}, { token });
        assert.equal(failed.status, 500);
        assert.match(failed.contentType, /^text\/html/);
        const html = await call(em, "/Core/GetDirectoryServices", {}, { token });
        assert.equal(html.status, 200);
        assert.match(html.contentType, /^text\/html/);
        assert.match(html.text, /<html>/);
        assert.equal((await call(em, "/Core/GetDirectoryServices", {}, { token })).json.success, true);
    });

    it("applies only to matching paths, the token call included, and a faulted call changes nothing", async () => {
        em.injectFaults({ kind: "500" }, 1, { path: /^\/UserMgmt\/InviteUsers$/ });
        em.injectFaults({ kind: "429", retryAfterSeconds: 1 }, 1, { path: /^\/oauth2\/token\// });
        assert.equal((await call(em, "/Core/GetDirectoryServices", {}, { token })).status, 200);
        const invite = await call(em, "/UserMgmt/InviteUsers", { Entities: [{ Type: "User", Guid: U.lucy, Name: "x" }], EmailInvite: true }, { token });
        assert.equal(invite.status, 500);
        assert.equal(em.state.invites.length, 0);
        const tokenReply = await tokenCall(em, { grant_type: "client_credentials", client_id: "svc@harbourfinch", client_secret: "s3cret:with colon" });
        assert.equal(tokenReply.status, 429);
        assert.equal(typeof (await getTokenFrom(em)), "string");
    });

    it("hang: never answers, so a client-side timeout fires; close() ends the hung request", async () => {
        em.injectFaults({ kind: "hang" }, 1, { path: /Redrock/ });
        const started = Date.now();
        await assert.rejects(
            call(em, "/Redrock/query", { Script: "Select ID from Role" }, { token, signal: AbortSignal.timeout(300) }),
            (e: Error) => e.name === "TimeoutError",
        );
        assert.ok(Date.now() - started >= 290);
        assert.deepEqual(
            em.calls.filter((c) => c.path === "/Redrock/query").map((c) => c.status),
            [0],
        );
        const pending = call(em, "/Redrock/query", { Script: "Select ID from Role" }, { token });
        assert.equal((await pending).json.success, true, "the fault was used up");
        em.injectFaults({ kind: "hang" }, 1);
        const hung = call(em, "/Core/GetDirectoryServices", {}, { token }).then(
            () => "answered",
            () => "connection ended",
        );
        await sleep(50);
        await em.close();
        assert.equal(await hung, "connection ended");
    });
});

describe("emulator: call log, seed file and CLI", () => {
    it("records every call in order with method, path, query, parsed body, status and time", async () => {
        const em = await startEmulator({ seed: testSeed() });
        try {
            const before = Date.now();
            const token = await getTokenFrom(em);
            await call(em, `/Roles/GetRoleMembers?name=${PORTAL_ROLE}`, {}, { token });
            await call(em, "/Redrock/query", { Script: "Select ID from Role" });
            await call(em, "/Nope", { a: 1 }, { token });
            assert.deepEqual(
                em.calls.map(({ at, ...rest }) => rest),
                [
                    {
                        method: "POST",
                        path: "/oauth2/token/UsersAsCode",
                        query: "",
                        body: { grant_type: "client_credentials", client_id: "svc@harbourfinch", client_secret: "s3cret:with colon" },
                        status: 200,
                    },
                    { method: "POST", path: "/Roles/GetRoleMembers", query: `name=${PORTAL_ROLE}`, body: {}, status: 200, success: true },
                    { method: "POST", path: "/Redrock/query", query: "", body: { Script: "Select ID from Role" }, status: 401, success: false },
                    { method: "POST", path: "/Nope", query: "", body: { a: 1 }, status: 200 },
                ],
            );
            assert.ok(em.calls.every((c, i) => c.at >= before && c.at <= Date.now() && (i === 0 || c.at >= em.calls[i - 1].at)));
            em.calls.length = 0;
            await call(em, "/Core/GetDirectoryServices", {}, { token });
            assert.equal(em.calls.length, 1);
        } finally {
            await em.close();
        }
    });

    it("loads the example seed: an Azure AD source with the users.yaml UPNs, managed roles and built-in roles", () => {
        const seed = loadSeed("emulator/seed.example.yaml");
        const azure = seed.directories.find((d) => d.displayName === "Azure AD - Harbour Finch")!;
        assert.ok(azure);
        const upns = seed.directoryUsers.filter((u) => u.directoryUuid === azure.uuid).map((u) => u.userName);
        for (const name of ["jane.citizen", "raj.patel", "mei.chen", "tom.nguyen", "sarah.oconnor", "lucy.brown", "david.smith", "peter.jones"]) {
            assert.ok(upns.includes(`${name}@${DOMAIN}`), name);
        }
        assert.deepEqual(seed.roles.map((r) => r.name).sort(), ["Everybody", "Office Apps", "Portal Users - AU", "System Administrator", "XPM Users"]);
        const dir = mkdtempSync(join(tmpdir(), "emulator-seed-"));
        const broken = join(dir, "seed.json");
        writeFileSync(broken, JSON.stringify({ ...seed, directoryUsers: [{ ...seed.directoryUsers[0], directoryUuid: "nowhere" }], roles: [{ id: "r", name: "R" }] }));
        assert.throws(() => loadSeed(broken), (e: Error) => e.message.startsWith(`${broken}: invalid seed`) && /unknown directory 'nowhere'/.test(e.message));
        writeFileSync(broken, JSON.stringify({ ...seed, oauth: { ...seed.oauth, clientSecret: undefined } }));
        assert.throws(() => loadSeed(broken), /invalid seed[\s\S]*oauth\.clientSecret/);
        writeFileSync(broken, "oauth: [");
        assert.throws(() => loadSeed(broken), /not a YAML or JSON seed/);
    });

    it("npm run emulator prints the URL and OAuth settings (not the secret) and logs one line per call", async () => {
        const io = captureIO();
        const em = (await startEmulatorCommand(["--port", "0"], io))!;
        try {
            const seed = loadSeed("emulator/seed.example.yaml");
            assert.equal(io.stdout[0], `Practice Protect emulator listening on ${em.url}`);
            const banner = io.stdout.join("\n");
            assert.match(banner, new RegExp(`app id +${seed.oauth.appId}`));
            assert.match(banner, new RegExp(`client id +${seed.oauth.clientId}`));
            assert.match(banner, /client secret +oauth\.clientSecret in emulator\/seed\.example\.yaml/);
            assert.match(banner, /Azure AD - Harbour Finch/);
            assert.ok(!banner.includes(seed.oauth.clientSecret));

            const lines = io.stdout.length;
            const r = await tokenCall(em, { grant_type: "client_credentials", client_id: seed.oauth.clientId, client_secret: seed.oauth.clientSecret }, {}, seed.oauth.appId);
            assert.equal(r.status, 200);
            assert.equal(io.stdout.length, lines + 1);
            assert.match(io.stdout[lines], /^\d\d:\d\d:\d\d\.\d{3} POST \/oauth2\/token\/UsersAsCode 200 \{.*"client_secret":"\*\*\*"/);
            assert.ok(!io.stdout[lines].includes(seed.oauth.clientSecret));
            assert.equal(formatCall({ method: "POST", path: "/x", query: "a=1", body: undefined, status: 0, at: 0 }), "00:00:00.000 POST /x?a=1 (hung)");
        } finally {
            await em.close();
        }
        await assert.rejects(startEmulatorCommand(["--port", "http"], captureIO()), /--port must be a port number/);
    });

    it("npm run emulator --quirk plays a reading of undocumented behaviour, and names the quirks it knows", async () => {
        const io = captureIO();
        const em = (await startEmulatorCommand(["--quirk", "401-in-envelope", "--quirk", "lower-case-user-names"], io))!;
        try {
            assert.match(io.stdout.join("\n"), /quirk +401-in-envelope\n.*quirk +lower-case-user-names/);
            assert.match(io.stdout.join("\n"), /platform user +users-as-code-platform@harbourfinch \(POST http:\/\/.*\/oauth2\/platformtoken/);
            const r = await call(em, "/Redrock/query", { Script: "Select ID from Role" }, { token: "expired-or-unknown" });
            assert.deepEqual([r.status, r.json.ErrorCode], [200, 401]);
        } finally {
            await em.close();
        }
        await assert.rejects(startEmulatorCommand(["--quirk", "limit"], captureIO()), /unknown --quirk 'limit'; use one of: limit-total, lower-case-user-names, 401-in-envelope/);
    });
});

describe("emulator: what real callers send and what real tenants hold (reference, \"Seen in real callers\")", () => {
    /** testSeed() with `n` more Azure AD users already in the portal, and a platform service user. */
    const bigSeed = (n: number): EmulatorSeed => {
        const seed = testSeed();
        for (let i = 0; i < n; i++) seed.directoryUsers.push({ directoryUuid: AZURE, uuid: `u-bulk-${i}`, userName: `bulk${i}@${DOMAIN}`, displayName: `Bulk ${i}`, status: "Active" });
        return { ...seed, platformServiceUsers: [{ clientId: "platform-svc@harbourfinch", clientSecret: "platform-s3cret" }] };
    };
    let em: Emulator;
    const start = async (options: Partial<Parameters<typeof startEmulator>[0]> = {}) => {
        em = await startEmulator({ seed: bigSeed(0), ...options });
        return getToken(em);
    };
    afterEach(() => em?.close());

    it("_like also takes {value, ignoreCase}, as CyberArk's SDKs send it, and stays strict about other shapes", async () => {
        const token = await start();
        const like = (value: unknown) => JSON.stringify({ _and: [{ SystemName: { _like: value } }, { ObjectType: "user" }] });
        const names = async (value: unknown) => {
            const r = await call(em, "/UserMgmt/DirectoryServiceQuery", { user: like(value), directoryServices: [AZURE] }, { token });
            assert.equal(r.json.success, true, r.json.Message);
            return rows(r, (x) => x.User).map((row: any) => row.SystemName).sort();
        };
        assert.deepEqual(await names({ value: `RAJ.patel@${DOMAIN}`, ignoreCase: true }), [`niraj.patel@${DOMAIN}`, `raj.patel@${DOMAIN}`]);
        assert.deepEqual(await names({ value: `RAJ.patel@${DOMAIN}`, ignoreCase: false }), []);
        assert.deepEqual(await names({ value: `raj.patel@${DOMAIN}`, ignoreCase: false }), [`niraj.patel@${DOMAIN}`, `raj.patel@${DOMAIN}`]);
        assert.deepEqual(await names({ value: "mei.chen" }), [`mei.chen@${DOMAIN}`], "ignoreCase defaults to true");
        const wrong = await call(em, "/UserMgmt/DirectoryServiceQuery", { user: like({ pattern: "mei" }), directoryServices: [AZURE] }, { token });
        assert.deepEqual([wrong.json.success, /Invalid query filter/.test(wrong.json.Message)], [false, true]);
    });

    it("Limit as a cap on the whole result: 2,500 portal users, page 2 empty for Limit = PageSize, complete for a large Limit; FullCount always 2,500+", async () => {
        em = await startEmulator({ seed: bigSeed(2500), quirks: { limit: "total" } });
        const token = await getToken(em);
        const page = (PageNumber: number, PageSize: number, Limit: number) =>
            call(em, "/Redrock/query", { Script: "Select ID, Username from User", Args: { PageNumber, PageSize, Limit, SortBy: "", Caching: -1 } }, { token });
        const total = 2500 + 4; // the seed's Active/Invited users: jane, raj, mei, sean
        const capped = await page(2, 1000, 1000);
        assert.deepEqual([capped.json.Result.FullCount, capped.json.Result.Results.length], [total, 0]);
        const ids = new Set<string>();
        for (let p = 1; p <= 3; p++) for (const row of rows(await page(p, 1000, 100_000))) ids.add(row.ID);
        assert.equal(ids.size, total);

        const perAnswer = await startEmulator({ seed: bigSeed(2500) });
        try {
            const r = await call(perAnswer, "/Redrock/query", { Script: "Select ID from User", Args: { PageNumber: 2, PageSize: 1000, Limit: 1000 } }, { token: await getToken(perAnswer) });
            assert.equal(r.json.Result.Results.length, 1000, "the default reading caps each answer instead");
        } finally {
            await perAnswer.close();
        }
    });

    it("lowerCaseUserNames: the User table holds user names lower-cased and WHERE Username compares exactly", async () => {
        em = await startEmulator({ seed: bigSeed(0), quirks: { lowerCaseUserNames: true } });
        em.state.addDirectoryUser({ directoryUuid: AZURE, uuid: "u-kim", userName: `Kim.Lee@${DOMAIN.toUpperCase()}`, displayName: "Kim Lee", status: "Active" });
        const token = await getToken(em);
        const where = async (name: string) => rows(await call(em, "/Redrock/query", { Script: `Select ID, Username from User WHERE Username='${name}'` }, { token }));
        assert.deepEqual(await where(`kim.lee@${DOMAIN}`), [{ ID: "u-kim", Username: `kim.lee@${DOMAIN}` }]);
        assert.deepEqual(await where(`Kim.Lee@${DOMAIN.toUpperCase()}`), [], "the name as the directory spells it finds nobody");
        const directory = await call(em, "/UserMgmt/DirectoryServiceQuery", { user: likeFilter("kim.lee"), directoryServices: [AZURE] }, { token });
        assert.equal(rows(directory, (x) => x.User)[0].SystemName, `Kim.Lee@${DOMAIN.toUpperCase()}`, "the directory source keeps Entra's spelling");
    });

    it("unauthenticated: \"envelope\" answers a revoked token with HTTP 200, success:false, ErrorCode 401, \"Not authenticated\"", async () => {
        em = await startEmulator({ seed: bigSeed(0), quirks: { unauthenticated: "envelope" } });
        const token = await getToken(em);
        em.revokeTokens();
        const r = await call(em, "/Roles/GetRoleMembers", { Name: XPM_ROLE }, { token });
        assert.deepEqual([r.status, r.json.success, r.json.ErrorCode, r.json.Message], [200, false, 401, "Not authenticated"]);
        assert.equal((await call(em, "/Roles/GetRoleMembers", { Name: XPM_ROLE }, { token: await getToken(em) })).json.success, true);
    });

    it("an orphan role member (user deleted) stays in GetRoleMembers, is gone from the User table, and can be deleted from the role", async () => {
        const token = await start();
        em.state.deleteDirectoryUser(U.raj);
        const members = async () => rows(await call(em, "/Roles/GetRoleMembers", { Name: PORTAL_ROLE }, { token })).map((m: any) => m.Guid);
        assert.deepEqual(await members(), [U.jane, U.raj, "g-all-staff"]);
        assert.deepEqual(rows(await call(em, "/Redrock/query", { Script: `Select ID from User WHERE ID='${U.raj}'` }, { token })), []);
        const add = await call(em, "/Roles/UpdateRole", { Name: PORTAL_ROLE, Users: { Add: [U.raj] } }, { token });
        assert.equal(add.json.success, false, "an orphan cannot be added back");
        const remove = await call(em, "/Roles/UpdateRole", { Name: PORTAL_ROLE, Users: { Delete: [U.raj] } }, { token });
        assert.equal(remove.json.success, true);
        assert.deepEqual(await members(), [U.jane, "g-all-staff"]);
    });

    it("slow: answers normally after the delay; a client that gave up is recorded with status 0", async () => {
        const token = await start();
        em.injectFaults({ kind: "slow", ms: 200 }, 1, { path: /GetRoleMembers/ });
        const slow = await call(em, "/Roles/GetRoleMembers", { Name: PORTAL_ROLE }, { token });
        assert.deepEqual([slow.status, rows(slow).length], [200, 3]);
        em.injectFaults({ kind: "slow", ms: 1_000 }, 1, { path: /GetRoleMembers/ });
        await assert.rejects(call(em, "/Roles/GetRoleMembers", { Name: PORTAL_ROLE }, { token, signal: AbortSignal.timeout(50) }));
        while (em.calls.filter((c) => c.path === "/Roles/GetRoleMembers").length < 2) await sleep(50);
        assert.deepEqual(em.calls.filter((c) => c.path === "/Roles/GetRoleMembers").map((c) => c.status), [200, 0]);
    });

    it("result: answers one call with a given Result in a success envelope", async () => {
        const token = await start();
        em.injectFaults({ kind: "result", result: { FullCount: 9, Results: [], hasMoreRows: true } }, 1, { path: /GetRoleMembers/ });
        const r = await call(em, "/Roles/GetRoleMembers", { Name: PORTAL_ROLE }, { token });
        assert.deepEqual([r.json.success, r.json.Result], [true, { FullCount: 9, Results: [], hasMoreRows: true }]);
        assert.equal(rows(await call(em, "/Roles/GetRoleMembers", { Name: PORTAL_ROLE }, { token })).length, 3, "then normally");
    });

    it("POST /oauth2/platformtoken: a platform service user's client_id/client_secret in the form body, no app id", async () => {
        await start();
        const platform = async (form: Record<string, string>, headers: Record<string, string> = {}) =>
            reply(await fetch(`${em.url}/oauth2/platformtoken`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(form).toString() }));
        const r = await platform({ grant_type: "client_credentials", client_id: "platform-svc@harbourfinch", client_secret: "platform-s3cret", scope: "all" });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.token_type, "Bearer");
        assert.equal((await call(em, "/Core/GetDirectoryServices", {}, { token: r.json.access_token })).json.success, true);
        const basic = await platform({ grant_type: "client_credentials" }, { Authorization: `Basic ${Buffer.from("platform-svc@harbourfinch:platform-s3cret").toString("base64")}` });
        assert.equal(basic.status, 200, "one caller sends Basic credentials instead");

        const wrong = await platform({ grant_type: "client_credentials", client_id: "platform-svc@harbourfinch", client_secret: "nope" });
        assert.deepEqual([wrong.status, wrong.json.error], [401, "invalid_client"]);
        const oauthClient = await platform({ grant_type: "client_credentials", client_id: "svc@harbourfinch", client_secret: "s3cret:with colon" });
        assert.equal(oauthClient.status, 401, "an OAuth2 client app's confidential client is not a platform service user");
        const noGrant = await platform({ client_id: "platform-svc@harbourfinch", client_secret: "platform-s3cret" });
        assert.deepEqual([noGrant.status, noGrant.json.error], [400, "invalid_request"]);
    });
});
