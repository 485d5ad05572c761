import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * `npm run validate` runs its entry point bundled into one cached file (cli/bundleCache.js, issue 12). What must
 * hold whatever the speed: an edited file or another package version runs as it is now, the bundle means what
 * the file-by-file JavaScript meant, and a file esbuild cannot read is reported where it is wrong.
 */
describe("the bundled entry point of npm run validate (cli/bundleCache.js)", () => {
    const ROOT = resolve(__dirname, "..");
    const HOOK = join(ROOT, "cli", "bundleCache.js");
    let dir: string;
    let cache: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "bundle-src-"));
        cache = mkdtempSync(join(tmpdir(), "bundle-cache-"));
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
        rmSync(cache, { recursive: true, force: true });
    });

    const run = (entry: string, args: string[] = [], cwd = dir) =>
        spawnSync(process.execPath, ["-r", HOOK, entry, ...args], { cwd, env: { ...process.env, TS_CACHE_DIR: cache }, encoding: "utf8" });
    const bundles = () => {
        const folder = join(cache, "bundles");
        return readdirSync(folder)
            .filter((f) => f.endsWith(".js"))
            .map((f) => readFileSync(join(folder, f), "utf8"));
    };

    it("runs an edited file as edited, even at the same size and modification time, and rebuilds nothing that did not change", () => {
        writeFileSync(join(dir, "main.ts"), 'import { word } from "./word";\nconst shown: string = word;\nconsole.log(shown);\n');
        const word = join(dir, "word.ts");
        writeFileSync(word, 'export const word: string = "first";\n');
        assert.equal(run("main.ts").stdout, "first\n");
        assert.equal(bundles().length, 1, "one bundle for the entry point, holding both files");
        assert.match(bundles()[0], /"first"/);
        const before = bundles();

        assert.equal(run("main.ts").stdout, "first\n");
        assert.deepEqual(bundles(), before, "the second run bundles nothing");

        const { atime, mtime, size } = statSync(word);
        writeFileSync(word, 'export const word: string = "later";\n');
        utimesSync(word, atime, mtime);
        assert.equal(statSync(word).size, size);
        assert.equal(Math.round(statSync(word).mtimeMs), mtime.getTime(), "the same modification time, to the millisecond");
        assert.equal(run("main.ts").stdout, "later\n");
        assert.equal(run("main.ts").stdout, "later\n");
        assert.match(bundles()[0], /"later"/);
    });

    it("rebuilds when a package it holds is installed at another version", () => {
        const pkg = join(dir, "node_modules", "greeting");
        mkdirSync(pkg, { recursive: true });
        writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "greeting", version: "1.0.0", main: "index.js" }));
        writeFileSync(join(pkg, "index.js"), 'exports.greeting = "hello";\n');
        writeFileSync(join(dir, "main.ts"), 'import { greeting } from "greeting";\nconsole.log(greeting);\n');
        assert.equal(run("main.ts").stdout, "hello\n");

        writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "greeting", version: "2.0.0", main: "index.js" }));
        writeFileSync(join(pkg, "index.js"), 'exports.greeting = "good day";\n');
        assert.equal(run("main.ts").stdout, "good day\n");
    });

    it("rebuilds when a new file changes what an import finds: a file beside a folder, a stray .js beside its .ts, a nested package", () => {
        // ./thing is thing/index.ts until thing.ts exists (Node tries the file first).
        mkdirSync(join(dir, "thing"));
        writeFileSync(join(dir, "thing", "index.ts"), 'export const thing: string = "the folder";\n');
        writeFileSync(join(dir, "main.ts"), 'import { thing } from "./thing";\nimport { word } from "./word";\nimport { greeting } from "greeting";\nconsole.log(thing, word, greeting);\n');
        writeFileSync(join(dir, "word.ts"), 'export const word: string = "typescript";\n');
        const pkg = (folder: string, version: string, text: string) => {
            mkdirSync(folder, { recursive: true });
            writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "dep", version, main: "index.js" }));
            writeFileSync(join(folder, "index.js"), `module.exports = ${JSON.stringify(text)};\n`);
        };
        const greeting = join(dir, "node_modules", "greeting");
        mkdirSync(greeting, { recursive: true });
        writeFileSync(join(greeting, "package.json"), JSON.stringify({ name: "greeting", version: "1.0.0", main: "index.js" }));
        writeFileSync(join(greeting, "index.js"), 'exports.greeting = require("dep");\n');
        pkg(join(dir, "node_modules", "dep"), "1.0.0", "hoisted dep");
        assert.equal(run("main.ts").stdout, "the folder typescript hoisted dep\n");

        writeFileSync(join(dir, "thing.ts"), 'export const thing: string = "the file";\n');
        assert.equal(run("main.ts").stdout, "the file typescript hoisted dep\n");
        // Node takes word.js before word.ts for "./word": so does the bundle.
        writeFileSync(join(dir, "word.js"), 'exports.word = "compiled";\n');
        assert.equal(run("main.ts").stdout, "the file compiled hoisted dep\n");
        pkg(join(greeting, "node_modules", "dep"), "2.0.0", "nested dep");
        assert.equal(run("main.ts").stdout, "the file compiled nested dep\n");
        assert.equal(spawnSync(process.execPath, ["-r", join(ROOT, "cli", "tsCache.js"), "main.ts"], { cwd: dir, env: { ...process.env, TS_CACHE_DIR: cache }, encoding: "utf8" }).stdout, "the file compiled nested dep\n", "as file by file");
    });

    it("runs file by file when a module other than the entry point asks where it is (__dirname, __filename, require.main)", () => {
        mkdirSync(join(dir, "sub"));
        writeFileSync(join(dir, "sub", "where.ts"), "export const where = { dir: __dirname, main: require.main === module };\n");
        writeFileSync(join(dir, "main.ts"), 'import { where } from "./sub/where";\nconsole.log(JSON.stringify(where));\n');
        assert.deepEqual(JSON.parse(run("main.ts").stdout), { dir: join(dir, "sub"), main: false });
        const [entry] = bundles();
        const header = entry.slice(0, entry.indexOf("\n") + 1);
        assert.equal(entry.length, header.length + Number(header.split(" ")[1]), "the cache remembers it: a key and no code");
        assert.deepEqual(JSON.parse(run("main.ts").stdout), { dir: join(dir, "sub"), main: false }, "and the next run too");
    });

    it("keeps one bundle per entry point, even for names that read alike", () => {
        mkdirSync(join(dir, "a"));
        writeFileSync(join(dir, "a", "b.ts"), 'console.log("a/b.ts");\n');
        writeFileSync(join(dir, "a!b.ts"), 'console.log("a!b.ts");\n');
        assert.equal(run("a/b.ts").stdout, "a/b.ts\n");
        assert.equal(run("a!b.ts").stdout, "a!b.ts\n");
        assert.equal(run("a/b.ts").stdout, "a/b.ts\n");
    });

    it("means what the file-by-file JavaScript means: class fields assigned in the constructor (Pulumi's outputs), require.main, the entry's own folder", () => {
        writeFileSync(
            join(dir, "resource.ts"),
            [
                "export class Base { constructor() { (this as { urn?: string }).urn = 'set by the base'; } }",
                "export class Resource extends Base { public readonly urn!: string; count = 1; }",
            ].join("\n"),
        );
        writeFileSync(
            join(dir, "main.ts"),
            'import { Resource } from "./resource";\nconsole.log(JSON.stringify({ ...new Resource(), main: require.main === module, file: __filename }));\n',
        );
        const result = run("main.ts");
        assert.equal(result.stderr, "");
        assert.deepEqual(JSON.parse(result.stdout), { urn: "set by the base", count: 1, main: true, file: join(dir, "main.ts") });
    });

    it("reports a syntax error at FILE:LINE:COL (file by file), keeps no bundle for it, and runs the file once it is fixed", () => {
        writeFileSync(join(dir, "main.ts"), 'import "./broken";\n');
        const file = join(dir, "broken.ts");
        writeFileSync(file, "const a: number = 1;\nconst b: number = ;\nconsole.log(a);\n");
        const broken = run("main.ts");
        assert.notEqual(broken.status, 0);
        assert.match(broken.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:19: Expression expected`));
        assert.deepEqual(readdirSync(cache).includes("bundles") ? bundles() : [], []);
        writeFileSync(file, "const a: number = 1;\nconst b: number = 2;\nconsole.log(a + b);\n");
        assert.equal(run("main.ts").stdout, "3\n");
        assert.equal(bundles().length, 1);
    });

    it("runs file by file, through tsCache, where esbuild is not installed", () => {
        // A project of its own: the two loaders, tsconfig.json and TypeScript, but no esbuild.
        const project = join(dir, "project");
        mkdirSync(join(project, "cli"), { recursive: true });
        mkdirSync(join(project, "node_modules"));
        for (const file of ["cli/bundleCache.js", "cli/tsCache.js", "tsconfig.json"]) writeFileSync(join(project, file), readFileSync(join(ROOT, file)));
        symlinkSync(join(ROOT, "node_modules", "typescript"), join(project, "node_modules", "typescript"), "dir");
        writeFileSync(join(project, "main.ts"), 'import { word } from "./word";\nconsole.log(word, require.main === module);\n');
        writeFileSync(join(project, "word.ts"), 'export const word: string = "unbundled";\n');
        const result = spawnSync(process.execPath, ["-r", join(project, "cli", "bundleCache.js"), "main.ts"], { cwd: project, env: { ...process.env, TS_CACHE_DIR: cache }, encoding: "utf8" });
        assert.equal(result.stderr, "");
        assert.equal(result.stdout, "unbundled true\n");
        assert.ok(!readdirSync(cache).includes("bundles"), "no bundle");
        assert.equal(readdirSync(cache).filter((f) => f.endsWith(".ts.js")).length, 2, "each file compiled by tsCache");
    });

    it("runs npm run validate from an empty cache with its exit codes and messages, holding only the zod it uses", () => {
        const users = join(dir, "users.yaml");
        writeFileSync(users, "users:\n  jane.citizen:\n    userPrincipalName: jane.citizen@examplefirm.com.au\n    displayName: Jane Citizen\n");
        const valid = run("cli/validate.ts", [users], ROOT);
        assert.equal(valid.status, 0, valid.stderr);
        assert.equal(valid.stderr, `${users}: valid, 1 user (0 errors, 0 warnings)\n`);
        writeFileSync(users, 'users:\n  jane.citizen:\n    userPrincipalName: jane.citizen@examplefirm.com.au\n    displayName: Jane Citizen\n    mobilePhone: "02 9000 1234"\n    usageLocation: AU\n');
        const landline = run("cli/validate.ts", [users], ROOT);
        assert.equal(landline.status, 1);
        assert.match(landline.stdout, /mobilePhone '02 9000 1234' is a fixed-line number in AU, not a mobile/);

        // zod's other locales are left out: the bundle holds its English messages only (its map lists what it holds).
        const { sources } = JSON.parse(readFileSync(join(cache, "bundles", "cli!validate.ts.js.map"), "utf8")) as { sources: string[] };
        assert.ok(sources.some((s) => s.endsWith("zod/v4/locales/en.js")), sources.join("\n"));
        assert.deepEqual(sources.filter((s) => /zod\/v4\/locales\/(?!en\.js)/.test(s)), []);
        assert.equal(bundles().length, 1);
        assert.doesNotMatch(bundles()[0], /[^\x00-\x7f]/, "the cache file is ASCII (read and compiled as one-byte text)");

    });

    it("gives stack traces in TypeScript lines when Node is asked for source maps", () => {
        writeFileSync(join(dir, "main.ts"), 'import { fail } from "./fail";\nfail();\n');
        writeFileSync(join(dir, "fail.ts"), "type Reason = string;\nconst reason: Reason = 'on purpose';\nexport function fail(): never {\n    throw new Error(reason);\n}\n");
        const result = spawnSync(process.execPath, ["--enable-source-maps", "-r", HOOK, "main.ts"], { cwd: dir, env: { ...process.env, TS_CACHE_DIR: cache }, encoding: "utf8" });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, /Error: on purpose/);
        assert.match(result.stderr, /fail\.ts:4:11/);
    });
});
