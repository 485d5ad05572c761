import { strict as assert } from "node:assert";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { itKeepsTheLoaderContract, jsFilesIn, loaderSandbox, ROOT } from "./support/loaderContract";

/**
 * The commands run TypeScript compiled once into a cache (cli/tsCache.js, issue 12). What must hold whatever
 * the speed: an edited file runs as edited, the JavaScript means what ts-node's did, and every command uses it.
 */
describe("the commands' cache of compiled TypeScript (cli/tsCache.js)", () => {
    const sandbox = loaderSandbox(join(ROOT, "cli", "tsCache.js"));
    const entries = () => jsFilesIn(sandbox.cache);

    itKeepsTheLoaderContract(sandbox, entries);

    it("keeps one entry per source file, and resolves requires without extensions", () => {
        writeFileSync(join(sandbox.dir, "main.ts"), 'const { word } = require("./word");\nconsole.log(word);\n');
        writeFileSync(join(sandbox.dir, "word.ts"), 'export const word: string = "found";\n');
        assert.equal(sandbox.run("main.ts").stdout, "found\n");
        assert.equal(entries().length, 2);
    });

    it("names the place in tsconfig.json that it cannot read", () => {
        const project = join(sandbox.dir, "project");
        mkdirSync(join(project, "cli"), { recursive: true });
        mkdirSync(join(project, "node_modules"));
        for (const file of ["tsCache.js", "strayScripts.js"]) writeFileSync(join(project, "cli", file), readFileSync(join(ROOT, "cli", file)));
        symlinkSync(join(ROOT, "node_modules", "typescript"), join(project, "node_modules", "typescript"), "dir");
        writeFileSync(join(project, "tsconfig.json"), '{\n  "compilerOptions": { "strict": true,, }\n}\n');
        writeFileSync(join(project, "main.ts"), "console.log(1);\n");
        const result = sandbox.run("main.ts", [], { cwd: project, hook: join(project, "cli", "tsCache.js") });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, new RegExp(`${join(project, "tsconfig.json").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:39: Property assignment expected; correct tsconfig.json`));
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
