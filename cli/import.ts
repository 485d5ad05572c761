import { readFileSync, statSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { formatDiagnostic } from "../model";
import { CsvReadError, ImportError, ImportResult, importUsersCsv } from "../model/import";
import { CommandIO, parseCommandArgs, runAsProcess, UsageError } from "./io";
import { plural } from "./validate";

export const IMPORT_USAGE = "usage: npm run import -- --csv FILE [--file users.yaml] [--write]";

/**
 * `npm run import -- --csv FILE [--file users.yaml] [--write]`: adopts an existing tenant. Reads the Microsoft
 * 365 admin center's user export and adds its users to users.yaml (or creates one), each with the objectId
 * that makes `pulumi up` adopt the user instead of creating a duplicate. Existing entries are left untouched.
 * Without --write it prints what it would add and changes nothing.
 *
 * stdout: the YAML that would be added (a dry run), or the validation errors (FILE:LINE:COL: error: ...).
 * stderr: one line per CSV row worth telling about (`row N: ...`, the header is row 1), then a summary.
 * Exit code 0 when done (or nothing to do), 1 when the CSV cannot be read or the result would not validate,
 * 2 for usage errors.
 */
export function importCommand(argv: string[], io: CommandIO): number {
    const { positionals, values } = parseCommandArgs(argv, { allowPositionals: true, options: { csv: { type: "string" }, file: { type: "string", short: "f" }, write: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
    if (values.help) {
        io.out(IMPORT_USAGE);
        return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument${positionals.length > 1 ? "s" : ""}: ${positionals.join(" ")} (the CSV is given with --csv FILE)`);
    const csvPath = values.csv;
    if (!csvPath) throw new UsageError("--csv FILE is required: the user export of the Microsoft 365 admin center (Active users → Export users)");
    const file = values.file ?? "users.yaml";

    const csv = readText(csvPath);
    if (typeof csv !== "string") {
        io.err(`error: cannot read ${csvPath}: ${csv.reason}`);
        return 1;
    }
    let existing: string | undefined;
    if (exists(file)) {
        const text = readText(file);
        if (typeof text !== "string") {
            io.err(`error: cannot read ${file}: ${text.reason}`);
            return 1;
        }
        existing = text;
    }

    let result: ImportResult;
    try {
        result = importUsersCsv(csv, existing, { csvName: basename(csvPath), usersPath: file });
    } catch (e) {
        if (!(e instanceof ImportError)) throw e;
        io.err(`error: ${e instanceof CsvReadError ? `${csvPath}: ` : ""}${e.message}`);
        return 1;
    }

    for (const n of result.notes) io.err(`row ${n.row}: ${n.message}`);
    const summary = summarise(result, csvPath, file);

    if (result.diagnostics.length > 0) {
        for (const d of result.diagnostics) io.out(formatDiagnostic(result.source, d));
        io.err(`${summary}`);
        io.err(
            result.created
                ? `${file}: the generated file has ${plural(result.diagnostics.length, "error")}; nothing written`
                : `${file}: ${plural(result.diagnostics.length, "error")} in the file as it is; nothing written: fix them (npm run validate) and import again`,
        );
        return 1;
    }
    if (result.text === undefined) {
        io.err(`${summary}; nothing to add, ${file} is unchanged`);
        return 0;
    }
    if (!values.write) {
        io.out(result.created ? result.addedYaml.replace(/\n$/, "") : `# to add under users: in ${file}\n${result.addedYaml.replace(/\r?\n$/, "")}`);
        io.err(`${summary}`);
        io.err(`dry run: nothing written; run again with --write to ${result.created ? "create" : "update"} ${file}`);
        return 0;
    }
    try {
        writeFileSync(file, result.text);
    } catch (e) {
        io.err(`error: cannot write ${file}: ${(e as Error).message}`);
        return 1;
    }
    io.err(`${summary}`);
    io.err(`${result.created ? "created" : "updated"} ${file}: review it, run npm run validate and npm run plan, then open a pull request`);
    return 0;
}

/** `m365-export.csv: 14 rows; 9 users to add (7 adopted, 1 offboarded), 2 already in users.yaml, 3 not imported` */
function summarise(result: ImportResult, csvPath: string, file: string): string {
    const adopted = result.added.filter((u) => u.objectId).length;
    const offboarded = result.added.filter((u) => !u.enabled).length;
    const notImported = new Set(result.notes.filter((n) => n.skipped).map((n) => n.row)).size;
    const details = [`${adopted} adopted by objectId`, ...(adopted < result.added.length ? [`${result.added.length - adopted} to create`] : []), ...(offboarded ? [`${offboarded} offboarded`] : [])];
    return (
        `${csvPath}: ${plural(result.rows, "row")}; ${plural(result.added.length, "user")} to add` +
        (result.added.length ? ` (${details.join(", ")})` : "") +
        `, ${result.alreadyPresent} already in ${basename(file)}, ${notImported} not imported`
    );
}

function readText(path: string): string | { reason: string } {
    try {
        const bytes = readFileSync(path);
        // Excel's "Unicode text" and some PowerShell exports are UTF-16 with a byte-order mark.
        if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString("utf16le");
        return bytes.toString("utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return { reason: code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message };
    }
}

function exists(path: string): boolean {
    try {
        statSync(path);
        return true;
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw e;
    }
}


if (require.main === module) runAsProcess(importCommand, IMPORT_USAGE);
