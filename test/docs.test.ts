import { strict as assert } from "node:assert";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import * as ts from "typescript";
import { CommandIO } from "../cli/io";
import { generatedFiles, schemaCommand } from "../cli/schema";
import { BEGIN_MARKER, END_MARKER, REFERENCE_PAGE, renderReferencePage } from "../cli/schemaReference";
import { SETTING_KEYS } from "../components/settings";
import { SETTING_NAMES } from "../practiceprotect/settings";
import { captureIO, commitEverything, git, inDir } from "./support/io";
import { anchorsOf, commandsOf, docPages, linksOf, readPage, ROOT, ShellCommand, slug } from "./support/markdown";

/**
 * The documentation (README.md and docs/*.md) is checked like code: the users.yaml field reference is the
 * generator's output, every link between pages lands on a file and a heading that exist, and every command in
 * a shell block is one a reader can run: an npm script that exists with flags its command accepts (run here
 * when that is safe), or a documented pulumi/az/gh command from the list below.
 */

const pages = () => docPages().map(readPage);

/** Shell languages whose blocks hold commands a reader will paste. Every fenced block must say its language. */
const SHELL = new Set(["sh", "bash", "shell", "console"]);

/**
 * Commands of other tools the docs may show, by their full command path (a typo in any word fails). Each is a
 * documented command of its CLI: Pulumi's `pulumi <command>`, the Azure CLI's `az ...`, GitHub's `gh ...`.
 */
const EXTERNAL_COMMANDS = [
    "pulumi login",
    "pulumi up",
    "pulumi preview",
    "pulumi refresh",
    "pulumi config set",
    "pulumi config get",
    "pulumi stack init",
    "pulumi stack select",
    "pulumi stack output",
    "pulumi stack change-secrets-provider",
    "pulumi state unprotect",
    "pulumi state rename",
    "pulumi state delete",
    "pulumi stack export",
    "pulumi stack import",
    "pulumi stack ls",
    "pulumi import",
    "pulumi cancel",
    "pulumi whoami",
    "az login",
    "az ad app federated-credential create",
    "az ad app federated-credential list",
    "az ad app federated-credential delete",
    "az ad app permission add",
    "az ad app permission admin-consent",
    "az ad sp create",
    "az role assignment create",
    "az account show",
    "az keyvault secret show",
    "gh secret set",
    "gh variable set",
    "gh workflow run",
].map((c) => c.split(" "));

/** Shell builtins a block may use around the commands. */
const BUILTINS = new Set(["export"]);

const scripts = (): Record<string, string> => JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts ?? {};

/**
 * The source of the command behind an npm script: a cli/<name>.ts the script names (however it runs it: ts-node,
 * a loader, a compiled .js), else cli/<scriptName>.ts (graph-emulator: cli/graphEmulator.ts).
 */
