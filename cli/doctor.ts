import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { exitCodeOf } from "../doctor/check";
import { IDENTITIES, type Identity } from "../doctor/identity";
import { renderJson, renderMarkdown, renderTerminal } from "../doctor/render";
import { runDoctor, type DoctorOptions } from "../doctor/run";
import { CommandIO, parseCommandArgs, runAsProcess, UsageError } from "./io";

export const DOCTOR_USAGE =
    "usage: npm run doctor -- [--stack NAME] [--identity deploying|read-only] [--format terminal|markdown|json]\n" +
    "  defaults: dev, deploying, terminal\n" +
    "  a read-only preflight against the stack's real tenant and portal: signs in as pulumi up would, changes nothing\n" +
    "  exit 0: nothing would make pulumi up fail; 1: something would; 2: a usage error";

const FORMATS = ["terminal", "markdown", "json"] as const;
type Format = (typeof FORMATS)[number];

/**
 * `npm run doctor`: the checklist for one stack (docs/before-the-first-deployment.md). Under GitHub Actions it also
 * appends the checklist to the job summary ($GITHUB_STEP_SUMMARY). `overrides` are for tests (the emulators' Graph
 * connection, fast portal retries, a fake Pulumi CLI).
 */
export async function doctorCommand(argv: string[], io: CommandIO, overrides: Partial<Omit<DoctorOptions, "stack" | "identity" | "env">> = {}): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
        allowPositionals: true,
        options: {
            stack: { type: "string", short: "s" },
            identity: { type: "string" },
            format: { type: "string" },
            help: { type: "boolean", short: "h" },
        },
    });
    if (values.help) {
        io.out(DOCTOR_USAGE);
        return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals.join(" ")}`);
    const format = (values.format ?? "terminal") as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format ${values.format}: use terminal, markdown or json`);
    const identity = (values.identity ?? "deploying") as Identity;
    if (!IDENTITIES.includes(identity)) throw new UsageError(`--identity ${values.identity}: use deploying (the identity pulumi up uses) or read-only (the one previews use)`);
    const stack = values.stack ?? "dev";
    if (!/^[A-Za-z0-9._\-/]+$/.test(stack)) throw new UsageError(`--stack ${stack}: a stack name has letters, digits, '.', '-', '_' and '/'`);

    const project = overrides.cwd ?? process.cwd();
    if (!existsSync(join(project, "Pulumi.yaml"))) throw new UsageError(`no Pulumi.yaml in ${project}: run the doctor in the project directory`);

    const report = await runDoctor({ ...overrides, stack, identity, env: io.env });
    const lines = format === "json" ? renderJson(report) : format === "markdown" ? renderMarkdown(report) : renderTerminal(report);
    for (const line of lines) io.out(line);
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (io.env.GITHUB_ACTIONS === "true" && summary) appendFileSync(summary, `${renderMarkdown(report).join("\n")}\n\n`);
    return exitCodeOf(report.checks);
}

if (require.main === module) runAsProcess(doctorCommand, DOCTOR_USAGE);
