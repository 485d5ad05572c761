import { readFileSync, statSync } from "node:fs";
import { checkUsersYaml, CheckOptions, CheckResult } from "./check";
import { SourceFile } from "./diagnostics";
import { fileTooLarge, MAX_FILE_BYTES } from "./parse";

/** Reads and checks a users.yaml from disk. The one place the core touches the file system. */
export function loadUsersFile(path: string, options: CheckOptions = {}): CheckResult & { source: SourceFile } {
    let text: string;
    try {
        const size = statSync(path).size;
        // Refuse before reading, so a huge file costs nothing.
        if (size > MAX_FILE_BYTES) return { source: new SourceFile(path, ""), diagnostics: [fileTooLarge(size)] };
        text = readFileSync(path, "utf8");
    } catch (e) {
        const source = new SourceFile(path, "");
        const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
        return {
            source,
            diagnostics: [{ severity: "error", code: "unreadable", range: [0, 0], message: `cannot read ${path}: ${reason}; pass the path of the firm's users.yaml` }],
        };
    }
    const source = new SourceFile(path, text.replace(/^\uFEFF/, ""));
    return { source, ...checkUsersYaml(source, options) };
}
