import { strict as assert } from "node:assert";
import { uuidFrom } from "../emulator/graph/tokens";
import { emulatorCredential, emulatorFetch, emulatorGraphClient } from "../emulator/graph";
import { vaultedPasswordProvider } from "../components/vaultedPassword";
import { setKeyVaultSecret, KeyVaultError } from "../graph/keyVaultSecrets";
import { resetPassword } from "../graph/passwords";
import { graphErrorOf } from "../graph/licenses";
import { urnFor } from "./support/dynamicProviderHost";
import { DEPLOY_APP, graphCalls, withGraphAndHost } from "./support/graphProviderHost";

/**
 * VaultedPassword as `pulumi up` runs it (the SDK's provider host, over gRPC) against the Graph emulator, which also
 * serves the Key Vault kv-firm: the service account's first password is generated in the provider, stored in the
 * vault, set on the user, and never reaches the state, the host's output or the serialized provider.
 */

const ROLE = {
    userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
    privilegedAuthenticationAdministrator: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
};
const DEPLOY_SP = uuidFrom(`sp:${DEPLOY_APP.id}`);
const ACCOUNT = { id: "5e5e5e5e-0001-4e5f-8a9b-0c1d2e3f4a99", userPrincipalName: "practiceprotect@harbourfinch-test.onmicrosoft.com", displayName: "Practice Protect (test)" };
const SECRET = "practiceprotect-service-account-initial-password";
const inputs = { userId: ACCOUNT.id, userPrincipalName: ACCOUNT.userPrincipalName, vaultName: "kv-firm", secretName: SECRET };

