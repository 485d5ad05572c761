import { strict as assert } from "node:assert";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { itKeepsTheLoaderContract, jsFilesIn, loaderSandbox, ROOT } from "./support/loaderContract";

/**
 * `npm run validate` runs its entry point bundled into one cached file (cli/bundleCache.js, issue 12). What must
 * hold whatever the speed: what both loaders promise (an edit runs as edited, the JavaScript means what ts-node's
 * did, a syntax error is named where it is), a new file or another package version runs as it is now, and the
 * bundle holds only what validate uses.
 */
describe("the bundled entry point of npm run validate (cli/bundleCache.js)", () => {
    const sandbox = loaderSandbox(join(ROOT, "cli", "bundleCache.js"));
    const bundles = () => jsFilesIn(join(sandbox.cache, "bundles"));
    let dir: string;
    let cache: string;
    beforeEach(() => {
        dir = sandbox.dir;
        cache = sandbox.cache;
    });
    const run = (entry: string, args: string[] = []) => sandbox.run(entry, args);

    itKeepsTheLoaderContract(sandbox, bundles);

    it("keeps one bundle for an entry point and what it imports, rebuilt with an edit", () => {
        writeFileSync(join(dir, "main.ts"), 'import { word } from "./word";\nconsole.log(word);\n');
        writeFileSync(join(dir, "word.ts"), 'export const word: string = "first";\n');
        assert.equal(run("main.ts").stdout, "first\n");
        assert.equal(bundles().length, 1, "one bundle, holding both files");
        assert.match(bundles()[0], /"first"/);
        writeFileSync(join(dir, "word.ts"), 'export const word: string = "later";\n');
        assert.equal(run("main.ts").stdout, "later\n");
        assert.equal(bundles().length, 1);
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

    it("rebuilds when a new file changes what an import finds: a file beside a folder, a nested package; and refuses a stray .js beside its .ts", () => {
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
        pkg(join(greeting, "node_modules", "dep"), "2.0.0", "nested dep");
        assert.equal(run("main.ts").stdout, "the file typescript nested dep\n");
        // Node would take word.js before word.ts for "./word": refused, bundled or file by file, and nothing of it runs.
        writeFileSync(join(dir, "word.js"), 'console.log("the stray ran");\nexports.word = "compiled";\n');
        for (const hook of [join(ROOT, "cli", "bundleCache.js"), join(ROOT, "cli", "tsCache.js")]) {
            const refused = sandbox.run("main.ts", [], { hook });
            assert.notEqual(refused.status, 0, hook);
            assert.equal(refused.stdout, "", `${hook}: nothing ran`);
            assert.ok(refused.stderr.includes(`${join(dir, "word.js")}: refused: it sits beside ${join(dir, "word.ts")}, and Node would run it instead of that TypeScript`), refused.stderr);
        }
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

    it("runs file by file, through tsCache, where esbuild is not installed", () => {
        // A project of its own: the two loaders, tsconfig.json and TypeScript, but no esbuild.
        const project = join(dir, "project");
        mkdirSync(join(project, "cli"), { recursive: true });
        mkdirSync(join(project, "node_modules"));
        for (const file of ["cli/bundleCache.js", "cli/tsCache.js", "cli/strayScripts.js", "tsconfig.json"]) writeFileSync(join(project, file), readFileSync(join(ROOT, file)));
        symlinkSync(join(ROOT, "node_modules", "typescript"), join(project, "node_modules", "typescript"), "dir");
        writeFileSync(join(project, "main.ts"), 'import { word } from "./word";\nconsole.log(word, require.main === module);\n');
        writeFileSync(join(project, "word.ts"), 'export const word: string = "unbundled";\n');
        const result = sandbox.run("main.ts", [], { cwd: project, hook: join(project, "cli", "bundleCache.js") });
        assert.equal(result.stderr, "");
        assert.equal(result.stdout, "unbundled true\n");
        assert.ok(!readdirSync(cache).includes("bundles"), "no bundle");
        assert.equal(readdirSync(cache).filter((f) => f.endsWith(".ts.js")).length, 2, "each file compiled by tsCache");
    });

    it("holds only the zod that validate uses, in an ASCII file", () => {
        const users = join(dir, "users.yaml");
        writeFileSync(users, "users:\n  jane.citizen:\n    userPrincipalName: jane.citizen@examplefirm.com.au\n    displayName: Jane Citizen\n");
        assert.equal(sandbox.run("cli/validate.ts", [users], { cwd: ROOT }).status, 0);
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
        const result = sandbox.run("main.ts", [], { nodeFlags: ["--enable-source-maps"] });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, /Error: on purpose/);
        assert.match(result.stderr, /fail\.ts:4:11/);
    });
});
