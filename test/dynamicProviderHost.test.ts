import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { DynamicProviderError, HostedProvider, isSecret, reveal, startDynamicProviderHost, urnFor } from "./support/dynamicProviderHost";

// Providers under test. They live at module level, like production providers, so that closure serialization
// captures module variables the way it does for real code.

const PORTAL_URL = "https://portal.practiceprotect.example";
const PORTAL_API_KEY = "pp-test-key-7f3a9c";

/** settings read in configure: one module object mutated in place, one module `let` reassigned */
const portalSettings: { url?: string; apiKey?: string; bareUrl?: string | null; configKeys?: string[]; project?: string } = {};
let reassignedSettings: { url?: string } | undefined;

const settingsProvider: pulumi.dynamic.ResourceProvider = {
    async configure({ config }) {
        portalSettings.url = config.require("practiceprotect:url");
        portalSettings.apiKey = config.require("practiceprotect:apiKey");
        portalSettings.bareUrl = config.get("url") ?? null;
        portalSettings.configKeys = Object.keys(config);
        portalSettings.project = (config as any).projectName;
        reassignedSettings = { url: config.get("practiceprotect:url") };
    },
    async create(inputs) {
        return {
            id: `user-${inputs.email}`,
            outs: {
                email: inputs.email,
                portalUrl: portalSettings.url ?? null,
                apiKey: portalSettings.apiKey ? `${portalSettings.apiKey.slice(0, 8)}…(${portalSettings.apiKey.length})` : null,
                bareUrl: portalSettings.bareUrl ?? null,
                configKeys: portalSettings.configKeys ?? null,
                project: portalSettings.project ?? null,
                reassignedUrl: reassignedSettings?.url ?? null,
            },
        };
    },
};

/** the same settings kept on the provider object instead */
class PortalUserProvider implements pulumi.dynamic.ResourceProvider {
    private url?: string;
    async configure({ config }: pulumi.dynamic.ConfigureRequest) {
        this.url = config.require("practiceprotect:url");
    }
    async create(inputs: any) {
        return { id: `user-${inputs.email}`, outs: { email: inputs.email, portalUrl: this.url ?? null } };
    }
}

/** configure fails unless practiceprotect:url is set; counts its calls */
const configureCalls = { count: 0, url: null as string | null };
const strictConfigureProvider: pulumi.dynamic.ResourceProvider = {
    async configure({ config }) {
        configureCalls.count++;
        configureCalls.url = config.require("practiceprotect:url");
    },
    async create(inputs) {
        return { id: inputs.name, outs: { configureCalls: configureCalls.count, portalUrl: configureCalls.url } };
    },
};

/** configure takes a while; the host lets other calls through before it has finished */
const slowSettings: { url?: string } = {};
const slowConfigureProvider: pulumi.dynamic.ResourceProvider = {
    async configure({ config }) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        slowSettings.url = config.require("practiceprotect:url");
    },
    async create(inputs) {
        return { id: inputs.name, outs: { portalUrl: slowSettings.url ?? null } };
    },
};

/** validates in check: throws for a missing email, reports failures for a bad one, normalizes otherwise */
const checkingProvider: pulumi.dynamic.ResourceProvider = {
    async check(olds, news) {
        if (!news.email) throw new Error(`PortalUser ${news.displayName}: email is required`);
        if (!String(news.email).includes("@")) return { failures: [{ property: "email", reason: `'${news.email}' is not an email address` }] };
        return { inputs: { ...news, email: String(news.email).toLowerCase(), hadOlds: Object.keys(olds).length > 0 } };
    },
    async create(inputs) {
        return { id: inputs.email, outs: inputs };
    },
};

/** never reports changes */
const noChangesProvider: pulumi.dynamic.ResourceProvider = {
    async diff() {
        return { changes: false };
    },
    async create(inputs) {
        return { id: "1", outs: inputs };
    },
};

