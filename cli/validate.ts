import { readStackSettings, SettingsError } from "../components/settings";
import { formatDiagnostic, formatGitHubAnnotation, loadUsersFile } from "../model";
import { configProblems, loadConfig, locateSettingsProblems, ownSettings, strayProjectFiles, workingTree } from "../model/config";
import { CommandIO, parseCommandArgs, runAsProcess, UsageError } from "./io";

export const VALIDATE_USAGE =
    "usage: npm run validate -- [FILE] [--stack NAME]\n" +
    "  defaults: the stack's usersFile (users.yaml), dev; reads Pulumi.yaml and Pulumi.NAME.yaml as the plan does";

/**
 * `npm run validate -- [FILE] [--stack NAME]`: prints every problem as FILE:LINE:COL: error: MESSAGE (and, under
 * GitHub Actions, as annotations on the pull request). Exit code 1 when there is any error, 0 otherwise. It reads
 * the stack's configuration as the plan does (Pulumi.yaml's defaults, then Pulumi.<stack>.yaml), so the two reach
 * the same verdict: the same keys refused, the same settings (a full-access service account counts towards the
 * Global Administrators). Without a Pulumi.yaml (and no --stack), the file is checked alone.
 */
export function validateCommand(argv: string[], io: CommandIO): number {
    const { positionals, values } = parseCommandArgs(argv, {
        allowPositionals: true,
        options: { stack: { type: "string", short: "s" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
        io.out(VALIDATE_USAGE);
        return 0;
    }
    if (positionals.length > 1) throw new UsageError(`expected one file, got ${positionals.length}: ${positionals.join(" ")}`);
    const annotate = io.env.GITHUB_ACTIONS === "true";

    const config = loadConfig(workingTree(), values.stack ?? "dev");
    if (!config && values.stack !== undefined) throw new UsageError(`--stack ${values.stack}: no Pulumi.yaml here; run validate in the project directory`);
    let configErrors = 0;
    let externalGlobalAdmins: string[] = [];
    let usersFile: string | undefined;
    if (!config) {
        for (const { source, diagnostic } of strayProjectFiles(workingTree(), values.stack ?? "dev")) {
            io.out(formatDiagnostic(source, diagnostic));
            configErrors++;
        }
    }
    if (config) {
        for (const { source, diagnostic } of configProblems(config)) {
            io.out(formatDiagnostic(source, diagnostic));
            if (annotate) io.out(formatGitHubAnnotation(source, diagnostic));
            configErrors++;
        }
        try {
            const settings = readStackSettings(ownSettings(config), config.project);
            externalGlobalAdmins = settings.serviceAccount?.access === "full" ? ["the practiceprotect service account"] : [];
            usersFile = settings.usersFile;
        } catch (e) {
            if (!(e instanceof SettingsError)) throw e;
            const lines = locateSettingsProblems(config, e.message.split("\n").slice(1).map((l) => l.trim()));
            for (const line of lines) io.out(line);
            configErrors += lines.length;
        }
    }
    const file = positionals[0] ?? usersFile ?? "users.yaml";

    const { source, file: valid, diagnostics } = loadUsersFile(file, { model: false, externalGlobalAdmins });
    for (const d of diagnostics) io.out(formatDiagnostic(source, d));
    if (annotate) for (const d of diagnostics) io.out(formatGitHubAnnotation(source, d));

    const errors = diagnostics.filter((d) => d.severity === "error").length + configErrors;
    const warnings = diagnostics.length - (errors - configErrors);
    const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
    const ok = valid && configErrors === 0;
    io.err(ok ? `${file}: valid, ${plural(Object.keys(valid.users).length, "user")} (${counts})` : `${file}: ${counts}; nothing would be deployed`);
    return ok ? 0 : 1;
}


export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

if (require.main === module) runAsProcess(validateCommand, VALIDATE_USAGE);
