import { readStackSettings, SettingsError, StackSettings } from "../components/settings";
import { CheckResult, checkUsersYaml, formatDiagnostic, loadUsersFile, SourceFile } from "../model";
import { configProblems, formatConfigProblem, loadConfig, locateSettingsProblems, ownSettings, PINNED_SETTINGS, pinnedKey, ProjectReader, ResolvedConfig, workingTree } from "../model/config";
import { reviewChanges, ReviewSide } from "../model/review";
import { changedFiles, revisionReader } from "./gitRevision";
import { codeChangeAttention } from "../model/codeChanges";
import { renderReviewMarkdown, renderReviewTerminal, ReviewHeading, reviewSummary } from "./renderReview";
import { plural } from "./validate";
import { CommandIO, parseCommandArgs, runAsProcess, UsageError } from "./io";
import { runMockDeployment } from "./mockDeployment";
import { planView } from "./planView";
import { renderPlan } from "./renderPlan";

export const PLAN_USAGE =
    "usage: npm run plan -- [--file FILE] [--stack NAME] [--base GIT-REF] [--head GIT-REF] [--format terminal|markdown|json]\n" +
    "  defaults: the stack's usersFile (users.yaml), dev, no base (everything as new), the working tree, terminal\n" +
    "  --base REF   review what changes (people and configuration) between REF and the head\n" +
    "  --head REF   read the head side (users file, Pulumi.yaml, Pulumi.NAME.yaml) from git revision REF, as data, not the working tree";

const FORMATS = ["terminal", "markdown", "json"] as const;
type Format = (typeof FORMATS)[number];

/**
 * `npm run plan`: validates users.yaml, runs the real program (index.ts) offline under Pulumi's mocks with the
 * stack's settings, and prints per user what `pulumi up` would declare. No Azure, no Pulumi CLI, no credentials.
 * Configuration is resolved as `pulumi up` resolves it (Pulumi.yaml's defaults, then Pulumi.<stack>.yaml) and
 * checked as validate checks it.
 */
