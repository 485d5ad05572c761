import { execFile } from "node:child_process";
import type { Probed } from "../check";
import type { PulumiFacts } from "../pulumiChecks";

/** Runs the Pulumi CLI; ENOENT means it is not installed. Only read commands are run: whoami and stack ls. */
function pulumi(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ missing: true } | { missing: false; code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile("pulumi", args, { cwd, env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (error && (error as NodeJS.ErrnoException).code === "ENOENT") return resolve({ missing: true });
            const code = error ? (typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code) : 1) : 0;
            resolve({ missing: false, code, stdout: String(stdout), stderr: String(stderr) });
        });
    });
}

const failureOf = (r: { stderr: string; stdout: string; code: number }) => (r.stderr.trim() || r.stdout.trim() || `exit ${r.code}`).split(/\r?\n/)[0];

/**
 * A command's JSON output. Pulumi CLI v3.250 and later spell it `--output json` ("pulumi whoami", "pulumi stack list"
 * in the CLI reference); earlier releases `--json` (`-j`). The new spelling first, the old one when the CLI does not
 * know the flag.
 */
async function pulumiJson(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
    const modern = await pulumi([...args, "--output", "json", "--non-interactive"], cwd, env);
    if (modern.missing || modern.code === 0 || !/unknown (flag|shorthand)/i.test(`${modern.stderr}${modern.stdout}`)) return modern;
    return pulumi([...args, "--json", "--non-interactive"], cwd, env);
}

/** The backend the CLI is logged in to (`pulumi whoami`) and the project's stacks there (`pulumi stack ls`), as JSON. */
export async function pulumiFacts(cwd: string, env: NodeJS.ProcessEnv): Promise<PulumiFacts> {
    const who = await pulumiJson(["whoami"], cwd, env);
    if (who.missing) return { present: false };
    let whoami: Probed<{ user: string; url: string }>;
    if (who.code !== 0) whoami = { ok: false, error: failureOf(who) };
    else {
        try {
            const parsed = JSON.parse(who.stdout) as { user?: string; url?: string };
            whoami = { ok: true, value: { user: String(parsed.user ?? "?"), url: String(parsed.url ?? "") } };
        } catch {
            whoami = { ok: false, error: `pulumi whoami answered something other than JSON: ${who.stdout.trim().slice(0, 80)}` };
        }
    }
    if (!whoami.ok) return { present: true, whoami, stacks: { ok: false, error: "not logged in" } };
    const ls = await pulumiJson(["stack", "ls"], cwd, env);
    let stacks: Probed<string[]>;
    if (ls.missing || ls.code !== 0) stacks = { ok: false, error: ls.missing ? "pulumi disappeared" : failureOf(ls) };
    else {
        try {
            stacks = { ok: true, value: (JSON.parse(ls.stdout) as { name: string }[]).map((s) => String(s.name)) };
        } catch {
            stacks = { ok: false, error: "pulumi stack ls answered something other than JSON" };
        }
    }
    return { present: true, whoami, stacks };
}