describe("VaultedPassword provider, in the SDK's provider host, against the Graph emulator and its Key Vault", function () {
    this.timeout(30_000);
    const ctx = withGraphAndHost(vaultedPasswordProvider, {
        seed: (seed) => ({
            ...seed,
            vaults: [{ name: "kv-firm", secretWriters: [DEPLOY_APP.id] }],
            roleAssignments: [...(seed.roleAssignments ?? []), { principalId: DEPLOY_SP, roleDefinitionId: ROLE.userAdministrator }],
        }),
        env: (graph) => ({ USERS_AS_CODE_KEYVAULT_URL: `${graph.url}/keyvault` }),
    });
    const urn = urnFor("VaultedPassword", "practiceprotect-service-account-vaulted-password");
    const create = async () => {
        const checked = await ctx.host.check(urn, {}, inputs);
        assert.deepEqual(checked.failures, []);
        return ctx.host.create(urn, checked.inputs);
    };
    const vaultVersions = () => ctx.graph.state.vaults.get("kv-firm")!.secrets.get(SECRET.toLowerCase()) ?? [];
    const nowhere = (password: string, outs: object) => {
        assert.ok(!JSON.stringify(outs).includes(password), "not in the state");
        assert.ok(!ctx.host.output.join("\n").includes(password), "not in the host's output");
        assert.ok(!ctx.host.serialized.includes(password), "not in the serialized provider");
        assert.ok(!JSON.stringify(ctx.graph.calls).includes(password), "not in the emulator's call log");
    };

    it("stores a new password in the vault, then sets it on the user to be changed at first sign-in; the state holds only where and when", async () => {
        ctx.graph.state.addUser(ACCOUNT);
        const created = await create();
        const [version] = vaultVersions();
        assert.equal(vaultVersions().length, 1);
        const user = ctx.graph.state.users.get(ACCOUNT.id)!;
        assert.deepEqual(user.passwordProfile, { password: version.value, forceChangePasswordNextSignIn: true });
        assert.match(version.value, /^.{20}$/);
        assert.equal(version.contentType, "text/plain");
        assert.deepEqual(Object.keys(created.outs).sort(), ["passwordSetAt", "secretName", "secretVersionId", "userId", "userPrincipalName", "vaultName"]);
        assert.equal(created.outs.secretVersionId, `${ctx.graph.url}/keyvault/kv-firm/secrets/${SECRET}/${version.version}`);
        assert.equal(created.id, ACCOUNT.id);
        assert.deepEqual(graphCalls(ctx.graph), [`GET /users/${ACCOUNT.id} 200`, `PATCH /users/${ACCOUNT.id} 204`]);
        const put = ctx.graph.calls.find((c) => c.method === "PUT");
        assert.deepEqual([put?.path, put?.query, put?.status, put?.body], [`/keyvault/kv-firm/secrets/${SECRET}`, "api-version=7.4", 200, { value: "[redacted]", contentType: "text/plain", tags: { user: ACCOUNT.userPrincipalName } }]);
        assert.ok(ctx.graph.calls.indexOf(put!) < ctx.graph.calls.findIndex((c) => c.method === "PATCH"), "into the vault before onto the user");
        nowhere(version.value, created.outs);
    });

    it("waits for an account created a moment ago until Graph knows it", async () => {
        ctx.graph.state.addUser({ ...ACCOUNT, hiddenForRequests: 2 });
        await create();
        assert.deepEqual(graphCalls(ctx.graph), [`GET /users/${ACCOUNT.id} 404`, `GET /users/${ACCOUNT.id} 404`, `GET /users/${ACCOUNT.id} 200`, `PATCH /users/${ACCOUNT.id} 204`]);
        assert.equal(vaultVersions().length, 1);
    });

    it("leaves an account whose password was changed after its creation as it is: nothing reset, nothing stored", async () => {
        ctx.graph.state.addUser({ ...ACCOUNT, createdDateTime: "2026-11-02T01:00:00Z", lastPasswordChangeDateTime: "2026-11-03T09:30:00Z" });
        const created = await create();
        assert.equal(created.outs.kept, `the password of ${ACCOUNT.userPrincipalName} was changed on 2026-11-03T09:30:00Z, after the account was created: it was neither reset nor stored in kv-firm`);
        assert.equal(created.outs.secretVersionId, undefined);
        assert.equal(vaultVersions().length, 0);
        assert.equal(ctx.graph.state.users.get(ACCOUNT.id)!.passwordProfile, undefined);
    });

    it("an account that already holds an admin role needs Privileged Authentication Administrator: refused, and says so", async () => {
        ctx.graph.state.addUser(ACCOUNT);
        ctx.graph.state.assignRole(ACCOUNT.id, ROLE.globalAdministrator);
        await assert.rejects(create(), (e: Error) => {
            assert.match(e.message, /Microsoft Graph refused to set the new password of practiceprotect@harbourfinch-test\.onmicrosoft\.com \(stored as https:\/\/127\.0\.0\.1:\d+\/keyvault\/kv-firm\/secrets\/practiceprotect-service-account-initial-password\/[0-9a-f]{32}, which is not in use\) \(HTTP 403 Authorization_RequestDenied\)/);
            assert.match(e.message, /Privileged Authentication Administrator after/);
            return true;
        });
        assert.equal(ctx.graph.state.users.get(ACCOUNT.id)!.passwordProfile, undefined);
        ctx.graph.state.assignRole(DEPLOY_SP, ROLE.privilegedAuthenticationAdministrator);
        await create();
        assert.equal(ctx.graph.state.users.get(ACCOUNT.id)!.passwordProfile?.password, vaultVersions().at(-1)!.value, "the run after granting the role uses a new version");
        assert.equal(vaultVersions().length, 2);
    });

    it("a deploying identity that may not set secrets in the vault changes nothing on the user, and is told which role it needs", async () => {
        ctx.graph.state.addUser(ACCOUNT);
        ctx.graph.state.vaults.get("kv-firm")!.vault.secretWriters = [];
        await assert.rejects(create(), /Key Vault refused to set the secret practiceprotect-service-account-initial-password in https:\/\/127\.0\.0\.1:\d+\/keyvault\/kv-firm \(HTTP 403 Forbidden\): Caller is not authorized.*The deploying identity needs Key Vault Secrets Officer .* Nothing was changed on practiceprotect@/s);
        assert.equal(ctx.graph.state.users.get(ACCOUNT.id)!.passwordProfile, undefined);
        assert.deepEqual(graphCalls(ctx.graph), [`GET /users/${ACCOUNT.id} 200`]);
    });

    it("refresh and delete call nothing and leave the password and the secret in place", async () => {
        ctx.graph.state.addUser(ACCOUNT);
        const created = await create();
        const before = ctx.graph.calls.length;
        const read = await ctx.host.read(created.id, urn, created.outs);
        assert.equal(read.id, ACCOUNT.id);
        await ctx.host.delete(created.id, urn, created.outs);
        assert.equal(ctx.graph.calls.length, before);
        assert.equal(vaultVersions().length, 1);
    });

    it("refuses inputs that are not an object id, a vault name and a secret name", async () => {
        const checked = await ctx.host.check(urn, {}, { ...inputs, userId: "practiceprotect", vaultName: "kv_firm!", secretName: "a/b" });
        assert.deepEqual(checked.failures.map((f: { property: string }) => f.property), ["userId", "vaultName", "secretName"]);
    });
});

