import { strict as assert } from "node:assert";
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..", "..");

export interface LoaderSandbox {
    /** A fresh folder for the files a test runs, and a fresh cache (TS_CACHE_DIR), for each test. */
    readonly dir: string;
    readonly cache: string;
    /** `node [flags] -r HOOK ENTRY ARGS` in `cwd` (the sandbox folder), with the sandbox's cache. */
    run(entry: string, args?: string[], options?: { cwd?: string; hook?: string; nodeFlags?: string[] }): SpawnSyncReturns<string>;
}

/** Registers the per-test folders for a loader's tests (cli/tsCache.js or cli/bundleCache.js). */
export function loaderSandbox(hook: string): LoaderSandbox {
    const sandbox = {
        dir: "",
        cache: "",
        run: (entry: string, args: string[] = [], options: { cwd?: string; hook?: string; nodeFlags?: string[] } = {}) =>
            spawnSync(process.execPath, [...(options.nodeFlags ?? []), "-r", options.hook ?? hook, entry, ...args], {
                cwd: options.cwd ?? sandbox.dir,
                env: { ...process.env, TS_CACHE_DIR: sandbox.cache },
                encoding: "utf8",
            }),
    };
    beforeEach(() => {
        sandbox.dir = mkdtempSync(join(tmpdir(), "loader-src-"));
        sandbox.cache = mkdtempSync(join(tmpdir(), "loader-cache-"));
    });
    afterEach(() => {
        rmSync(sandbox.dir, { recursive: true, force: true });
        rmSync(sandbox.cache, { recursive: true, force: true });
    });
    return sandbox;
}

/**
 * What both of the commands' loaders must do, whatever they keep in their cache: an edited file runs as edited
 * (even at the same size and modification time) and an unchanged one costs no new entry; the JavaScript means what
 * ts-node's did; a syntax error is named at FILE:LINE:COL and leaves nothing cached; npm run validate's own entry
 * point runs from an empty cache. `entries` lists what the loader keeps in the cache, as text.
 */
export function itKeepsTheLoaderContract(sandbox: LoaderSandbox, entries: () => string[]): void {
    it("runs an edited file as edited, even at the same size and modification time, and writes nothing for what did not change", () => {
        const { dir, run } = sandbox;
        writeFileSync(join(dir, "main.ts"), 'import { word } from "./word";\nconst shown: string = word;\nconsole.log(shown);\n');
        const word = join(dir, "word.ts");
        writeFileSync(word, 'export const word: string = "first";\n');
        assert.equal(run("main.ts").stdout, "first\n");
        const before = entries();
        assert.ok(before.length > 0);
        assert.equal(run("main.ts").stdout, "first\n");
        assert.deepEqual(entries(), before, "the second run writes nothing");

        const { atime, mtime, size } = statSync(word);
        writeFileSync(word, 'export const word: string = "later";\n');
        utimesSync(word, atime, mtime);
        assert.equal(statSync(word).size, size);
        assert.equal(Math.round(statSync(word).mtimeMs), mtime.getTime(), "the same modification time, to the millisecond");
        assert.equal(run("main.ts").stdout, "later\n");
        assert.equal(run("main.ts").stdout, "later\n");
    });

    it("means what ts-node's JavaScript meant: class fields assigned in the constructor (Pulumi's outputs), require.main, __filename, type-only imports", () => {
        const { dir, run } = sandbox;
        writeFileSync(
            join(dir, "resource.ts"),
            [
                "export class Base { constructor() { (this as { urn?: string }).urn = 'set by the base'; } }",
                "// A Pulumi resource's `public readonly x!: Output<T>`: a declaration only, not a field that resets x.",
                "export class Resource extends Base { public readonly urn!: string; count = 1; }",
            ].join("\n"),
        );
        writeFileSync(
            join(dir, "main.ts"),
            'import type { Base } from "./resource";\nimport { Resource } from "./resource";\nconst r: Base = new Resource();\nconsole.log(JSON.stringify({ ...r, main: require.main === module, file: __filename }));\n',
        );
        const result = run("main.ts");
        assert.equal(result.stderr, "");
        assert.deepEqual(JSON.parse(result.stdout), { urn: "set by the base", count: 1, main: true, file: join(dir, "main.ts") });
    });

    it("reports a syntax error at FILE:LINE:COL, caches nothing for it, and runs the file once it is fixed", () => {
        const { dir, run } = sandbox;
        writeFileSync(join(dir, "main.ts"), 'import "./broken";\n');
        const file = join(dir, "broken.ts");
        writeFileSync(file, "const a: number = 1;\nconst b: number = ;\nconsole.log(a);\n");
        const broken = run("main.ts");
        assert.notEqual(broken.status, 0);
        assert.match(broken.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:19: Expression expected`));
        assert.ok(!entries().some((text) => text.includes("const b: number = ;")), "nothing cached from the broken file");
        writeFileSync(file, "const a: number = 1;\nconst b: number = 2;\nconsole.log(a + b);\n");
        assert.equal(run("main.ts").stdout, "3\n");
    });

    it("runs npm run validate's own entry point from an empty cache, with its exit codes and messages", () => {
        const { dir, run } = sandbox;
        const users = join(dir, "users.yaml");
        writeFileSync(users, "users:\n  jane.citizen:\n    userPrincipalName: jane.citizen@examplefirm.com.au\n    displayName: Jane Citizen\n");
        const valid = run("cli/validate.ts", [users], { cwd: ROOT });
        assert.equal(valid.status, 0, valid.stderr);
        assert.equal(valid.stderr, `${users}: valid, 1 user (0 errors, 0 warnings)\n`);
        writeFileSync(users, 'users:\n  jane.citizen:\n    userPrincipalName: jane.citizen@examplefirm.com.au\n    displayName: Jane Citizen\n    mobilePhone: "02 9000 1234"\n    usageLocation: AU\n');
        const landline = run("cli/validate.ts", [users], { cwd: ROOT });
        assert.equal(landline.status, 1);
        assert.match(landline.stdout, /mobilePhone '02 9000 1234' is a fixed-line number in AU, not a mobile/);
    });
}

/** The `.js` files a folder holds, as text (none when there is no such folder). */
export function jsFilesIn(folder: string): string[] {
    try {
        return readdirSync(folder)
            .filter((f) => f.endsWith(".js"))
            .sort()
            .map((f) => readFileSync(join(folder, f), "utf8"));
    } catch {
        return [];
    }
}
