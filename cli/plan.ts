import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { checkUsersYaml, formatDiagnostic, loadUsersFile, SourceFile } from "../model";
import { reviewChanges, ReviewSide, ServiceAccountAccess } from "../model/review";
import { readAtRevision } from "./gitRevision";
import { renderReviewMarkdown, renderReviewTerminal, ReviewHeading, reviewSummary } from "./renderReview";
import { plural } from "./validate";
import { CommandIO, parseCommandArgs, runAsProcess, UsageError } from "./io";
import { runMockDeployment } from "./mockDeployment";
import { planView } from "./planView";
import { renderPlan } from "./renderPlan";
import { parseStackConfig, readStackConfig } from "./stackConfig";

export const PLAN_USAGE =
    "usage: npm run plan -- [--file FILE] [--stack NAME] [--base GIT-REF] [--format terminal|markdown|json]\n" +
    "  defaults: users.yaml, dev, no base (everything as new), terminal\n" +
    "  --base REF   review what changes for people between users.yaml at REF and the working tree";

const FORMATS = ["terminal", "markdown", "json"] as const;
type Format = (typeof FORMATS)[number];

/**
 * `npm run plan`: validates users.yaml, runs the real program (index.ts) offline under Pulumi's mocks with the
 * stack's settings, and prints per user what `pulumi up` would declare. No Azure, no Pulumi CLI, no credentials.
 */
export async function planCommand(argv: string[], io: CommandIO): Promise<number> {
    const { values } = parseCommandArgs(argv, {
        options: {
            file: { type: "string", short: "f" },
            stack: { type: "string", short: "s" },
            base: { type: "string", short: "b" },
            format: { type: "string" },
            help: { type: "boolean", short: "h" },
        },
    });
    if (values.help) {
        io.out(PLAN_USAGE);
        return 0;
    }
    const file = values.file ?? "users.yaml";
    const stack = values.stack ?? "dev";
    const format = (values.format ?? "terminal") as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format ${values.format}: use terminal, markdown or json`);
    const project = String(parse(readFileSync("Pulumi.yaml", "utf8")).name);
    const { settings, secretKeys } = readStackConfig(`Pulumi.${stack}.yaml`, project);

    const externalGlobalAdmins = settings.serviceAccountAccess === "full" ? ["the practiceprotect service account"] : [];
    const { source, model, diagnostics } = loadUsersFile(file, { externalGlobalAdmins });
    for (const d of diagnostics) io.err(formatDiagnostic(source, d));
    if (!model) {
        io.err(`${file} has errors; pulumi up would deploy nothing. Fix them and run the plan again.`);
        return 1;
    }

    if (values.base !== undefined || format !== "terminal") {
        const base = readBase(values.base, file, stack, project);
        const diff = reviewChanges(base.side, {
            model,
            serviceAccountAccess: accessOf(settings.serviceAccountAccess),
            deleteRemovedUsers: settings.deleteRemovedUsers === "true",
            removeLicensesOnOffboarding: settings.removeLicensesOnOffboarding === "true",
        });
        const heading: ReviewHeading = { file, base: values.base, baseNote: base.note };
        const lines =
            format === "json"
                ? [JSON.stringify({ file, base: values.base ?? null, baseNote: base.note ?? null, summary: reviewSummary(diff), ...diff }, null, 2)]
                : format === "markdown"
                  ? renderReviewMarkdown(diff, heading)
                  : renderReviewTerminal(diff, heading);
        for (const line of lines) io.out(line);
        return 0;
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
    for (const line of renderPlan(planView(run.registrations, model.users.map((u) => u.key)), heading)) io.out(line);
    return 0;
}


const accessOf = (value: string | undefined): ServiceAccountAccess => (value === "full" || value === "mail" ? value : undefined);

/**
 * users.yaml and the stack's settings at the base revision. A base where the file does not exist, or does
 * not validate, is reported and treated as empty: everything shows as new.
 */
function readBase(revision: string | undefined, file: string, stack: string, project: string): { side: ReviewSide; note?: string } {
    if (revision === undefined) return { side: {} };
    const text = readAtRevision(revision, file);
    const stackText = readAtRevision(revision, `Pulumi.${stack}.yaml`);
    const settings = stackText === undefined ? {} : parseStackConfig(stackText, project).settings;
    const side: ReviewSide = {
        serviceAccountAccess: accessOf(settings.serviceAccountAccess),
        deleteRemovedUsers: settings.deleteRemovedUsers === "true",
        removeLicensesOnOffboarding: settings.removeLicensesOnOffboarding === "true",
    };
    if (text === undefined) return { side, note: `${file} does not exist at ${revision}: everything is shown as new` };
    const source = new SourceFile(`${revision}:${file}`, text);
    const result = checkUsersYaml(source, {});
    if (!result.model) {
        const errors = result.diagnostics.filter((d) => d.severity === "error");
        const first = errors.slice(0, 3).map((d) => formatDiagnostic(source, d)).join("; ");
        return { side, note: `${file} at ${revision} does not validate (${plural(errors.length, "error")}: ${first}${errors.length > 3 ? "; ..." : ""}): everything is shown as new` };
    }
    return { side: { ...side, model: result.model } };
}

if (require.main === module) runAsProcess(planCommand, PLAN_USAGE);
