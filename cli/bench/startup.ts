import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { formatTable } from "../table";

/**
 * `npm run validate` as a pre-commit hook, an editor or a CI job meets it: a whole process, npm and start-up
 * included, beside a floor measured in the same run (issue 12). A small file against npm starting a bare node
 * that yaml.parses the same file; 5,000 users against a bare node process doing that yaml.parse. Each round
 * runs all four, in alternating order, and a ratio is the median of the rounds' own ratios, so load from
 * elsewhere on the machine falls on both sides of it alike.
 */

const ROUNDS = 7;

/** Four lines: the smallest users.yaml that validates. */
const SMALL_FILE = ["users:", "  jane.citizen:", "    userPrincipalName: jane.citizen@examplefirm.com.au", "    displayName: Jane Citizen", ""].join("\n");

/** Milliseconds from start to exit; a failed run is a failed bench. */
function wallMs(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
    const start = process.hrtime.bigint();
    const run = spawnSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0) throw new Error(`${[command, ...args].join(" ")} exited ${run.status}: ${(run.stderr ?? "").slice(-1000)}`);
    return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, digits = 0) => n.toFixed(digits);
const verdict = (ok: boolean, text: string) => `${ok ? "ok  " : "FAIL"}  ${text}`;

export function startupBench(dir: string, file5000: string): { text: string; verdicts: string[] } {
    const root = process.cwd();
    // The npm that runs this bench, under this Node, so both sides and the user's command start the same way.
    const execPath = process.env.npm_execpath;
    const npm = (args: string[], cwd: string, env?: NodeJS.ProcessEnv) =>
        execPath?.endsWith(".js") ? wallMs(process.execPath, [execPath, ...args], cwd, env) : wallMs("npm", args, cwd, env);

    const small = resolve(dir, "users-four-lines.yaml");
    writeFileSync(small, SMALL_FILE);
    const large = resolve(file5000);
    // The floor's own package: one script that starts node to yaml.parse a file with the project's yaml.
    const floor = resolve(dir, "startup-floor");
    mkdirSync(floor, { recursive: true });
    writeFileSync(join(floor, "parse.js"), `require(${JSON.stringify(require.resolve("yaml"))}).parse(require("node:fs").readFileSync(process.argv[2], "utf8"));\n`);
    writeFileSync(join(floor, "package.json"), JSON.stringify({ name: "startup-floor", private: true, scripts: { parse: "node parse.js" } }, null, 2));

    const runs = {
        small: () => npm(["run", "validate", "--", small], root),
        smallFloor: () => npm(["run", "parse", "--", small], floor),
        large: () => npm(["run", "validate", "--", large], root),
        largeFloor: () => wallMs(process.execPath, [join(floor, "parse.js"), large], floor),
    };
    // A first run after `npm ci` (with or without install scripts) compiles into an empty cache: once, for the table.
    const emptyCache = mkdtempSync(join(tmpdir(), "ts-cache-"));
    const firstRun = npm(["run", "validate", "--", small], root, { ...process.env, TS_CACHE_DIR: emptyCache });
    rmSync(emptyCache, { recursive: true, force: true });

    for (const run of Object.values(runs)) run(); // warm: the cache filled, the files in the OS's page cache
    const times: Record<keyof typeof runs, number[]> = { small: [], smallFloor: [], large: [], largeFloor: [] };
    const names = Object.keys(runs) as (keyof typeof runs)[];
    for (let round = 0; round < ROUNDS; round++) for (const name of round % 2 ? [...names].reverse() : names) times[name].push(runs[name]());
    const ms = Object.fromEntries(Object.entries(times).map(([name, t]) => [name, median(t)])) as Record<keyof typeof runs, number>;
    const ratio = (run: keyof typeof runs, floor: keyof typeof runs) => median(times[run].map((t, round) => t / times[floor][round]));

    const smallRatio = ratio("small", "smallFloor");
    const largeRatio = ratio("large", "largeFloor");
    const text = [
        `\nStart-up: npm run validate as a whole process beside its floor, ${ROUNDS} rounds (Node ${process.versions.node}); medians, the ratio of each round's own pair`,
        formatTable([
            ["file", "npm run validate ms", "floor", "floor ms", "ratio"],
            ["users.yaml of four lines", fmt(ms.small), "npm run starting node, yaml.parse", fmt(ms.smallFloor), fmt(smallRatio, 2)],
            ["5,000 users", fmt(ms.large), "node, yaml.parse", fmt(ms.largeFloor), fmt(largeRatio, 2)],
        ]).join("\n"),
        `The first run after npm ci, with nothing compiled yet: ${fmt(firstRun)} ms for the four-line file`,
    ].join("\n");
    return {
        text,
        verdicts: [
            verdict(smallRatio <= 1.3, `npm run validate of a four-line users.yaml within 1.3x of npm starting bare node to yaml.parse it: ${fmt(smallRatio, 2)}x`),
            verdict(largeRatio <= 1.5, `npm run validate of 5,000 users within 1.5x of a bare node yaml.parse process: ${fmt(largeRatio, 2)}x`),
        ],
    };
}
