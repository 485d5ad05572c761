import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as ts from "typescript";
import { ROOT } from "./support/loaderContract";

/**
 * A `.js` (or `.json`, `.node`) file beside a `.ts` file of the same name runs instead of the TypeScript for
 * `require("./x")`: Node tries x.js first. None may be in the repository, and every way the program's TypeScript is
 * loaded refuses one: the commands' loaders (test/bundleCache.test.ts plants one for both), ts-node as the Pulumi
 * CLI and the tests register it, and the dynamic providers' forwarder in the provider process.
 */
describe("a stray .js beside a .ts file (cli/strayScripts.js)", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "stray-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("is in no commit: no tracked .js, .json or .node file has a tracked .ts (or index.ts folder) of its name", () => {
        const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
        assert.ok(tracked.includes("index.ts") && tracked.includes("cli/strayScripts.js"), "the listing is the repository's");
        const typescript = new Set(tracked.filter((file) => file.endsWith(".ts")));
        const stray = tracked.filter((file) => {
            const base = file.replace(/\.(js|json|node)$/, "");
            return base !== file && (typescript.has(`${base}.ts`) || typescript.has(`${base}/index.ts`));
        });
        assert.deepEqual(stray, []);
    });

    it("is refused wherever ts-node loads the program: tsconfig.json preloads the guard, and index.ts imports it first", () => {
        const config = ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile).config;
        assert.deepEqual(config["ts-node"].require, ["./cli/strayScripts.js"]);
        const firstImport = readFileSync(join(ROOT, "index.ts"), "utf8").match(/^import .*$/m)?.[0];
        assert.equal(firstImport, 'import "./cli/strayScripts.js";');
    });

    /** A copy of the project's tsconfig.json and guard in `dir`, with its node_modules, and a .ts module `word` with a stray word.js. */
    function plantedProject(): void {
        mkdirSync(join(dir, "cli"));
        copyFileSync(join(ROOT, "tsconfig.json"), join(dir, "tsconfig.json"));
        copyFileSync(join(ROOT, "cli", "strayScripts.js"), join(dir, "cli", "strayScripts.js"));
        symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
        writeFileSync(join(dir, "main.ts"), 'import { word } from "./word";\nconsole.log(word);\n');
        writeFileSync(join(dir, "word.ts"), 'export const word: string = "typescript";\n');
        writeFileSync(join(dir, "word.js"), 'console.log("the stray ran");\nexports.word = "compiled";\n');
    }

    it("is refused under ts-node registered as the Pulumi CLI registers it (the project's tsconfig.json), and nothing of it runs", () => {
        plantedProject();
        // @pulumi/pulumi's cmd/run: tsn.register({ project: "tsconfig.json", skipProject: false, ... }) in the project directory.
        const script = `require(${JSON.stringify(require.resolve("ts-node"))}).register({ transpileOnly: true, project: "tsconfig.json", skipProject: false }); require("./main.ts");`;
        const run = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" });
        assert.notEqual(run.status, 0);
        assert.equal(run.stdout, "");
        assert.ok(run.stderr.includes(`${join(dir, "word.js")}: refused: it sits beside ${join(dir, "word.ts")}`), run.stderr);

        rmSync(join(dir, "word.js"));
        const clean = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" });
        assert.equal(clean.stdout, "typescript\n", clean.stderr);
    });

    it("is refused in the dynamic provider's process: the forwarder from the state registers ts-node with tsconfig.json, then finds the stray", () => {
        plantedProject();
        // The project's provider and withHostDefaults, and a stray withHostDefaults.js in its place.
        const dynamic = join(dir, "components", "dynamic");
        mkdirSync(dynamic, { recursive: true });
        copyFileSync(join(ROOT, "components", "dynamic", "withHostDefaults.ts"), join(dynamic, "withHostDefaults.ts"));
        writeFileSync(join(dir, "components", "echo.ts"), "export const echoProvider = { create: async (inputs: object) => ({ id: 'echo', outs: inputs }) };\n");
        // The forwarder as it runs there: plain JavaScript in a node with no TypeScript registered.
        const forwarder = ts.transpileModule(readFileSync(join(ROOT, "components", "dynamic", "loadedProvider.ts"), "utf8"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
        const host = join(dir, "host");
        mkdirSync(host);
        writeFileSync(join(host, "forwarder.js"), forwarder);
        const script = `require("./host/forwarder.js").loadedProvider("components/echo", "echoProvider").create({ a: 1 }).then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e.message); process.exitCode = 1; });`;

        const clean = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" });
        assert.equal(clean.stdout, '{"id":"echo","outs":{"a":1}}\n', clean.stderr);

        writeFileSync(join(dynamic, "withHostDefaults.js"), 'console.log("the stray ran");\nexports.withHostDefaults = (p) => p;\n');
        const refused = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" });
        assert.equal(refused.status, 1);
        assert.equal(refused.stdout, "");
        assert.ok(refused.stderr.includes(`cannot load components/echo`), refused.stderr);
        assert.ok(refused.stderr.includes(`${join(dynamic, "withHostDefaults.js")}: refused: it sits beside ${join(dynamic, "withHostDefaults.ts")}`), refused.stderr);
    });

    it("leaves alone a .js without a .ts of its name, and packages' own files under node_modules", () => {
        const { shadowedBy } = require(join(ROOT, "cli", "strayScripts.js")) as { shadowedBy: (file: string) => string | undefined };
        writeFileSync(join(dir, "alone.js"), "");
        writeFileSync(join(dir, "pair.ts"), "");
        mkdirSync(join(dir, "folder"));
        writeFileSync(join(dir, "folder", "index.ts"), "");
        const packaged = join(dir, "node_modules", "pkg");
        mkdirSync(packaged, { recursive: true });
        writeFileSync(join(packaged, "pair.ts"), "");
        assert.equal(shadowedBy(join(dir, "alone.js")), undefined);
        assert.equal(shadowedBy(join(dir, "pair.js")), join(dir, "pair.ts"));
        assert.equal(shadowedBy(join(dir, "pair.json")), join(dir, "pair.ts"));
        assert.equal(shadowedBy(join(dir, "folder.js")), join(dir, "folder", "index.ts"));
        assert.equal(shadowedBy(join(packaged, "pair.js")), undefined);
        assert.equal(shadowedBy(join(dirname(packaged), "pkg.mjs")), undefined);
    });
});
