import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { GraphEmulator, loadGraphSeed, startGraphEmulator } from "../../emulator/graph";
import type { GraphSeed } from "../../emulator/graph/types";
import { HostedProvider, startDynamicProviderHost } from "./dynamicProviderHost";

/** The Graph emulator's example tenant: the firm of users.yaml (emulator/graph/seed.example.yaml). */
export const GRAPH_SEED = resolve(__dirname, "..", "..", "emulator", "graph", "seed.example.yaml");
/** The deploying app of the example tenant. */
export const DEPLOY_APP = { id: "4a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01", secret: "emulator-deploy-secret" };

/** The Graph calls made, as "METHOD /path status" (token calls left out). */
export const graphCalls = (graph: GraphEmulator) => graph.calls.filter((c) => c.path.startsWith("/v1.0/")).map((c) => `${c.method} ${c.path.replace("/v1.0", "")} ${c.status}`);

/**
 * Mocha hooks for a Graph-backed dynamic provider as `pulumi up` runs it: serialized, in the SDK's own provider
 * host, over gRPC, signed in from the environment (the deploying app's client secret), against a fresh Graph
 * emulator per test. After each test: the secret is neither in the serialized provider nor in the host's output.
 */
export function withGraphAndHost(
    provider: Parameters<typeof startDynamicProviderHost>[0],
    options: { seed?: (seed: GraphSeed) => GraphSeed; env?: (graph: GraphEmulator) => Record<string, string> } = {},
) {
    const ctx = {} as { graph: GraphEmulator; host: HostedProvider; dir: string };
    beforeEach(async () => {
        const seed = loadGraphSeed(GRAPH_SEED);
        ctx.graph = await startGraphEmulator({ seed: options.seed ? options.seed(seed) : seed });
        ctx.dir = mkdtempSync(join(tmpdir(), "graph-cert-"));
        writeFileSync(join(ctx.dir, "graph.pem"), ctx.graph.certificate);
        ctx.host = await startDynamicProviderHost(provider, {
            env: {
                PATH: process.env.PATH ?? "",
                NODE_EXTRA_CA_CERTS: join(ctx.dir, "graph.pem"),
                USERS_AS_CODE_GRAPH_URL: ctx.graph.url,
                ARM_CLIENT_ID: DEPLOY_APP.id,
                ARM_CLIENT_SECRET: DEPLOY_APP.secret,
                ...options.env?.(ctx.graph),
            },
        });
        await ctx.host.configure({ "azuread:tenantId": ctx.graph.tenantId, "practiceprotect-users:userLookupTimeoutSeconds": "20" });
    });
    afterEach(async () => {
        await ctx.host.close();
        await ctx.graph.close();
        rmSync(ctx.dir, { recursive: true, force: true });
        assert.ok(!ctx.host.serialized.includes(DEPLOY_APP.secret), "the client secret is not in the serialized provider");
        assert.ok(!ctx.host.output.join("\n").includes(DEPLOY_APP.secret), "nor in anything the host printed");
    });
    return ctx;
}
