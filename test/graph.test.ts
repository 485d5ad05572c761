import type { AccessToken, TokenCredential } from "@azure/identity";
import { AzureCliCredential, ClientAssertionCredential, ClientSecretCredential } from "@azure/identity";
import { strict as assert } from "node:assert";
import { createServer, IncomingMessage, Server } from "node:http";
import { AddressInfo } from "node:net";
import { emulatorCredential, emulatorGraphClient, GraphEmulator, loadGraphSeed, startGraphEmulator } from "../emulator/graph";
import { graphClient, graphCredential, GraphCredentialError, listDirectoryRoleAssignments } from "../graph";
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
