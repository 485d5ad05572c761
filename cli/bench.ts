import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateUsersYaml } from "./bench/generateUsers";
import { graphBench } from "./bench/graphCalls";
import { portalBench } from "./bench/portalReport";
import { startupBench } from "./bench/startup";
import { parse } from "yaml";
import { formatTable } from "./table";

/**
 * `npm run bench`: validation and the offline plan on generated users.yaml files, each beside its floor
 * measured in the same run (a bare yaml.parse; the Pulumi SDK registering as many bare resources).
 */
interface Measurement {
    ms: number;
    maxRssMB: number;
    resources?: number;
}

const DIR = ".bench";

/** The V8 flags `npm run validate` starts node with (package.json), so that its core is measured as it runs there. */
const VALIDATE_NODE_FLAGS: string[] = (JSON.parse(readFileSync("package.json", "utf8")).scripts.validate as string).match(/--[\w-]+=\w+/g) ?? [];

function measure(kind: string, arg: string): Measurement {
    const flags = kind === "validate" ? VALIDATE_NODE_FLAGS : [];
    const out = execFileSync(process.execPath, [...flags, "-r", join(__dirname, "tsCache.js"), join(__dirname, "bench", "measure.ts"), kind, arg], {
        encoding: "utf8",
        maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split("\n").pop()!);
}

function fileFor(users: number): string {
    mkdirSync(DIR, { recursive: true });
    const path = join(DIR, `users-${users}.yaml`);
    writeFileSync(path, generateUsersYaml(users));
    return path;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** Cost per user at the largest size against the smallest: near 1 is linear. */
const growth = (rows: { users: number; ms: number }[]) => rows[rows.length - 1].ms / rows[rows.length - 1].users / (rows[0].ms / rows[0].users);

async function main(): Promise<number> {
    const verdicts: string[] = [];

    const validation = [100, 1000, 5000].map((users) => {
        const file = fileFor(users);
        return { users, validate: measure("validate", file), parse: measure("parse", file) };
    });
    console.log("Validation (npm run validate's core) beside a bare yaml.parse of the same file; median of 3 warm runs");
    console.log(
        formatTable([
            ["users", "validate ms", "yaml.parse ms", "ratio", "validate peak MB", "yaml.parse peak MB"],
            ...validation.map((r) => [String(r.users), fmt(r.validate.ms), fmt(r.parse.ms), fmt(r.validate.ms / r.parse.ms, 2), fmt(r.validate.maxRssMB), fmt(r.parse.maxRssMB)]),
        ]).join("\n"),
    );
    const v5k = validation[validation.length - 1];
    verdicts.push(verdict(v5k.validate.ms < 1000, `validate 5,000 users in under 1 s: ${fmt(v5k.validate.ms)} ms`));
    verdicts.push(verdict(v5k.validate.ms <= 3 * v5k.parse.ms, `within 3x the bare parse: ${fmt(v5k.validate.ms / v5k.parse.ms, 2)}x`));
    const vGrowth = growth(validation.map((r) => ({ users: r.users, ms: r.validate.ms })));
    verdicts.push(verdict(vGrowth < 2, `linear: per-user cost at 5,000 is ${fmt(vGrowth, 2)}x that at 100`));

    const startup = startupBench(DIR, join(DIR, "users-5000.yaml"));
    console.log(startup.text);
    verdicts.push(...startup.verdicts);

    const plans = [50, 200, 500].map((users) => {
        const plan = measure("plan", fileFor(users));
        return { users, plan, bare: measure("bare", String(plan.resources)) };
    });
    console.log("\nOffline plan (index.ts under Pulumi mocks) beside the SDK registering as many bare resources under mocks");
    console.log(
        formatTable([
            ["users", "resources", "per user", "plan ms", "bare ms", "plan peak MB", "bare peak MB", "ms/resource"],
            ...plans.map((r) => [
                String(r.users),
                String(r.plan.resources),
                fmt(r.plan.resources! / r.users, 2),
                fmt(r.plan.ms),
                fmt(r.bare.ms),
                fmt(r.plan.maxRssMB),
                fmt(r.bare.maxRssMB),
                fmt(r.plan.ms / r.plan.resources!, 2),
            ]),
        ]).join("\n"),
    );
    // The shipped users.yaml's own shape (few people, most in an existing group, some admins), all registrations
    // counted: stack, components, users, licences, group memberships, role assignments, groups, portal accounts and roles.
    const shipped = measure("plan", "users.yaml");
    const shippedUsers = Object.keys(parse(readFileSync("users.yaml", "utf8")).users).length;
    console.log(`\nThe shipped users.yaml: ${shipped.resources} resources for ${shippedUsers} users, ${fmt(shipped.resources! / shippedUsers, 2)} per user`);
    const p500 = plans[plans.length - 1];
    verdicts.push(verdict(p500.plan.ms < 10000, `plan 500 users in under 10 s: ${fmt(p500.plan.ms)} ms (${p500.plan.resources} resources, ${fmt(p500.plan.resources! / 500, 1)} per user)`));
    // Per person: the Entra user, their licences and their portal account; groups, existing-group memberships and
    // portal roles are one resource per group or role, whatever the number of people in them.
    verdicts.push(verdict(p500.plan.resources! / 500 <= 4, `at most 4 resources per user at 500 users, in the shipped users.yaml's shape: ${fmt(p500.plan.resources! / 500, 2)}`));
    const pGrowth = growth(plans.map((r) => ({ users: r.users, ms: r.plan.ms })));
    verdicts.push(verdict(pGrowth < 2, `linear: per-user cost at 500 is ${fmt(pGrowth, 2)}x that at 50`));

    const portal = await portalBench();
    console.log(portal.text);
    verdicts.push(...portal.verdicts);

    const graph = await graphBench();
    console.log(graph.text);
    verdicts.push(...graph.verdicts);

    console.log(`\n${verdicts.join("\n")}`);
    return verdicts.some((v) => v.startsWith("FAIL")) ? 1 : 0;
}

const verdict = (ok: boolean, text: string) => `${ok ? "ok  " : "FAIL"}  ${text}`;

main().then((code) => (process.exitCode = code));