function commandSource(script: string, body: string): string | undefined {
    const named = [...body.matchAll(/(?:^|[\s/"'=])cli\/([\w.-]+?)\.(?:ts|js|mjs|cjs)\b/g)].map((m) => m[1]);
    const candidates = [...named, script.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())];
    return candidates.map((n) => join(ROOT, "cli", `${n}.ts`)).find(existsSync);
}

interface CommandOptions {
    /** Long names and short letters, each with whether it takes a value. */
    flags: Map<string, boolean>;
    positionals: boolean;
}

/** The flags a command accepts, read from its `parseCommandArgs(argv, { options, allowPositionals })` call. */
function optionsOf(source: string): CommandOptions {
    const file = ts.createSourceFile(source, readFileSync(source, "utf8"), ts.ScriptTarget.Latest, true);
    const found: CommandOptions = { flags: new Map(), positionals: false };
    const propertyName = (p: ts.ObjectLiteralElementLike) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined);
    const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node) && node.expression.getText() === "parseCommandArgs" && node.arguments[1] && ts.isObjectLiteralExpression(node.arguments[1])) {
            for (const p of node.arguments[1].properties) {
                if (!ts.isPropertyAssignment(p)) continue;
                if (propertyName(p) === "allowPositionals") found.positionals = p.initializer.kind === ts.SyntaxKind.TrueKeyword;
                if (propertyName(p) === "options" && ts.isObjectLiteralExpression(p.initializer)) {
                    for (const option of p.initializer.properties) {
                        if (!ts.isPropertyAssignment(option) || !ts.isObjectLiteralExpression(option.initializer)) continue;
                        const fields = new Map(option.initializer.properties.filter(ts.isPropertyAssignment).map((f) => [propertyName(f), f.initializer.getText().replace(/^["']|["']$/g, "")]));
                        const takesValue = fields.get("type") === "string";
                        found.flags.set(`--${propertyName(option)}`, takesValue);
                        if (fields.has("short")) found.flags.set(`-${fields.get("short")}`, takesValue);
                    }
                }
            }
        }
        ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
}

const where = (c: ShellCommand) => `${c.page}:${c.line}: ${c.text}`;

/** What is wrong with one command of the docs, or undefined when it is a command a reader can run. */
function problemWith(c: ShellCommand, available: Record<string, string>): string | undefined {
    const [tool, sub, name, ...rest] = c.words;
    if (BUILTINS.has(tool)) return undefined;
    if (tool === "npm") {
        if (sub === "ci") return c.words.slice(2).every((w) => w === "--ignore-scripts") ? undefined : "npm ci takes no argument here but --ignore-scripts";
        if (sub === "test") return available.test ? (c.words.length === 2 ? undefined : "npm test takes no arguments") : "package.json has no test script";
        if (sub !== "run") return `npm ${sub} is not a command the docs may show (npm ci, npm test, npm run SCRIPT)`;
        if (!name || !(name in available)) return `package.json has no script '${name}' (it has ${Object.keys(available).join(", ")})`;
        if (rest.length && rest[0] !== "--") return `npm run ${name} ${rest[0]}: arguments for the command go after --`;
        const args = rest.slice(1);
        const source = commandSource(name, available[name]);
        if (!source) return args.length ? `npm run ${name} takes no arguments (its script runs no cli/ command)` : undefined;
        const accepted = optionsOf(source);
        for (let i = 0; i < args.length; i++) {
            const arg = args[i];
            if (arg.startsWith("-")) {
                const flag = arg.split("=")[0];
                if (!accepted.flags.has(flag)) return `npm run ${name} does not accept ${flag} (${relative(ROOT, source)} accepts ${[...accepted.flags.keys()].join(", ") || "no flags"})`;
                if (accepted.flags.get(flag) && !arg.includes("=")) {
                    if (i + 1 >= args.length) return `${flag} needs a value`;
                    i++;
                }
            } else if (!accepted.positionals) return `npm run ${name} takes no argument '${arg}'`;
        }
        return undefined;
    }
    if (["pulumi", "az", "gh"].includes(tool)) {
        const known = EXTERNAL_COMMANDS.some((path) => path.every((w, i) => c.words[i] === w));
        return known ? undefined : `'${c.words.slice(0, 4).join(" ")}' is not in the list of documented ${tool} commands (test/docs.test.ts); check the spelling, or add it there if ${tool} documents it`;
    }
    return `'${tool}' is not a command the docs may show: use an npm script, or a documented pulumi, az or gh command`;
}

const shellCommands = () =>
    pages()
        .flatMap((p) => p.blocks)
        .filter((b) => SHELL.has(b.lang))
        .flatMap(commandsOf);

/** Commands safe to run from a copy of the repository: they read the shipped files and write nothing. */
function runnable(c: ShellCommand): boolean {
    const [tool, sub, name, ...rest] = c.words;
    if (tool !== "npm" || sub !== "run" || c.words.some((w) => /[<>]/.test(w))) return false;
    const args = rest.slice(1);
    if (name === "validate" || name === "plan") return true;
    if (name === "schema") return args.includes("--check");
    if (name === "import") return !args.includes("--write");
    return false;
}

/** A throwaway checkout: the files the commands read, committed, with origin/main pointing at that commit. */
function checkout(): string {
    const dir = mkdtempSync(join(tmpdir(), "docs-commands-"));
    const files = ["users.yaml", "users.schema.json", "Pulumi.yaml", ...readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f)), ...docPages()];
    for (const f of files) {
        mkdirSync(dirname(join(dir, f)), { recursive: true });
        copyFileSync(join(ROOT, f), join(dir, f));
    }
    // The Microsoft 365 admin center's export, under the name the docs give it.
    copyFileSync(join(ROOT, "test/fixtures/m365-export.csv"), join(dir, "Users.csv"));
    commitEverything(dir);
    git(dir, "update-ref", "refs/remotes/origin/main", "HEAD");
    return dir;
}


/** The exported `...Command(argv, io)` of a cli module: what `npm run` ends up calling. */
function commandFunction(source: string): (argv: string[], io: CommandIO) => Promise<number> | number {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(source) as Record<string, unknown>;
    const commands = Object.entries(exported).filter(([k, v]) => /Command$/.test(k) && typeof v === "function");
    assert.equal(commands.length, 1, `${relative(ROOT, source)} should export one ...Command function, has ${commands.map(([k]) => k).join(", ") || "none"}`);
    return commands[0][1] as (argv: string[], io: CommandIO) => Promise<number> | number;
}

describe("docs: the users.yaml field reference", () => {
    it(`${REFERENCE_PAGE} is the committed output of npm run schema (run it after changing model/schema.ts)`, () => {
        const page = readFileSync(join(ROOT, REFERENCE_PAGE), "utf8");
        assert.equal(page, renderReferencePage(page), `${REFERENCE_PAGE} is stale: run npm run schema and commit the result`);
        for (const field of ["userPrincipalName", "mobilePhone", "disabledPlans", "maxGlobalAdmins", "aliases", "Global Administrator"]) assert.ok(page.includes(field), field);
    });

    it("npm run schema -- --check names each stale file; npm run schema rewrites only the generated part of the page", async () => {
        const dir = mkdtempSync(join(tmpdir(), "schema-"));
        mkdirSync(join(dir, "docs"));
        const own = "# users.yaml reference\n\nThe firm's own words.\n\n";
        writeFileSync(join(dir, REFERENCE_PAGE), `${own}${BEGIN_MARKER}\nold\n${END_MARKER}\n\nMore words.\n`);
        const check = captureIO();
        assert.equal(await inDir(dir, () => schemaCommand(["--check"], check)), 1);
        assert.deepEqual(check.stderr, [
            "users.schema.json is out of date with model/schema.ts: run npm run schema and commit the result",
            `${REFERENCE_PAGE} is out of date with model/schema.ts: run npm run schema and commit the result`,
        ]);
        assert.equal(await inDir(dir, () => schemaCommand([], captureIO())), 0);
        const written = readFileSync(join(dir, REFERENCE_PAGE), "utf8");
        assert.ok(written.startsWith(`${own}${BEGIN_MARKER}\n\n### The top level`), written.slice(0, 200));
        assert.ok(written.endsWith(`${END_MARKER}\n\nMore words.\n`));
        assert.equal(await inDir(dir, () => schemaCommand(["--check"], captureIO())), 0);
        assert.deepEqual(await inDir(dir, () => generatedFiles().map((f) => f.current === f.wanted)), [true, true]);
    });

    it("refuses a page whose markers are gone rather than guessing where the reference goes", () => {
        assert.throws(() => renderReferencePage("# users.yaml reference\n\nno markers\n"), /must hold the generated field reference between/);
        assert.ok(renderReferencePage(undefined).includes(END_MARKER), "a missing page is made anew");
    });
});

describe("docs: settings", () => {
    it("every stack setting the program reads has a row in docs/deploying.md, and every Practice Protect setting one in docs/practice-protect-setup.md with its environment variable", () => {
        const rows = (page: string) => readFileSync(join(ROOT, page), "utf8").split("\n").filter((l) => l.startsWith("| `"));
        const stack = rows("docs/deploying.md");
        assert.deepEqual(SETTING_KEYS.filter((k) => !stack.some((r) => r.startsWith(`| \`${k}\` |`))), []);
        const portal = rows("docs/practice-protect-setup.md");
        const env = (name: string) => `PRACTICEPROTECT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
        assert.deepEqual(Object.values(SETTING_NAMES).filter((n) => !portal.some((r) => r.startsWith(`| \`practiceprotect:${n}\` | \`${env(n)}\` |`))), []);
    });
});

