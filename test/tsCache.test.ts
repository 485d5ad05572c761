import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * The commands run TypeScript compiled once into a cache (cli/tsCache.js, issue 12). What must hold whatever
 * the speed: an edited file runs as edited, the JavaScript means what ts-node's did, and every command uses it.
 */
describe("the commands' cache of compiled TypeScript (cli/tsCache.js)", () => {
    const ROOT = resolve(__dirname, "..");
    const HOOK = join(ROOT, "cli", "tsCache.js");
    let dir: string;
    let cache: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "ts-cache-src-"));
        cache = mkdtempSync(join(tmpdir(), "ts-cache-"));
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
        rmSync(cache, { recursive: true, force: true });
    });

    const run = (entry: string, args: string[] = [], cwd = dir) =>
        spawnSync(process.execPath, ["-r", HOOK, entry, ...args], { cwd, env: { ...process.env, TS_CACHE_DIR: cache }, encoding: "utf8" });

    it("runs an edited file as edited, even at the same size and modification time, and reuses what did not change", () => {
        writeFileSync(join(dir, "main.ts"), 'import { word } from "./word";\nconst shown: string = word;\nconsole.log(shown);\n');
        const word = join(dir, "word.ts");
        writeFileSync(word, 'export const word: string = "first";\n');
        assert.equal(run("main.ts").stdout, "first\n");
        const entries = () => readdirSync(cache).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(cache, f), "utf8"));
        assert.equal(entries().length, 2, "one entry per source file");
        const before = entries();

        assert.equal(run("main.ts").stdout, "first\n");
        assert.deepEqual(entries(), before, "the second run compiles nothing");

        const { atime, mtime, size } = statSync(word);
        writeFileSync(word, 'export const word: string = "later";\n');
        utimesSync(word, atime, mtime);
        assert.equal(statSync(word).size, size);
        assert.equal(Math.round(statSync(word).mtimeMs), mtime.getTime(), "the same modification time, to the millisecond");
        assert.equal(run("main.ts").stdout, "later\n");
        assert.equal(run("main.ts").stdout, "later\n");
    });

    it("compiles as ts-node did: class fields assigned in the constructor (Pulumi's outputs), require.main, requires without extensions", () => {
        writeFileSync(
            join(dir, "resource.ts"),
            [
                "export class Base { constructor() { (this as { urn?: string }).urn = 'set by the base'; } }",
                "// A Pulumi resource's `public readonly x!: Output<T>`: a declaration only, not a field that resets x.",
                "export class Resource extends Base { public readonly urn!: string; count = 1; }",
            ].join("\n"),
        );
        writeFileSync(join(dir, "main.ts"), 'import type { Base } from "./resource";\nimport { Resource } from "./resource";\nconst r: Base = new Resource();\nconsole.log(JSON.stringify({ ...r, main: require.main === module }));\n');
        const result = run("main.ts");
        assert.equal(result.stderr, "");
        assert.deepEqual(JSON.parse(result.stdout), { urn: "set by the base", count: 1, main: true });
    });

    it("reports a syntax error at FILE:LINE:COL, caches nothing for it, and runs the file once it is fixed", () => {
        const file = join(dir, "broken.ts");
        writeFileSync(file, "const a: number = 1;\nconst b: number = ;\nconsole.log(a);\n");
        const broken = run("broken.ts");
        assert.notEqual(broken.status, 0);
        assert.match(broken.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:19: Expression expected`));
        assert.deepEqual(readdirSync(cache).filter((f) => f.endsWith(".js")), []);
        writeFileSync(file, "const a: number = 1;\nconst b: number = 2;\nconsole.log(a + b);\n");
        assert.equal(run("broken.ts").stdout, "3\n");
    });

    it("runs npm run validate's own entry point, from an empty cache, with its exit codes and messages", () => {
        const users = join(dir, "users.yaml");
        writeFileSync(users, "users:\n  jane.citizen:\n    userPrincipalName: jane.citizen@examplefirm.com.au\n    displayName: Jane Citizen\n");
        const valid = run("cli/validate.ts", [users], ROOT);
        assert.equal(valid.status, 0, valid.stderr);
        assert.equal(valid.stderr, `${users}: valid, 1 user (0 errors, 0 warnings)\n`);
        writeFileSync(users, 'users:\n  jane.citizen:\n    userPrincipalName: jane.citizen@examplefirm.com.au\n    displayName: Jane Citizen\n    mobilePhone: "02 9000 1234"\n    usageLocation: AU\n');
        const landline = run("cli/validate.ts", [users], ROOT);
        assert.equal(landline.status, 1);
        assert.match(landline.stdout, /mobilePhone '02 9000 1234' is a fixed-line number in AU, not a mobile/);
    });

    it("is how every command in package.json starts", () => {
        const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
        const commands = Object.entries(scripts).filter(([, script]) => /\bcli\/\w+\.ts\b/.test(script));
        assert.ok(commands.length >= 8, `commands found: ${commands.map(([name]) => name).join(", ")}`);
        for (const [name, script] of commands) assert.match(script, /^node (--[\w-]+=\w+ )*-r \.\/cli\/(tsCache|bundleCache)\.js cli\/\w+\.ts$/, `npm run ${name}`);
        // validate is bundled (cli/bundleCache.js); a Pulumi program must not be (it loads providers by path).
        assert.match(scripts.validate, /-r \.\/cli\/bundleCache\.js cli\/validate\.ts$/);
        assert.match(scripts.plan, /-r \.\/cli\/tsCache\.js cli\/plan\.ts$/);
        assert.ok(!Object.values(scripts).some((script) => /\bts-node\b/.test(script)), "no script loads the compiler through ts-node");
    });
});