describe("Graph emulator: passwordProfile and Key Vault Set Secret, as strict as the real APIs", function () {
    this.timeout(30_000);
    const ctx = withGraphAndHost(vaultedPasswordProvider, {
        seed: (seed) => ({ ...seed, vaults: [{ name: "kv-firm", secretWriters: [DEPLOY_APP.id] }], roleAssignments: [{ principalId: DEPLOY_SP, roleDefinitionId: ROLE.userAdministrator }] }),
    });
    const graphClient = () => emulatorGraphClient(ctx.graph.url, emulatorCredential(ctx.graph.url, ctx.graph.tenantId, DEPLOY_APP.id, DEPLOY_APP.secret));
    const vaultCredential = () => emulatorCredential(ctx.graph.url, ctx.graph.tenantId, DEPLOY_APP.id, DEPLOY_APP.secret);
    const vault = () => `${ctx.graph.url}/keyvault/kv-firm`;

    it("refuses a password that breaks Entra's complexity rule, and takes one that keeps it", async () => {
        ctx.graph.state.addUser(ACCOUNT);
        await assert.rejects(resetPassword(graphClient(), ACCOUNT.id, "alllowercase"), (e) => {
            assert.deepEqual([graphErrorOf(e).statusCode, graphErrorOf(e).message], [400, "The specified password does not comply with password complexity requirements. Please provide a different password."]);
            return true;
        });
        await resetPassword(graphClient(), ACCOUNT.id, "Tr0ub4dor&3xyz");
        assert.deepEqual(ctx.graph.state.users.get(ACCOUNT.id)!.passwordProfile, { password: "Tr0ub4dor&3xyz", forceChangePasswordNextSignIn: true });
    });

    it("without a directory role the app may not reset any password, User.ReadWrite.All or not", async () => {
        ctx.graph.state.addUser(ACCOUNT);
        ctx.graph.state.roleAssignments.splice(0);
        await assert.rejects(resetPassword(graphClient(), ACCOUNT.id, "Tr0ub4dor&3xyz"), (e) => graphErrorOf(e).statusCode === 403);
    });

    it("Key Vault takes only its own tokens, an api-version and a valid name, and Graph refuses a vault token", async () => {
        const put = (path: string, token: string, body: object = { value: "v" }) =>
            emulatorFetch(`${vault()}${path}`, { method: "PUT", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
        const graphToken = (await emulatorCredential(ctx.graph.url, ctx.graph.tenantId, DEPLOY_APP.id, DEPLOY_APP.secret).getToken("https://graph.microsoft.com/.default"))!.token;
        const vaultToken = (await vaultCredential().getToken("https://vault.azure.net/.default"))!.token;
        const unauthenticated = await emulatorFetch(`${vault()}/secrets/x?api-version=7.4`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: "{}" });
        assert.equal(unauthenticated.status, 401);
        assert.match(unauthenticated.headers.get("www-authenticate") ?? "", /^Bearer authorization="https:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+", resource="https:\/\/vault\.azure\.net"$/);
        assert.equal((await put("/secrets/x?api-version=7.4", graphToken)).status, 401);
        assert.equal((await put("/secrets/x", vaultToken)).status, 400);
        assert.equal((await put("/secrets/bad_name?api-version=7.4", vaultToken)).status, 400);
        assert.equal((await put("/secrets/x?api-version=7.4", vaultToken, { contentType: "text/plain" })).status, 400);
        const ok = await put("/secrets/x?api-version=7.4", vaultToken);
        assert.equal(ok.status, 200);
        const bundle = (await ok.json()) as { value: string; id: string; attributes: { enabled: boolean } };
        assert.equal(bundle.value, "v");
        assert.match(bundle.id, /\/keyvault\/kv-firm\/secrets\/x\/[0-9a-f]{32}$/);
        const onGraph = await emulatorFetch(`${ctx.graph.graphUrl}/users/${ACCOUNT.id}`, { headers: { Authorization: `Bearer ${vaultToken}` } });
        assert.equal(onGraph.status, 401);
    });

    it("setKeyVaultSecret returns the version and never the value, and says why Key Vault refused", async () => {
        const stored = await setKeyVaultSecret(vaultCredential(), vault(), "s1", "hunter2-Secret", { fetch: emulatorFetch as typeof fetch });
        assert.deepEqual(Object.keys(stored).sort(), ["created", "id", "version"]);
        assert.equal(ctx.graph.state.secret("kv-firm", "s1")?.value, "hunter2-Secret");
        ctx.graph.state.vaults.get("kv-firm")!.vault.secretWriters = [];
        await assert.rejects(setKeyVaultSecret(vaultCredential(), vault(), "s1", "hunter2-Secret", { fetch: emulatorFetch as typeof fetch }), (e) => {
            assert.ok(e instanceof KeyVaultError);
            assert.equal(e.status, 403);
            assert.ok(!e.message.includes("hunter2"));
            return true;
        });
    });
});
