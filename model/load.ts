import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { checkUsersYaml, CheckOptions, CheckResult } from "./check";
import { SourceFile } from "./diagnostics";
import { fileTooLarge, MAX_FILE_BYTES } from "./parse";

/** Reads and checks a users.yaml from disk. The one place the core touches the file system. */
export function loadUsersFile(path: string, options: CheckOptions = {}): CheckResult & { source: SourceFile } {
    let text: string;
    try {
        const stat = lstatSync(path);
        // pulumi up would read the file the link points to, while the review (plan --head, read with git) sees
        // the link's own text: what is deployed must be the file that was reviewed.
        if (stat.isSymbolicLink()) {
            return { source: new SourceFile(path, ""), diagnostics: [{ severity: "error", code: "symbolic-link", range: [0, 0], message: `${path} is a symbolic link (to ${JSON.stringify(readlinkSync(path))}); the review reads the link, pulumi up the file it points to: commit the users file itself, not a link` }] };
        }
        const size = stat.size;
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
