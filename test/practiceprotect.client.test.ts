import { strict as assert } from "node:assert";
import { PracticeProtectClient } from "../practiceprotect/client";
import { PartialFailureError, PracticeProtectError } from "../practiceprotect/errors";
import { sqlString } from "../practiceprotect/redrock";
import { readPracticeProtectSettings } from "../practiceprotect/settings";
import { backoffDelay } from "../practiceprotect/transport";
import { startEmulator, type Emulator } from "../emulator";
import type { PracticeProtectSettings } from "../practiceprotect/settings";
import { AZURE_AD, callCounts, CLIENT_SECRET, FAST_RETRIES, largeTenantSeed, PLATFORM_CLIENT_ID, PLATFORM_SECRET, settingsFor, uuidOf, withEmulator } from "./support/practiceProtect";

const rejects = async (promise: Promise<unknown>, pattern: RegExp) => {
    const error = await promise.then(
        () => assert.fail("expected a rejection"),
        (e: Error) => e,
    );
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes(CLIENT_SECRET), "no error ever carries the client secret");
    return error;
};

describe("Practice Protect client, against the emulator over HTTP", () => {
    const emulator = withEmulator();
    const client = (overrides = {}) => new PracticeProtectClient(settingsFor(emulator.current, overrides), { policy: FAST_RETRIES });

    describe("token", () => {
        it("fetches one token and reuses it for every call", async () => {
            const c = client();
            await c.listDirectories();
            await c.listRoles();
            await Promise.all([c.getRoleMembers("role-xpm"), c.getRoleMembers("role-portal-au")]);
            assert.equal(callCounts(emulator.current)["/oauth2/token"], 1);
            const token = emulator.current.calls[0];
            assert.equal(token.path, "/oauth2/token/UsersAsCode");
            assert.deepEqual(token.body, { grant_type: "client_credentials", scope: "users-as-code" });
        });

        it("gets a new token once after a 401, then carries on", async () => {
            const c = client();
            await c.listRoles();
            emulator.current.revokeTokens();
            assert.equal((await c.listRoles()).length, 5);
            assert.equal(callCounts(emulator.current)["/oauth2/token"], 2);
            assert.deepEqual(emulator.current.calls.map((x) => x.status), [200, 200, 401, 200, 200]);
        });

        it("reports refused credentials without the secret", async () => {
            await rejects(client({ clientSecret: "wrong" }).listRoles(), /Practice Protect \/oauth2\/token: token refused \(.+\); check practiceprotect:clientId, practiceprotect:clientSecret/);
            await rejects(client({ clientSecret: `${CLIENT_SECRET}x` }).listRoles(), /token refused/);
        });
    });

    describe("envelope and answers that are not JSON", () => {
        it("turns success: false into an error naming the endpoint, the message and the ErrorID", async () => {
            const error = (await rejects(client().getRoleMembers("no-such-role"), /^Practice Protect \/Roles\/GetRoleMembers: .+/)) as PracticeProtectError;
            assert.equal(error.endpoint, "/Roles/GetRoleMembers");
            assert.ok(error.info.platformMessage);
            if (error.info.errorId) assert.match(error.message, new RegExp(`\\(ErrorID ${error.info.errorId}\\)$`));
        });

        it("reports the HTML page a wrong URL gets, naming the settings to check", async () => {
            await rejects(client({ url: `${emulator.current.url}/wrong-prefix` }).listRoles(), /^Practice Protect \/oauth2\/token: answered HTTP 200 with an HTML page, not OAuth JSON; check practiceprotect:url and practiceprotect:oauthAppId$/);
            emulator.current.injectFaults({ kind: "html" }, 1, { path: /Redrock/ });
            await rejects(client().listRoles(), /^Practice Protect \/Redrock\/query: answered HTTP 200 with an HTML page instead of JSON; check practiceprotect:url \(the tenant root\)$/);
        });
    });

    describe("retries", () => {
        it("retries a burst of 429s, honouring Retry-After", async () => {
            const c = client();
            await c.listRoles();
            emulator.current.injectFaults({ kind: "429", retryAfterSeconds: 1 }, 2, { path: /Redrock/ });
            const started = Date.now();
            assert.equal((await c.listRoles()).length, 5);
            assert.ok(Date.now() - started >= 1900, "waited the server's Retry-After twice, although it is above the backoff ceiling");
        }).timeout(10_000);

        it("retries 5xx, HTML and hung requests within the policy, then succeeds", async () => {
            const c = client();
            emulator.current.injectFaults({ kind: "500" }, 1, { path: /Redrock/ });
            emulator.current.injectFaults({ kind: "hang" }, 1, { path: /GetRoleMembers/ });
            assert.equal((await c.listRoles()).length, 5);
            assert.deepEqual(await c.getRoleMembers("role-xpm"), []);
            const statuses = emulator.current.calls.filter((x) => !x.path.startsWith("/oauth2")).map((x) => [x.path, x.status]);
            assert.deepEqual(statuses, [["/Redrock/query", 500], ["/Redrock/query", 200], ["/Roles/GetRoleMembers", 0], ["/Roles/GetRoleMembers", 200]]);
        });

        it("gives up at once when Retry-After is longer than the time left", async () => {
            emulator.current.injectFaults({ kind: "429", retryAfterSeconds: 3600 }, 1, { path: /Redrock/ });
            const started = Date.now();
            await rejects(client().listRoles(), /still HTTP 429 after retrying/);
            assert.ok(Date.now() - started < 2000);
        });

        it("gives up after the attempts allowed, saying what kept failing", async () => {
            emulator.current.injectFaults({ kind: "500" }, 10, { path: /Redrock/ });
            await rejects(client().listRoles(), /Practice Protect \/Redrock\/query: still HTTP 500 after retrying with backoff \(at most 4 attempts/);
            assert.equal(emulator.current.calls.filter((x) => x.path === "/Redrock/query").length, 4);
        });

        it("reports a server that is not there as a network failure, after retrying", async () => {
            const url = emulator.current.url;
            await emulator.current.close();
            await rejects(new PracticeProtectClient(settingsFor({ url } as never), { policy: FAST_RETRIES }).listRoles(), /Practice Protect \/oauth2\/token: request failed after retrying .*ECONNREFUSED.*check practiceprotect:url/);
        });

        it("computes backoff from Retry-After (seconds or a date), else exponential with full jitter", () => {
            const policy = { ...FAST_RETRIES, baseDelayMs: 100, maxDelayMs: 5_000 };
            const withHeader = (value: string) => new Response("", { status: 429, headers: { "Retry-After": value } });
            assert.equal(backoffDelay(0, withHeader("2"), policy), 2000);
            assert.equal(backoffDelay(0, withHeader("60"), policy), 60_000, "the server's wait is honoured; the total budget decides whether to wait");
            const date = backoffDelay(0, withHeader(new Date(Date.now() + 3000).toUTCString()), policy);
            assert.ok(date > 1000 && date <= 3000);
            for (let attempt = 0; attempt < 6; attempt++) {
                const d = backoffDelay(attempt, null, policy);
                assert.ok(d >= 0 && d <= Math.min(5000, 100 * 2 ** attempt));
            }
        });
    });

    describe("directory users", () => {
        it("finds the directory source by display name or uuid, and names the sources when it is wrong", async () => {
            assert.equal((await client().findDirectory("azure ad - firm")).uuid, AZURE_AD);
            assert.equal((await client().findDirectory(AZURE_AD)).displayName, "Azure AD - Firm");
            await rejects(client().findDirectory("Entra"), /no directory source is named 'Entra'; practiceprotect:directory must be one of: 'CyberArk Cloud Directory' \(09b9a9b0-.*\), 'Azure AD - Firm' \(3f2b8c1e-/);
        });

        it("matches the exact user name after the pattern search, ignoring case", async () => {
            const c = client();
            const jane = await c.findDirectoryUser(AZURE_AD, "JANE@firm.com.au");
            assert.deepEqual(jane && { uuid: jane.uuid, userName: jane.userName, status: jane.status }, { uuid: uuidOf(1), userName: "jane@firm.com.au", status: "Not Invited" });
            const query = emulator.current.calls.find((x) => x.path === "/UserMgmt/DirectoryServiceQuery")!;
            assert.equal(typeof (query.body as { user: unknown }).user, "string", "the filter is sent as a JSON string");
            assert.equal(await c.findDirectoryUser(AZURE_AD, "nobody@firm.com.au"), undefined);
        });
    });

    describe("portal users, invites and removal", () => {
        it("lists portal users, finds one by name and quotes names with apostrophes", async () => {
            const c = client();
            assert.deepEqual((await c.listPortalUsers()).map((u) => u.userName).sort(), ["bob@firm.com.au", "carol@firm.com.au", "dan@firm.com.au"]);
            assert.equal((await c.findPortalUser("BOB@firm.com.au"))?.uuid, uuidOf(3));
            assert.equal(await c.findPortalUser("o'brien@firm.com.au"), undefined, "not invited yet, and the quote did not break the query");
            assert.equal(await c.findPortalUser("x' OR Username<>'"), undefined, "an injection attempt finds nobody");
        });

        it("invites in one call and reads the invited user back", async () => {
            const c = client();
            await c.inviteUsers([{ uuid: uuidOf(1), userName: "jane@firm.com.au" }, { uuid: uuidOf(5), userName: "o'brien@firm.com.au" }], { email: true });
            assert.equal(callCounts(emulator.current)["/UserMgmt/InviteUsers"], 1);
            assert.deepEqual(emulator.current.state.invites.map((i) => [i.userName, i.email]), [["jane@firm.com.au", true], ["o'brien@firm.com.au", true]]);
            assert.equal((await c.findPortalUser("o'brien@firm.com.au"))?.status, "Invited");
        });

        it("reports per-item failures of a batch call", async () => {
            const c = client();
            const error = await rejects(c.removeUsers([uuidOf(3), "00000000-0000-0000-0000-00000000dead"]), /Practice Protect \/UserMgmt\/RemoveUsers: 1 item\(s\) failed: 00000000-0000-0000-0000-00000000dead/);
            assert.ok(error instanceof PartialFailureError);
            assert.equal(await c.findPortalUser("bob@firm.com.au"), undefined, "the rest of the batch was applied");
        });
    });

    describe("roles", () => {
        it("finds a role by exact name, and names the roles that exist when it is missing", async () => {
            const c = client();
            assert.equal((await c.findRole("xpm users")).id, "role-xpm");
            assert.equal((await c.findRole("O'Brien's Team")).id, "role-obrien");
            await rejects(c.findRole("XPM"), /no role is named 'XPM'; the portal's roles are: 'Everybody', 'O'Brien's Team', 'Portal Users - AU', 'System Administrator', 'XPM Users'/);
        });

        it("adds and removes members in one UpdateRole, and sends nothing when nothing changes", async () => {
            const c = client();
            await c.updateRoleMembers("role-portal-au", { add: [uuidOf(3)], remove: [uuidOf(6)] });
            assert.deepEqual((await c.getRoleMembers("role-portal-au")).map((m) => m.guid), [uuidOf(3)]);
            await c.updateRoleMembers("role-portal-au", { add: [], remove: [] });
            assert.equal(callCounts(emulator.current)["/Roles/UpdateRole"], 1);
        });
    });
});

describe("Practice Protect client, as CyberArk's SDKs and long-running integrations call the platform", () => {
    const redrockCalls = (em: Emulator) => em.calls.filter((c) => c.path === "/Redrock/query");

    describe("a tenant with 2,500 portal users where Limit caps the whole result", () => {
        const emulator = withEmulator(() => largeTenantSeed(2500), { limit: "total" });
        const PORTAL_USERS = 2500 + 3; // and testSeed()'s bob and dan (Active) and carol (Invited)
        const client = (overrides: Partial<PracticeProtectSettings> = {}, listLimit?: number) => new PracticeProtectClient(settingsFor(emulator.current, overrides), { policy: FAST_RETRIES, listLimit });

        it("lists every portal user in one call at the default page size, sending a large Limit", async () => {
            const users = await client().listPortalUsers();
            assert.equal(users.length, PORTAL_USERS);
            assert.equal(new Set(users.map((u) => u.uuid)).size, users.length);
            assert.deepEqual(redrockCalls(emulator.current).map((c) => (c.body as { Args: unknown }).Args), [{ PageNumber: 1, PageSize: 10_000, Limit: 100_000, SortBy: "", Caching: -1 }]);
        });

        it("pages with smaller pages until FullCount", async () => {
            const users = await client({ pageSize: 1000 }).listPortalUsers();
            assert.equal(users.length, PORTAL_USERS);
            assert.deepEqual(redrockCalls(emulator.current).map((c) => (c.body as { Args: { PageNumber: number } }).Args.PageNumber), [1, 2, 3]);
        });

        it("refuses a listing that ends short of FullCount instead of answering with part of it", async () => {
            const error = await rejects(client({ pageSize: 1000 }, 2000).listPortalUsers(), /^Practice Protect \/Redrock\/query: listing ended short: page 3 brought 0 of the 503 rows expected, 2000 of FullCount 2503 in all \(PageSize 1000, Limit 2000\); refusing a partial listing/);
            assert.ok(error instanceof PracticeProtectError);
        });

        it("refuses a listing during which the portal changed (FullCount moved between pages)", async () => {
            // Right after the first page is answered, an admin removes someone in the portal.
            const em: Emulator = await startEmulator({
                seed: largeTenantSeed(2500),
                onCall: (call) => call.path === "/Redrock/query" && em.calls.filter((c) => c.path === call.path).length === 1 && em.state.removeFromPortal(uuidOf(3)),
            });
            try {
                const c = new PracticeProtectClient(settingsFor(em, { pageSize: 1000 }), { policy: FAST_RETRIES });
                await rejects(c.listPortalUsers(), /FullCount went from 2503 to 2502 between pages \(the portal changed while it was listed\); run again/);
            } finally {
                await em.close();
            }
        });
    });

    describe("user names: mixed-case UPNs against a tenant that stores them lower-cased", () => {
        const seed = () => {
            const s = largeTenantSeed(0);
            s.directoryUsers.push({ directoryUuid: AZURE_AD, uuid: "u-kim", userName: "Kim.Lee@Firm.com.au", displayName: "Kim Lee", status: "Active" });
            return s;
        };
        const emulator = withEmulator(seed, { lowerCaseUserNames: true });

        it("finds a portal user whatever the case of the name, sending it lower-cased as the SDKs do", async () => {
            const c = new PracticeProtectClient(settingsFor(emulator.current), { policy: FAST_RETRIES });
            assert.equal((await c.findPortalUser("Kim.Lee@Firm.com.au"))?.uuid, "u-kim");
            assert.equal((await c.findPortalUser("KIM.LEE@FIRM.COM.AU"))?.uuid, "u-kim");
            assert.equal((await c.findPortalUser("BOB@firm.com.au"))?.uuid, uuidOf(3));
            assert.ok(redrockCalls(emulator.current).every((call) => /WHERE Username='[^A-Z]*'$/.test((call.body as { Script: string }).Script)));
            assert.equal((await c.findDirectoryUser(AZURE_AD, "kim.lee@firm.com.au"))?.userName, "Kim.Lee@Firm.com.au", "the directory keeps Entra's spelling");
        });
    });

    describe("a token refused inside the envelope (HTTP 200, success: false, ErrorCode 401)", () => {
        const emulator = withEmulator(() => largeTenantSeed(0), { unauthenticated: "envelope" });

        it("gets a new token once and carries on", async () => {
            const c = new PracticeProtectClient(settingsFor(emulator.current), { policy: FAST_RETRIES });
            await c.listRoles();
            emulator.current.revokeTokens();
            assert.deepEqual((await c.getRoleMembers("role-portal-au")).map((m) => m.guid), [uuidOf(6)]);
            assert.equal(callCounts(emulator.current)["/oauth2/token"], 2);
            assert.deepEqual(emulator.current.calls.map((x) => [x.path, x.status]), [
                ["/oauth2/token/UsersAsCode", 200],
                ["/Redrock/query", 200],
                ["/Roles/GetRoleMembers", 200],
                ["/oauth2/token/UsersAsCode", 200],
                ["/Roles/GetRoleMembers", 200],
            ]);
        });

        it("gives up, saying so, when a fresh token is refused too", async () => {
            // Every token is revoked as soon as it is issued.
            const em: Emulator = await startEmulator({ seed: largeTenantSeed(0), quirks: { unauthenticated: "envelope" }, onCall: (call) => call.path.startsWith("/oauth2/") && em.revokeTokens() });
            try {
                const c = new PracticeProtectClient(settingsFor(em), { policy: FAST_RETRIES });
                await rejects(c.getRoleMembers("role-xpm"), /^Practice Protect \/Roles\/GetRoleMembers: not authenticated \(HTTP 200, success: false, ErrorCode 401: Not authenticated\) with a fresh token/);
                assert.equal(callCounts(em)["/oauth2/token"], 2, "one new token, not a loop");
            } finally {
                await em.close();
            }
        });
    });

    describe("role members", () => {
        const emulator = withEmulator();

        it("lists an orphan member (user deleted) like any other, so it can be removed", async () => {
            const c = new PracticeProtectClient(settingsFor(emulator.current), { policy: FAST_RETRIES });
            emulator.current.state.deleteDirectoryUser(uuidOf(6));
            assert.deepEqual(await c.getRoleMembers("role-portal-au"), [{ guid: uuidOf(6), name: "dan@firm.com.au", type: "User" }]);
            await c.updateRoleMembers("role-portal-au", { add: [], remove: [uuidOf(6)] });
            assert.deepEqual(await c.getRoleMembers("role-portal-au"), []);
        });

        it("takes a slow GetRoleMembers within the request timeout, and names the call and the wait when it is not", async () => {
            const patient = new PracticeProtectClient(settingsFor(emulator.current), { policy: { ...FAST_RETRIES, requestTimeoutMs: 2_000 } });
            emulator.current.injectFaults({ kind: "slow", ms: 300 }, 1, { path: /GetRoleMembers/ });
            assert.equal((await patient.getRoleMembers("role-portal-au")).length, 1);

            const hasty = new PracticeProtectClient(settingsFor(emulator.current), { policy: { ...FAST_RETRIES, maxAttempts: 2, requestTimeoutMs: 100, totalTimeoutMs: 5_000 } });
            emulator.current.injectFaults({ kind: "slow", ms: 1_000 }, 2, { path: /GetRoleMembers/ });
            const error = (await rejects(
                hasty.getRoleMembers("role-portal-au"),
                /^Practice Protect \/Roles\/GetRoleMembers: no answer within 100 ms \(2 attempts in [\d.]+ m?s, budget 5 s\); large tenants answer slowly: raise practiceprotect:requestTimeoutSeconds and practiceprotect:callBudgetSeconds$/,
            )) as PracticeProtectError;
            assert.equal(error.info.timedOut, true);
        });
    });

    describe("answers real tenants may give", () => {
        const emulator = withEmulator();
        const c = () => new PracticeProtectClient(settingsFor(emulator.current), { policy: FAST_RETRIES });

        it("takes a directory user's id from Entities[0].Key when the row has no InternalName", async () => {
            const row = { DisplayName: "Jane", ObjectType: "User", DirectoryServiceUuid: AZURE_AD, SystemName: "jane@firm.com.au", Status: "Not Invited" };
            emulator.current.injectFaults({ kind: "result", result: { User: { FullCount: 1, Results: [{ Entities: [{ Type: "User", Key: uuidOf(1), IsForeignKey: false }], Row: row }] } } }, 1, { path: /DirectoryServiceQuery/ });
            assert.equal((await c().findDirectoryUser(AZURE_AD, "jane@firm.com.au"))?.uuid, uuidOf(1));
        });

        it("refuses a member list that says it is partial (hasMoreRows: true, or FullCount above the rows)", async () => {
            const rows = [{ Row: { Guid: uuidOf(6), Name: "dan@firm.com.au", Type: "User" } }];
            emulator.current.injectFaults({ kind: "result", result: { FullCount: 1, Results: rows, hasMoreRows: true } }, 1, { path: /GetRoleMembers/ });
            await rejects(c().getRoleMembers("role-portal-au"), /^Practice Protect \/Roles\/GetRoleMembers: role role-portal-au came back with 1 of 1 members \(hasMoreRows: true\); refusing a partial member list$/);
            emulator.current.injectFaults({ kind: "result", result: { FullCount: 5000, Results: rows, hasMoreRows: false } }, 1, { path: /GetRoleMembers/ });
            await rejects(c().getRoleMembers("role-portal-au"), /came back with 1 of 5000 members/);
        });
    });

    describe("platform service users", () => {
        const emulator = withEmulator(() => largeTenantSeed(0));

        it("sign in at /oauth2/platformtoken with client_id and client_secret in the form body, no app id", async () => {
            const c = new PracticeProtectClient(settingsFor(emulator.current, { signIn: "platform-service-user", oauthAppId: "", clientId: PLATFORM_CLIENT_ID, clientSecret: PLATFORM_SECRET, scope: undefined }), { policy: FAST_RETRIES });
            assert.equal((await c.listRoles()).length, 5);
            const token = emulator.current.calls[0];
            assert.equal(token.path, "/oauth2/platformtoken");
            assert.deepEqual(token.body, { grant_type: "client_credentials", client_id: PLATFORM_CLIENT_ID, client_secret: PLATFORM_SECRET });
            assert.equal(callCounts(emulator.current)["/oauth2/token"], undefined);
        });

        it("say which settings to check when the platform refuses the service user", async () => {
            const c = new PracticeProtectClient(settingsFor(emulator.current, { signIn: "platform-service-user", clientId: PLATFORM_CLIENT_ID, clientSecret: "wrong" }), { policy: FAST_RETRIES });
            const error = await rejects(c.listRoles(), /^Practice Protect \/oauth2\/platformtoken: token refused \(invalid_client: invalid client creds\); check practiceprotect:clientId and practiceprotect:clientSecret \(the platform service user's name and secret\)$/);
            assert.ok(!error.message.includes(PLATFORM_SECRET));
        });
    });
});

describe("Practice Protect settings and quoting", () => {
    it("sends the credentials only to the portal the environment names, whatever stack config (which a pull request can change) says", () => {
        const env = { PRACTICEPROTECT_URL: "https://firm.my.idaptive.app", PRACTICEPROTECT_OAUTH_APP_ID: "App", PRACTICEPROTECT_CLIENT_ID: "svc@firm", PRACTICEPROTECT_CLIENT_SECRET: "hush", PRACTICEPROTECT_DIRECTORY: "Azure AD" };
        const withConfigUrl = (url: string) => (key: string) => (key === "practiceprotect:url" ? url : undefined);
        assert.throws(
            () => readPracticeProtectSettings(withConfigUrl("https://collector.example"), env),
            (e: Error) =>
                e.message.includes("practiceprotect:url is 'https://collector.example' but PRACTICEPROTECT_URL is 'https://firm.my.idaptive.app': only the environment chooses this setting") &&
                !e.message.includes("hush"),
        );
        assert.equal(readPracticeProtectSettings(withConfigUrl("https://FIRM.my.idaptive.app/"), env).url, "https://FIRM.my.idaptive.app");
        assert.equal(readPracticeProtectSettings(() => undefined, env).url, "https://firm.my.idaptive.app");
        // Stack config alone cannot choose the portal, its scope or the sign-in: a pull request could otherwise.
        const { PRACTICEPROTECT_URL: _url, ...unpinned } = env;
        for (const [key, value, variable] of [["url", "https://collector.example", "PRACTICEPROTECT_URL"], ["scope", "all", "PRACTICEPROTECT_SCOPE"], ["signIn", "platform-service-user", "PRACTICEPROTECT_SIGN_IN"]]) {
            assert.throws(
                () => readPracticeProtectSettings((k) => (k === `practiceprotect:${key}` ? value : k === "practiceprotect:url" ? env.PRACTICEPROTECT_URL : undefined), key === "url" ? unpinned : env),
                new RegExp(`practiceprotect:${key} is '${value}' but ${variable} is not set: only the environment chooses this setting`),
            );
        }
        assert.throws(() => readPracticeProtectSettings((k) => (k === "practiceprotect:scope" ? "write" : undefined), { ...env, PRACTICEPROTECT_SCOPE: "read" }), /practiceprotect:scope is 'write' but PRACTICEPROTECT_SCOPE is 'read'/);
    });

    it("reads stack config first, then the environment, and names every missing setting", () => {
        const settings = readPracticeProtectSettings((key) => ({ "practiceprotect:url": "https://firm.my.idaptive.app/", "practiceprotect:directory": "Azure AD" } as Record<string, string>)[key], {
            PRACTICEPROTECT_URL: "https://firm.my.idaptive.app",
            PRACTICEPROTECT_OAUTH_APP_ID: "App",
            PRACTICEPROTECT_CLIENT_ID: "svc@firm",
            PRACTICEPROTECT_CLIENT_SECRET: "from-env",
            PRACTICEPROTECT_DIRECTORY: "from-env",
            PRACTICEPROTECT_LOOKUP_TIMEOUT_SECONDS: "30",
        });
        assert.deepEqual(settings, {
            url: "https://firm.my.idaptive.app",
            signIn: "oauth2-client",
            oauthAppId: "App",
            clientId: "svc@firm",
            clientSecret: "from-env",
            directory: "Azure AD",
            scope: undefined,
            lookupTimeoutSeconds: 30,
            pageSize: 10_000,
            requestTimeoutSeconds: 120,
            callBudgetSeconds: 600,
        });
        assert.throws(
            () => readPracticeProtectSettings(() => undefined, { PRACTICEPROTECT_CLIENT_SECRET: "hush" }),
            (e: Error) =>
                /practiceprotect:url \(or PRACTICEPROTECT_URL\) is not set; practiceprotect:oauthAppId \(or PRACTICEPROTECT_OAUTH_APP_ID\) is not set; practiceprotect:clientId .*; practiceprotect:directory/.test(e.message) &&
                !e.message.includes("hush"),
        );
    });

    it("treats an empty value (an unset CI variable) as unset", () => {
        const settings = readPracticeProtectSettings((key) => (key === "practiceprotect:url" ? "" : undefined), {
            PRACTICEPROTECT_URL: "https://firm.my.idaptive.app",
            PRACTICEPROTECT_OAUTH_APP_ID: "App",
            PRACTICEPROTECT_CLIENT_ID: "svc@firm",
            PRACTICEPROTECT_CLIENT_SECRET: "s",
            PRACTICEPROTECT_DIRECTORY: "Azure AD",
            PRACTICEPROTECT_SCOPE: "",
            PRACTICEPROTECT_LOOKUP_TIMEOUT_SECONDS: "",
        });
        assert.equal(settings.url, "https://firm.my.idaptive.app");
        assert.equal(settings.scope, undefined);
        assert.equal(settings.lookupTimeoutSeconds, 600);
    });

    it("reads the sign-in method, page size and time budgets, and names the ones it cannot use", () => {
        const env = { PRACTICEPROTECT_URL: "https://firm.id.cyberark.cloud", PRACTICEPROTECT_CLIENT_ID: "svc@firm", PRACTICEPROTECT_CLIENT_SECRET: "hush", PRACTICEPROTECT_DIRECTORY: "Azure AD" };
        const platform = readPracticeProtectSettings((key) => ({ "practiceprotect:pageSize": "50000", "practiceprotect:requestTimeoutSeconds": "240" } as Record<string, string>)[key], { ...env, PRACTICEPROTECT_SIGN_IN: "platform-service-user" });
        assert.deepEqual([platform.signIn, platform.oauthAppId, platform.pageSize, platform.requestTimeoutSeconds, platform.callBudgetSeconds], ["platform-service-user", "", 50_000, 240, 600]);
        assert.throws(() => readPracticeProtectSettings(() => undefined, env), /practiceprotect:oauthAppId \(or PRACTICEPROTECT_OAUTH_APP_ID\) is not set/, "an OAuth2 client needs its app id");
        assert.throws(
            () => readPracticeProtectSettings(() => undefined, { ...env, PRACTICEPROTECT_SIGN_IN: "password", PRACTICEPROTECT_PAGE_SIZE: "0", PRACTICEPROTECT_REQUEST_TIMEOUT_SECONDS: "soon", PRACTICEPROTECT_CALL_BUDGET_SECONDS: "30" }),
            (e: Error) =>
                /practiceprotect:signIn is 'password'; use oauth2-client or platform-service-user/.test(e.message) &&
                /practiceprotect:pageSize is '0'; use a whole number from 1 to 100000/.test(e.message) &&
                /practiceprotect:requestTimeoutSeconds is 'soon'/.test(e.message) &&
                /practiceprotect:callBudgetSeconds \(30\) is shorter than practiceprotect:requestTimeoutSeconds \(120\)/.test(e.message) &&
                !e.message.includes("hush"),
        );
    });

    it("doubles quotes in Redrock strings and refuses control characters", () => {
        assert.equal(sqlString("O'Brien's Team"), "'O''Brien''s Team'");
        assert.equal(sqlString("x' OR Name<>'"), "'x'' OR Name<>'''");
        assert.throws(() => sqlString("a\nb"), /control characters/);
    });
});
