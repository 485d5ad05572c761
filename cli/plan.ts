import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { formatDiagnostic, loadUsersFile } from "../model";
import { CommandIO, runAsProcess, UsageError } from "./io";
import { runMockDeployment } from "./mockDeployment";
import { planView } from "./planView";
import { renderPlan } from "./renderPlan";
import { readStackConfig } from "./stackConfig";

export const PLAN_USAGE = "usage: npm run plan -- [--file FILE] [--stack NAME]   (defaults: users.yaml, dev)";

/**
 * `npm run plan`: validates users.yaml, runs the real program (index.ts) offline under Pulumi's mocks with the
 * stack's settings, and prints per user what `pulumi up` would declare. No Azure, no Pulumi CLI, no credentials.
 */
export async function planCommand(argv: string[], io: CommandIO): Promise<number> {
    const { values } = parse_(argv);
    if (values.help) {
        io.out(PLAN_USAGE);
        return 0;
    }
    const file = values.file ?? "users.yaml";
    const stack = values.stack ?? "dev";
    const project = String(parse(readFileSync("Pulumi.yaml", "utf8")).name);
    const { settings, secretKeys } = readStackConfig(`Pulumi.${stack}.yaml`, project);

    const externalGlobalAdmins = settings.serviceAccountAccess === "full" ? ["the practiceprotect service account"] : [];
    const { source, model, diagnostics } = loadUsersFile(file, { externalGlobalAdmins });
    for (const d of diagnostics) io.err(formatDiagnostic(source, d));
    if (!model) {
        io.err(`${file} has errors; pulumi up would deploy nothing. Fix them and run the plan again.`);
        return 1;
    }

    const program = require("../index") as () => Promise<Record<string, unknown>>;
    const run = await runMockDeployment(program, {
        project,
        stack,
        config: { ...settings, usersFile: file },
        tenantGroups: Object.fromEntries(model.existingGroups.map((g, i) => [g.name, `existing-group-${i}`])),
        initialDomain: "<tenant>.onmicrosoft.com",
    });
    const heading =
        `Plan for ${file} on stack ${stack}: what pulumi up would declare (offline run of index.ts; nothing was contacted)` +
        (secretKeys.length ? `\nsecret settings not read offline: ${secretKeys.join(", ")}` : "");
    for (const line of renderPlan(planView(run.registrations), heading)) io.out(line);
    return 0;
}

function parse_(argv: string[]) {
    try {
        return parseArgs({ args: argv, options: { file: { type: "string", short: "f" }, stack: { type: "string", short: "s" }, help: { type: "boolean", short: "h" } } });
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
}

if (require.main === module) runAsProcess(planCommand, PLAN_USAGE);