/** reports a replacement */
const replacingProvider: pulumi.dynamic.ResourceProvider = {
    async diff(id, olds, news) {
        const changed = Object.keys(news).filter((k) => k !== "__provider" && olds[k] !== news[k]);
        return { changes: changed.length > 0, replaces: changed.filter((k) => k === "email"), stables: ["objectId"], deleteBeforeReplace: true };
    },
    async create(inputs) {
        return { id: "1", outs: inputs };
    },
};

/** diff that leaves `changes` undefined */
const undecidedProvider: pulumi.dynamic.ResourceProvider = {
    async diff() {
        return {};
    },
    async create(inputs) {
        return { id: "1", outs: inputs };
    },
};

/** only create: no check, diff, read, update or delete */
const createOnlyProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return { id: `user-${inputs.email}`, outs: { ...inputs, objectId: "obj-created" } };
    },
};

/** a full CRUD provider whose outputs carry computed fields; keeps its "remote" users in a shared object */
const portal: Record<string, { email: string; displayName: string; objectId: string; version: number }> = {};
const crudProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        const id = `pp-${inputs.email}`;
        portal[id] = { email: inputs.email, displayName: inputs.displayName, objectId: `obj-${inputs.email.split("@")[0]}`, version: 1 };
        console.log(`created ${id}`);
        return { id, outs: { ...inputs, ...portal[id], receivedKeys: Object.keys(inputs).sort() } };
    },
    async read(id, props) {
        const user = portal[id];
        if (!user) return { id: "" };
        return { id, props: { ...props, ...user } };
    },
    async update(id, olds, news) {
        const user = portal[id];
        user.displayName = news.displayName;
        user.version++;
        return { outs: { ...olds, ...news, ...user, previousDisplayName: olds.displayName } };
    },
    async delete(id) {
        delete portal[id];
        console.log(`deleted ${id}`);
    },
    async diff(id, olds, news) {
        return { changes: olds.displayName !== news.displayName };
    },
};

/** create that fails; with `id` it is a partial failure: the resource exists */
const failingProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        if (inputs.partial) {
            const error: any = new Error(`PortalUser ${inputs.email}: created but the invitation could not be sent`);
            error.id = "pp-half";
            error.properties = { email: inputs.email };
            error.reasons = ["invitation failed"];
            throw error;
        }
        throw new Error(`PortalUser ${inputs.email}: the portal refused the user (409 conflict)`);
    },
};

/** returns an output property that is undefined */
const undefinedOutputProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return { id: "1", outs: { email: inputs.email, objectId: undefined } };
    },
};

/** echoes what it was given, under the same and under a different name */
const echoProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return {
            id: "1",
            outs: { password: inputs.password, passwordCopy: inputs.password, passwordWasPlain: typeof inputs.password === "string" },
        };
    },
};

/** captures a secret directly: a constant, and a secret Output */
const CAPTURED_KEY = "pp-live-captured-1234";
const capturedSecretOutput = pulumi.secret("pp-live-output-5678");
const capturingProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return { id: "1", outs: { keyLength: CAPTURED_KEY.length, outputLength: capturedSecretOutput.get().length } };
    },
};
const capturingConstantOnlyProvider: pulumi.dynamic.ResourceProvider = {
    async create() {
        return { id: "1", outs: { keyLength: CAPTURED_KEY.length } };
    },
};

/** loads a TypeScript module at run time: fine under ts-node, not in the host */
const requiresTypeScriptProvider: pulumi.dynamic.ResourceProvider = {
    async create() {
        const harness = require("./support/dynamicProviderHost");
        return { id: "1", outs: { exports: Object.keys(harness).length } };
    },
};

/** reports how the host process was started */
const processProvider: pulumi.dynamic.ResourceProvider = {
    async create() {
        return { id: "1", outs: { argv: process.argv.slice(1), execArgv: process.execArgv, cwd: process.cwd(), project: process.env.PULUMI_NODEJS_PROJECT ?? null } };
    },
};