export async function planCommand(argv: string[], io: CommandIO): Promise<number> {
    const { values } = parseCommandArgs(argv, {
        options: {
            file: { type: "string", short: "f" },
            stack: { type: "string", short: "s" },
            base: { type: "string", short: "b" },
            head: { type: "string" },
            format: { type: "string" },
            help: { type: "boolean", short: "h" },
        },
    });
    if (values.help) {
        io.out(PLAN_USAGE);
        return 0;
    }
    const stack = values.stack ?? "dev";
    const format = (values.format ?? "terminal") as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format ${values.format}: use terminal, markdown or json`);
    // Read every reader before anything else, so a revision git does not know is a usage error up front.
    const headReader = values.head === undefined ? workingTree() : revisionReader(values.head, "--head");
    const baseReader = values.base === undefined ? undefined : revisionReader(values.base, "--base");
    const label = (revision: string | undefined) => (path: string) => (revision === undefined ? path : `${revision}:${path}`);

    const config = loadConfig(headReader, stack, label(values.head));
    if (!config) throw new UsageError(`no Pulumi.yaml${values.head ? ` at ${values.head}` : " here"}: run the plan in the project directory`);
    const settings = stackSettings(config, io);
    if (!settings) return 1;
    const file = values.file ?? settings.usersFile;

    const externalGlobalAdmins = settings.serviceAccount?.access === "full" ? ["the practiceprotect service account"] : [];
    const { source, model, diagnostics } = readUsersFile(headReader, file, values.head, externalGlobalAdmins);
    for (const d of diagnostics) io.err(formatDiagnostic(source, d));
    if (!model) {
        io.err(`${source.path} has errors; pulumi up would deploy nothing. Fix them and run the plan again.`);
        return 1;
    }

    if (values.base !== undefined || values.head !== undefined || format !== "terminal") {
        const base = readBase(baseReader, values.base, values.file, stack);
        const diff = reviewChanges(base.side, { model, config, ...sideSettings(settings) });
        // What the deploy runs besides users.yaml and the configuration: the program and the workflows themselves.
        if (values.base !== undefined) diff.attention.push(...codeChangeAttention(changedFiles(values.base, values.head)));
        const heading: ReviewHeading = { file, base: values.base, head: values.head, baseNote: base.note };
        const lines =
            format === "json"
                ? [JSON.stringify({ file, base: values.base ?? null, head: values.head ?? null, baseNote: base.note ?? null, summary: reviewSummary(diff), ...diff }, null, 2)]
                : format === "markdown"
                  ? renderReviewMarkdown(diff, heading)
                  : renderReviewTerminal(diff, heading);
        for (const line of lines) io.out(line);
        return 0;
    }

    const program = require("../index") as () => Promise<Record<string, unknown>>;
    const engineConfig = Object.fromEntries([...config.values.values()].filter((e) => !e.secret).map((e) => [e.key, e.value]));
    const run = await withCommittedPins(config, () =>
        runMockDeployment(program, {
            project: config.project,
            stack,
            config: { ...engineConfig, [`${config.project}:usersFile`]: file },
            tenantGroups: Object.fromEntries(model.existingGroups.map((g, i) => [g.name, `existing-group-${i}`])),
            initialDomain: "<tenant>.onmicrosoft.com",
        }),
    );
    const secretKeys = [...config.values.values()].filter((e) => e.secret).map((e) => e.key);
    const heading =
        `Plan for ${file} on stack ${stack}: what pulumi up would declare (offline run of index.ts; nothing was contacted)` +
        (secretKeys.length ? `\nsecret settings not read offline: ${secretKeys.join(", ")}` : "");
    for (const line of renderPlan(planView(run.registrations, model.users.map((u) => u.key)), heading)) io.out(line);
    return 0;
}

/**
 * The stack's settings, or undefined after printing why they cannot be used: what Pulumi itself refuses, keys
 * outside the allow-list (each at FILE:LINE:COL), and unusable values. validate prints the same.
 */
export function stackSettings(config: ResolvedConfig, io: CommandIO): StackSettings | undefined {
    const problems = configProblems(config);
    for (const p of problems) io.err(formatConfigProblem(p));
    try {
        const settings = readStackSettings(ownSettings(config), config.project);
        return problems.length ? undefined : settings;
    } catch (e) {
        if (!(e instanceof SettingsError)) throw e;
        for (const line of locateSettingsProblems(config, e.message.split("\n").slice(1).map((l) => l.trim()))) io.err(line);
        return undefined;
    }
}

const sideSettings = (settings: StackSettings) => ({
    serviceAccountAccess: settings.serviceAccount?.access,
    deleteRemovedUsers: settings.deleteRemovedUsers,
    removeLicensesOnOffboarding: settings.removeLicensesOnOffboarding,
});

function readUsersFile(read: ProjectReader, file: string, revision: string | undefined, externalGlobalAdmins: string[]): CheckResult & { source: SourceFile } {
    if (revision === undefined) return loadUsersFile(file, { externalGlobalAdmins });
    const text = read(file);
    const source = new SourceFile(`${revision}:${file}`, (text ?? "").replace(/^\uFEFF/, ""));
    if (text === undefined) return { source, diagnostics: [{ severity: "error", code: "unreadable", range: [0, 0], message: `${file} does not exist at ${revision}` }] };
    return { source, ...checkUsersYaml(source, { externalGlobalAdmins }) };
}

/**
 * The offline plan shows what the committed files declare; which values the environment pins is the deploy
 * environment's business (index.ts checks it there, the doctor reports it). So while the program runs here,
 * a pinned variable this shell does not set holds the committed value.
 */
async function withCommittedPins<T>(config: ResolvedConfig, run: () => Promise<T>): Promise<T> {
    const saved: [string, string | undefined][] = [];
    for (const setting of PINNED_SETTINGS) {
        const entry = config.values.get(pinnedKey(setting, config.project));
        if (!entry || entry.secret || process.env[setting.variable]) continue;
        saved.push([setting.variable, process.env[setting.variable]]);
        process.env[setting.variable] = entry.value;
    }
    try {
        return await run();
    } finally {
        for (const [name, value] of saved) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    }
}

/**
 * The users file and the configuration at the base revision: the users file the base's configuration names
 * (or --file). A base where the file does not exist, or does not validate, is reported and treated as empty:
 * everything shows as new. The base's configuration is taken as it resolves, problems and all: it is what is
 * deployed now.
 */
function readBase(read: ProjectReader | undefined, revision: string | undefined, fileOption: string | undefined, stack: string): { side: ReviewSide; note?: string } {
    if (read === undefined || revision === undefined) return { side: {} };
    const config = loadConfig(read, stack, (path) => `${revision}:${path}`);
    let settings: StackSettings | undefined;
    try {
        settings = config && readStackSettings(ownSettings(config), config.project);
    } catch (e) {
        if (!(e instanceof SettingsError)) throw e;
    }
    const file = fileOption ?? settings?.usersFile ?? config?.values.get(`${config.project}:usersFile`)?.value ?? "users.yaml";
    const side: ReviewSide = { config, ...(settings ? sideSettings(settings) : {}) };
    const text = read(file);
    if (text === undefined) return { side, note: `${file} does not exist at ${revision}: everything is shown as new` };
    const source = new SourceFile(`${revision}:${file}`, text.replace(/^\uFEFF/, ""));
    const result = checkUsersYaml(source, {});
    if (!result.model) {
        const errors = result.diagnostics.filter((d) => d.severity === "error");
        const first = errors.slice(0, 3).map((d) => formatDiagnostic(source, d)).join("; ");
        return { side, note: `${file} at ${revision} does not validate (${plural(errors.length, "error")}: ${first}${errors.length > 3 ? "; ..." : ""}): everything is shown as new` };
    }
    return { side: { ...side, model: result.model } };
}

if (require.main === module) runAsProcess(planCommand, PLAN_USAGE);
