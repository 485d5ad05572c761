import { LineCounter } from "yaml";

/**
 * A problem found in users.yaml. Like the `yaml` package's own errors it is data: a stable `code`, a character
 * range into the source text, and a message that says what is wrong and how to fix it. Line and column are
 * worked out only when printing, from the file's LineCounter.
 */
export interface Diagnostic {
    severity: "error" | "warning";
    code: string;
    message: string;
    /** [start, end) character offsets into the source text. */
    range: [number, number];
}

/** The text of one users.yaml and what is needed to turn offsets into line:col. */
export class SourceFile {
    readonly lineCounter = new LineCounter();

    constructor(readonly path: string, readonly text: string) {}

    /** 1-based line and column of a character offset. */
    position(offset: number): { line: number; col: number } {
        const pos = this.lineCounter.linePos(offset);
        // A file that was never parsed (unreadable, too large) has no lines counted: report its start.
        return pos.line === 0 ? { line: 1, col: 1 } : pos;
    }

    /** `users.yaml:12:7`, the form editors and CI turn into links. */
    location(range: [number, number]): string {
        const { line, col } = this.position(range[0]);
        return `${this.path}:${line}:${col}`;
    }
}

/** `FILE:LINE:COL: error: MESSAGE`, the compiler format editors and CI parse. */
export function formatDiagnostic(source: SourceFile, d: Diagnostic): string {
    return `${source.location(d.range)}: ${d.severity}: ${d.message}`;
}

/** A GitHub Actions workflow command that annotates the line in the pull request. */
export function formatGitHubAnnotation(source: SourceFile, d: Diagnostic): string {
    const { line, col } = source.position(d.range[0]);
    const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
    const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
    return `::${d.severity} file=${escapeProperty(source.path)},line=${line},col=${col}::${escapeData(d.message)}`;
}

/** Orders diagnostics as a reader meets them: by position, errors before warnings at the same place. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
    return a.range[0] - b.range[0] || (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1);
}

export const hasErrors = (diagnostics: readonly Diagnostic[]) => diagnostics.some((d) => d.severity === "error");