const boundLog = console.log.bind(console);
const nativeCaptureProvider: pulumi.dynamic.ResourceProvider = {
    async create() {
        boundLog("creating");
        return { id: "1" };
    },
};

const jane = urnFor("PortalUser", "jane");

describe("dynamicProviderHost (runs a dynamic provider the way pulumi up does)", function () {
    this.timeout(60_000);

    const hosts: HostedProvider[] = [];
    const start = async (provider: pulumi.dynamic.ResourceProvider, options?: Parameters<typeof startDynamicProviderHost>[1]) => {
        const hosted = await startDynamicProviderHost(provider, options);
        hosts.push(hosted);
        return hosted;
    };
    after(() => Promise.all(hosts.map((h) => h.close())));

    const rejectsWith = (promise: Promise<unknown>, message: RegExp) =>
        assert.rejects(promise, (e: Error) => {
            assert.ok(e instanceof DynamicProviderError, `expected a DynamicProviderError, got ${e}`);
            assert.match(e.message, message);
            return true;
        });

    it("builds URNs for dynamic resources", () => {
        assert.equal(jane, "urn:pulumi:dev::practiceprotect-users::pulumi-nodejs:dynamic/practiceprotect:PortalUser::jane");
    });

    describe("configure", () => {
        it("hands the provider's configure a Config over the Configure args: full keys, secrets unwrapped, bare keys under 'project'", async () => {
            const host = await start(settingsProvider);
            await host.configure(
                { "practiceprotect:url": PORTAL_URL, "practiceprotect:apiKey": PORTAL_API_KEY, "practiceprotect-users:usersFile": "users.yaml" },
                { secretKeys: ["practiceprotect:apiKey"] },
            );
            assert.deepEqual(host.protocol, { acceptSecrets: false, acceptResources: false, supportsPreview: false });

            const { id, outs } = await host.create(jane, { email: "jane@examplefirm.com.au" });
            assert.equal(id, "user-jane@examplefirm.com.au");
            assert.equal(outs.portalUrl, PORTAL_URL);
            assert.equal(outs.apiKey, `${PORTAL_API_KEY.slice(0, 8)}…(${PORTAL_API_KEY.length})`, "the secret config value reaches configure as a plain string");
            // config.get("url") looks up "project:url": the host does not know the project name.
            assert.equal(outs.bareUrl, null);
            assert.equal(outs.project, "project");
            // The Config is a plain object with the raw map; get/require live on its prototype.
            assert.deepEqual(outs.configKeys, ["rawConfig", "projectName"]);
            // A module-level `let` reassigned in configure is a copy per method: create still sees the old value.
            assert.equal(outs.reassignedUrl, null);

            assert.ok(!host.serialized.includes(PORTAL_API_KEY), "a key read in configure is not in the serialized provider");
            await host.close();
            assert.ok(!host.output.join("\n").includes(PORTAL_API_KEY), "nothing logged the key");
        });

        it("keeps settings stored on the provider object (class with a field)", async () => {
            const host = await start(new PortalUserProvider());
            await host.configure({ "practiceprotect:url": PORTAL_URL });
            const { outs } = await host.create(jane, { email: "jane@examplefirm.com.au" });
            assert.deepEqual(outs, { email: "jane@examplefirm.com.au", portalUrl: PORTAL_URL });
        });

        it("calls configure lazily, once per provider; when it throws only the first call fails", async () => {
            const host = await start(strictConfigureProvider);
            await host.configure({});
            await rejectsWith(host.create(urnFor("PortalUser", "a"), { name: "a" }), /^Missing required configuration key: practiceprotect:url$/);
            // The provider was cached before configure ran: the next call gets it unconfigured, without an error.
            const { outs } = await host.create(urnFor("PortalUser", "b"), { name: "b" });
            assert.deepEqual(outs, { configureCalls: 1, portalUrl: null });
        });

        it("lets concurrent calls use the provider before an async configure has finished", async () => {
            const host = await start(slowConfigureProvider);
            await host.configure({ "practiceprotect:url": PORTAL_URL });
            const results = await Promise.all([host.create(urnFor("PortalUser", "a"), { name: "a" }), host.create(urnFor("PortalUser", "b"), { name: "b" })]);
            assert.deepEqual(results.map((r) => r.outs.portalUrl).sort(), [PORTAL_URL, null].sort());
        });
    });

    describe("check", () => {
        let host: HostedProvider;
        before(async () => {
            host = await start(checkingProvider);
        });

        it("returns the provider's inputs without __provider, and no olds for a new resource", async () => {
            const result = await host.check(jane, {}, { email: "Jane@ExampleFirm.com.au", displayName: "Jane" });
            assert.deepEqual(result, { inputs: { email: "jane@examplefirm.com.au", displayName: "Jane", hadOlds: false }, failures: [] });
            const again = await host.check(jane, { email: "jane@examplefirm.com.au" }, { email: "jane@examplefirm.com.au", displayName: "Jane" });
            assert.equal(again.inputs.hadOlds, true);
        });

        it("returns failures", async () => {
            const result = await host.check(jane, {}, { email: "jane", displayName: "Jane" });
            assert.deepEqual(result.failures, [{ property: "email", reason: "'jane' is not an email address" }]);
            // no inputs in the result: the host passes the news on (and re-adds __provider, which the harness strips)
            assert.deepEqual(result.inputs, { email: "jane", displayName: "Jane" });
        });

        it("surfaces an error thrown in check with its message, and the host logs it", async () => {
            await rejectsWith(host.check(jane, {}, { displayName: "Jane" }), /^PortalUser Jane: email is required$/);
            assert.ok(host.output.some((line) => line.includes("Error: PortalUser Jane: email is required")), host.output.join("\n"));
        });

        it("passes news through when the provider has no check", async () => {
            const other = await start(createOnlyProvider);
            assert.deepEqual(await other.check(jane, {}, { email: "jane@examplefirm.com.au" }), { inputs: { email: "jane@examplefirm.com.au" }, failures: [] });
        });
    });

    describe("diff", () => {
        const olds = { email: "jane@examplefirm.com.au", displayName: "Jane", objectId: "obj-1" };
        const news = { email: "jane@examplefirm.com.au", displayName: "Jane Citizen" };

        it("maps changes:false to DIFF_NONE even though inputs changed", async () => {
            const host = await start(noChangesProvider);
            assert.deepEqual(await host.diff("1", jane, olds, news), { changes: "none", replaces: [], stables: [], deleteBeforeReplace: false, diffs: [] });
        });

        it("forwards replaces and deleteBeforeReplace but drops stables", async () => {
            const host = await start(replacingProvider);
            const result = await host.diff("1", jane, olds, { ...news, email: "jane.citizen@examplefirm.com.au" });
            assert.deepEqual(result, { changes: "some", replaces: ["email"], stables: [], deleteBeforeReplace: true, diffs: [] });
        });

        it("reports DIFF_UNKNOWN when changes is undefined or there is no diff (the engine then diffs the inputs, __provider included)", async () => {
            const undecided = await start(undecidedProvider);
            assert.equal((await undecided.diff("1", jane, olds, olds)).changes, "unknown");
            const withoutDiff = await start(createOnlyProvider);
            assert.equal((await withoutDiff.diff("1", jane, olds, olds)).changes, "unknown");
        });

        it("does not look at a changed __provider: the new provider's diff decides", async () => {
            const host = await start(noChangesProvider);
            const olderProvider = "exports.handler = () => ({ create: async () => ({ id: 'old' }) });";
            const result = await host.diff("1", jane, { ...olds, __provider: olderProvider }, news);
            assert.equal(result.changes, "none");
        });
    });

    describe("create, read, update, delete", () => {
        let host: HostedProvider;
        before(async () => {
            host = await start(crudProvider);
        });

        it("creates: computed outputs come back, __provider is stripped (the provider itself received it)", async () => {
            const { id, outs } = await host.create(jane, { email: "jane@examplefirm.com.au", displayName: "Jane" });
            assert.equal(id, "pp-jane@examplefirm.com.au");
            assert.deepEqual(outs, {
                email: "jane@examplefirm.com.au",
                displayName: "Jane",
                objectId: "obj-jane",
                version: 1,
                receivedKeys: ["__provider", "displayName", "email"],
            });
            assert.ok(host.output.includes("created pp-jane@examplefirm.com.au"), host.output.join("\n"));
        });

        it("diffs against the stored outputs", async () => {
            const olds = { email: "jane@examplefirm.com.au", displayName: "Jane", objectId: "obj-jane", version: 1 };
            assert.equal((await host.diff("pp-jane@examplefirm.com.au", jane, olds, { email: "jane@examplefirm.com.au", displayName: "Jane" })).changes, "none");
            assert.equal((await host.diff("pp-jane@examplefirm.com.au", jane, olds, { email: "jane@examplefirm.com.au", displayName: "Jane C" })).changes, "some");
        });

        it("updates", async () => {
            const olds = { email: "jane@examplefirm.com.au", displayName: "Jane", objectId: "obj-jane", version: 1 };
            const { outs } = await host.update("pp-jane@examplefirm.com.au", jane, olds, { email: "jane@examplefirm.com.au", displayName: "Jane Citizen" });
            assert.deepEqual(outs, { email: "jane@examplefirm.com.au", displayName: "Jane Citizen", objectId: "obj-jane", version: 2, previousDisplayName: "Jane" });
        });

        it("reads the live state, and returns id '' once the resource is gone", async () => {
            const stored = { email: "jane@examplefirm.com.au", displayName: "Jane", objectId: "obj-jane", version: 1 };
            const read = await host.read("pp-jane@examplefirm.com.au", jane, stored);
            assert.deepEqual(read, { id: "pp-jane@examplefirm.com.au", props: { ...stored, displayName: "Jane Citizen", version: 2 } });

            await host.delete("pp-jane@examplefirm.com.au", jane, stored);
            assert.ok(host.output.includes("deleted pp-jane@examplefirm.com.au"));
            assert.deepEqual(await host.read("pp-jane@examplefirm.com.au", jane, stored), { id: "", props: {} });
        });

        it("without read, echoes the stored state; without update, the stored outputs are lost; without delete, succeeds", async () => {
            const other = await start(createOnlyProvider);
            const { id, outs } = await other.create(jane, { email: "jane@examplefirm.com.au" });
            assert.deepEqual(outs, { email: "jane@examplefirm.com.au", objectId: "obj-created" });
            assert.deepEqual(await other.read(id, jane, outs, { email: "jane@examplefirm.com.au" }), { id, props: outs });
            const updated = await other.update(id, jane, outs, { email: "jane@examplefirm.com.au", displayName: "Jane" });
            assert.deepEqual(updated.outs, {}, "the host keeps only __provider: objectId and every input are gone from the state");
            await other.delete(id, jane, outs);
        });
    });

    describe("errors", () => {
        let host: HostedProvider;
        before(async () => {
            host = await start(failingProvider);
        });

        it("surfaces an error thrown in create with its message", async () => {
            await rejectsWith(host.create(jane, { email: "jane@examplefirm.com.au" }), /^PortalUser jane@examplefirm.com.au: the portal refused the user \(409 conflict\)$/);
        });

        it("reports a create error carrying an id as a partial failure", async () => {
            await assert.rejects(host.create(jane, { email: "jane@examplefirm.com.au", partial: true }), (e: DynamicProviderError) => {
                assert.match(e.message, /created but the invitation could not be sent/);
                assert.deepEqual(e.initFailure, { id: "pp-half", properties: { email: "jane@examplefirm.com.au" }, reasons: ["invitation failed"] });
                return true;
            });
        });

        it("fails the whole create when an output is undefined", async () => {
            const other = await start(undefinedOutputProvider);
            await rejectsWith(other.create(jane, { email: "jane@examplefirm.com.au" }), /^Unexpected struct type\.$/);
        });
    });

    describe("secrets", () => {
        it("strips secret inputs before the provider sees them, and re-marks only same-named outputs as secret", async () => {
            const host = await start(echoProvider);
            const { outs } = await host.create(jane, { password: pulumi.secret("Initial-Pa55!") });
            assert.equal(outs.passwordWasPlain, true);
            assert.ok(isSecret(outs.password), "the engine re-marks `password` as secret");
            assert.ok(!isSecret(outs.passwordCopy), "the same value under another name would be stored in plain text");
            assert.deepEqual(reveal(outs), { password: "Initial-Pa55!", passwordCopy: "Initial-Pa55!", passwordWasPlain: true });
        });

        it("shows a secret captured by the provider's closure in the serialized __provider", async () => {
            const constant = await start(capturingConstantOnlyProvider);
            assert.ok(constant.serialized.includes(CAPTURED_KEY));
            assert.equal(constant.serializedContainsSecrets, false, "a captured plain string is not detected as a secret");

            const output = await start(capturingProvider);
            assert.ok(output.serialized.includes("pp-live-output-5678"), "a captured secret Output is serialized as plain text too");
            assert.equal(output.serializedContainsSecrets, true);
            const { outs } = await output.create(jane, {});
            assert.deepEqual(outs, { keyLength: CAPTURED_KEY.length, outputLength: "pp-live-output-5678".length });
        });
    });

    describe("closure serialization and the host process", () => {
        it("fails like pulumi up when the provider captures a native function", async () => {
            await assert.rejects(startDynamicProviderHost(nativeCaptureProvider), /it was a native code function/);
        });

        it("fails like pulumi up when the provider loads a TypeScript module at run time (works when called directly)", async () => {
            assert.deepEqual((await requiresTypeScriptProvider.create({})).id, "1");
            const host = await start(requiresTypeScriptProvider);
            await rejectsWith(host.create(jane, {}), /Cannot find module '\.\/support\/dynamicProviderHost'/);
        });

        it("starts the host as `node <cmd/dynamic-provider> <engine>` in the given cwd, without the program's environment", async () => {
            const previous = process.env.PULUMI_NODEJS_PROJECT;
            process.env.PULUMI_NODEJS_PROJECT = "practiceprotect-users";
            try {
                const host = await start(processProvider, { cwd: process.cwd() });
                const { outs } = await host.create(jane, {});
                assert.match(outs.argv[0], /node_modules\/@pulumi\/pulumi\/cmd\/dynamic-provider\/index\.js$/);
                assert.equal(outs.argv.length, 2);
                assert.deepEqual(outs.execArgv, []);
                assert.equal(outs.cwd, process.cwd());
                assert.equal(outs.project, null);
            } finally {
                if (previous === undefined) delete process.env.PULUMI_NODEJS_PROJECT;
                else process.env.PULUMI_NODEJS_PROJECT = previous;
            }
        });

        it("kills the host on close() and keeps its output", async () => {
            const host = await startDynamicProviderHost(crudProvider);
            await host.create(urnFor("PortalUser", "sam"), { email: "sam@examplefirm.com.au", displayName: "Sam" });
            await host.close();
            await host.close();
            assert.throws(() => process.kill(host.pid, 0), (e: NodeJS.ErrnoException) => e.code === "ESRCH");
            assert.ok(host.output.includes("created pp-sam@examplefirm.com.au"));
            await assert.rejects(host.create(jane, {}), /closed/);
        });
    });
});
