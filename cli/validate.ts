import { formatDiagnostic, formatGitHubAnnotation, loadUsersFile } from "../model";
import { CommandIO, parseCommandArgs, runAsProcess, UsageError } from "./io";

export const VALIDATE_USAGE = "usage: npm run validate -- [FILE]   (default users.yaml)";

/**
 * `npm run validate -- [FILE]`: prints every problem as FILE:LINE:COL: error: MESSAGE (and, under GitHub
 * Actions, as annotations on the pull request). Exit code 1 when there is any error, 0 otherwise.
 */
export function validateCommand(argv: string[], io: CommandIO): number {
    const { positionals, values } = parseCommandArgs(argv, { allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
    if (values.help) {
        io.out(VALIDATE_USAGE);
        return 0;
    }
    if (positionals.length > 1) throw new UsageError(`expected one file, got ${positionals.length}: ${positionals.join(" ")}`);
    const file = positionals[0] ?? "users.yaml";

    const { source, file: valid, diagnostics } = loadUsersFile(file, { model: false });
    for (const d of diagnostics) io.out(formatDiagnostic(source, d));
    if (io.env.GITHUB_ACTIONS === "true") for (const d of diagnostics) io.out(formatGitHubAnnotation(source, d));

    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const warnings = diagnostics.length - errors;
    const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
    io.err(valid ? `${file}: valid, ${plural(Object.keys(valid.users).length, "user")} (${counts})` : `${file}: ${counts}; nothing would be deployed`);
    return valid ? 0 : 1;
}


export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

if (require.main === module) runAsProcess(validateCommand, VALIDATE_USAGE);