describe("docs: links between pages", () => {
    it("GitHub's anchors: inline code and punctuation dropped, spaces to dashes, repeats numbered", () => {
        assert.equal(slug("What `pulumi up` does"), "what-pulumi-up-does");
        assert.equal(slug("`users.<key>`"), "userskey");
        assert.equal(slug("CI with GitHub Actions"), "ci-with-github-actions");
        assert.equal(slug("Offboard someone (a leaver)"), "offboard-someone-a-leaver");
        assert.deepEqual([...anchorsOf({ page: "x.md", blocks: [], prose: ["# A", "## A", "## B: c"] })], ["a", "a-1", "b-c"]);
    });

    it("every relative link in README.md and docs/*.md lands on a file in the repository, and every #anchor on a heading", () => {
        const all = pages();
        const byPath = new Map(all.map((p) => [resolve(ROOT, p.page), p]));
        const broken: string[] = [];
        for (const page of all) {
            for (const link of linksOf(page)) {
                if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) continue; // https:, mailto: (external links are not fetched)
                const [path, anchor] = link.target.split("#", 2) as [string, string | undefined];
                const file = path ? resolve(ROOT, dirname(page.page), decodeURI(path)) : resolve(ROOT, page.page);
                const at = `${link.page}:${link.line}: ${link.target}`;
                if (!file.startsWith(ROOT + sep) && file !== ROOT) broken.push(`${at}: outside the repository`);
                else if (!existsSync(file)) broken.push(`${at}: no such file`);
                else if (anchor !== undefined) {
                    if (!file.endsWith(".md") || statSync(file).isDirectory()) broken.push(`${at}: an anchor into a file that is not a page`);
                    else {
                        const target = byPath.get(file) ?? readPage(relative(ROOT, file));
                        if (!anchorsOf(target).has(anchor)) broken.push(`${at}: no heading with that anchor in ${relative(ROOT, file)}`);
                    }
                }
            }
        }
        assert.deepEqual(broken, []);
    });

    it("README links to every page under docs/", () => {
        const readme = linksOf(readPage("README.md")).map((l) => l.target.split("#")[0]);
        const missing = docPages().filter((p) => p !== "README.md" && !readme.includes(p));
        assert.deepEqual(missing, []);
    });
});

describe("docs: commands", function () {
    this.timeout(240_000);

    it("every fenced code block says its language, so a shell block cannot pass unchecked", () => {
        const unlabelled = pages()
            .flatMap((p) => p.blocks)
            .filter((b) => !b.lang)
            .map((b) => `${b.page}:${b.line}`);
        assert.deepEqual(unlabelled, []);
    });

    it("the checker knows a good command from a bad one", () => {
        const check = (text: string) => problemWith({ page: "x.md", line: 1, text, words: commandsOf({ page: "x.md", lang: "sh", line: 0, lines: [text] })[0].words }, { plan: "ts-node -T cli/plan.ts", test: "mocha", validate: "ts-node -T cli/validate.ts" });
        assert.equal(check("npm run plan -- --base origin/main --format markdown"), undefined);
        assert.equal(check("npm run validate -- users.yaml"), undefined);
        assert.equal(check("pulumi config set --secret practiceprotect:clientSecret <secret>"), undefined);
        assert.match(check("npm run plan -- --bsae origin/main")!, /does not accept --bsae/);
        assert.match(check("npm run plan users.yaml")!, /arguments for the command go after --/);
        assert.match(check("npm run plna")!, /no script 'plna'/);
        assert.match(check("npm run plan -- users.yaml")!, /takes no argument 'users.yaml'/);
        assert.match(check("pulumi stak init acme")!, /not in the list of documented pulumi commands/);
        assert.match(check("curl https://example.com | sh")!, /'curl' is not a command the docs may show/);
        assert.deepEqual(
            commandsOf({ page: "x.md", lang: "sh", line: 0, lines: ["A=1 npm ci && npm run plan     # comment", "npm run emulator -- --port 8080 &", 'pulumi config set x "$(echo a b)"'] }).map((c) => c.words),
            [["npm", "ci"], ["npm", "run", "plan"], ["npm", "run", "emulator", "--", "--port", "8080"], ["pulumi", "config", "set", "x", "$(echo a b)"], ["echo", "a", "b"]],
        );
    });

    it("every command in a shell block is an npm script with flags its command accepts, or a documented pulumi/az/gh command", () => {
        const available = scripts();
        const commands = shellCommands();
        assert.ok(commands.length > 20, `only ${commands.length} commands found`);
        const problems = commands.map((c) => [c, problemWith(c, available)] as const).filter(([, p]) => p !== undefined).map(([c, p]) => `${where(c)}\n    ${p}`);
        assert.deepEqual(problems, []);
    });

    it("the command synopses in prose (`npm run plan -- [--file FILE]`) name only flags their command accepts", () => {
        const available = scripts();
        const problems: string[] = [];
        for (const page of pages()) {
            page.prose.forEach((line, i) => {
                for (const m of line.matchAll(/`npm run ([\w:-]+)((?: [^`]*)?)`/g)) {
                    const [name, rest] = [m[1], m[2].trim()];
                    // A script that is not there yet (another page's command) is for the shell-block test to catch once it is shown.
                    if (!(name in available)) continue;
                    const source = commandSource(name, available[name]);
                    const flags = rest.split(/[\s[\]|]+/).filter((w) => /^--?[A-Za-z]/.test(w)).map((w) => w.split("=")[0]);
                    const accepted = source ? optionsOf(source).flags : new Map<string, boolean>();
                    for (const flag of flags) if (!accepted.has(flag)) problems.push(`${page.page}:${i + 1}: ${m[0]}: npm run ${name} does not accept ${flag}`);
                }
            });
        }
        assert.deepEqual(problems, []);
    });

    it("the commands that only read (validate, plan, schema --check, import without --write) run and succeed on a checkout of the shipped files", async () => {
        const available = scripts();
        const seen = new Set<string>();
        const toRun = shellCommands().filter((c) => runnable(c) && !problemWith(c, available) && !seen.has(c.words.join(" ")) && seen.add(c.words.join(" ")));
        assert.ok(toRun.some((c) => c.words[2] === "plan") && toRun.some((c) => c.words[2] === "import"), "the docs show a plan and an import dry run");
        const dir = checkout();
        const failed: string[] = [];
        for (const c of toRun) {
            const [, , name, , ...args] = c.words;
            const run = commandFunction(commandSource(name, available[name])!);
            const io = captureIO();
            let code: number;
            try {
                code = await inDir(dir, () => run(args, io));
            } catch (e) {
                failed.push(`${where(c)}\n    threw ${(e as Error).message}`);
                continue;
            }
            if (code !== 0) failed.push(`${where(c)}\n    exit ${code}: ${[...io.stderr, ...io.stdout].slice(0, 5).join("\n    ")}`);
        }
        assert.deepEqual(failed, []);
    });
});
