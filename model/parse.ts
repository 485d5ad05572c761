import { Document, isMap, isScalar, isSeq, parseDocument, Scalar } from "yaml";
import { Diagnostic, SourceFile } from "./diagnostics";

/** Limits for untrusted input, so a hostile users.yaml cannot hang or exhaust CI. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
export const MAX_ALIAS_EXPANSION = 1000;

export interface ParsedYaml {
    /** The document with node ranges, or undefined when the text could not be parsed at all. */
    document?: Document.Parsed;
    /** The plain data, when the document had no syntax errors. */
    data?: unknown;
    diagnostics: Diagnostic[];
}

/**
 * Parses users.yaml as YAML 1.2 (where `yes`, `no` and `NO` are strings, not booleans), reporting syntax
 * errors and duplicate keys with their positions, and refusing files that are too large or expand too far.
 */
export function parseUsersYaml(source: SourceFile): ParsedYaml {
    const bytes = Buffer.byteLength(source.text, "utf8");
    if (bytes > MAX_FILE_BYTES) return { diagnostics: [fileTooLarge(bytes)] };

    // The lines are counted as the text is parsed: afresh, so that checking one SourceFile twice keeps its positions.
    source.lineCounter.lineStarts.length = 0;
    const document = parseDocument(source.text, {
        lineCounter: source.lineCounter,
        prettyErrors: false,
        // The library's own check compares every key with every other (quadratic in a 5,000-user map).
        uniqueKeys: false,
        version: "1.2",
        schema: "core",
    });

    const diagnostics: Diagnostic[] = document.errors.map((e) => error("yaml-syntax", [e.pos[0], e.pos[1]], `YAML syntax: ${firstLine(e.message)}`));
    diagnostics.push(...duplicateKeys(document, source));
    const declared = document.directives?.yaml;
    if (declared?.explicit && declared.version !== "1.2") {
        // YAML 1.1 reads yes/no/NO as booleans; users.yaml is always read as 1.2, so say so rather than guess.
        diagnostics.push(error("yaml-version", [0, Math.max(0, source.text.indexOf("\n"))], `users.yaml is read as YAML 1.2 (where yes, no and NO are text, not booleans); remove the %YAML ${declared.version} directive`));
    }
    for (const w of document.warnings) {
        diagnostics.push({ severity: "warning", code: "yaml-warning", range: [w.pos[0], w.pos[1]], message: firstLine(w.message) });
    }
    if (diagnostics.some((d) => d.severity === "error")) return { document, diagnostics };

    try {
        const data = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
        return { document, data, diagnostics };
    } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const tooManyAliases = /alias/i.test(message);
        diagnostics.push(
            error(
                tooManyAliases ? "alias-expansion" : "yaml-syntax",
                [0, 0],
                tooManyAliases
                    ? `YAML aliases expand to too many nodes (limit ${MAX_ALIAS_EXPANSION}): write the values out instead of nesting aliases`
                    : `YAML: ${firstLine(message)}`,
            ),
        );
        return { document, diagnostics };
    }
}

/** Keys that appear twice in one mapping, at the second occurrence, pointing back to the first. */
function duplicateKeys(document: Document.Parsed, source: SourceFile): Diagnostic[] {
    const found: Diagnostic[] = [];
    // A walk of the collections only: yaml's `visit` builds a path for every node it passes, which cost a
    // 5,000-user file about a twentieth of its validation (issue 12).
    const walk = (node: unknown): void => {
        if (isSeq(node)) {
            for (const item of node.items) walk(item);
            return;
        }
        if (!isMap(node)) return;
        const seen = new Map<unknown, Scalar>();
        for (const pair of node.items) {
            walk(pair.key);
            walk(pair.value);
            if (!isScalar(pair.key) || !pair.key.range) continue;
            const first = seen.get(pair.key.value);
            if (!first) {
                seen.set(pair.key.value, pair.key);
                continue;
            }
            const { line } = source.position(first.range![0]);
            found.push(
                error("duplicate-key", [pair.key.range[0], pair.key.range[1]], `duplicate key '${String(pair.key.value)}' (first on line ${line}): each key may appear once in a mapping; merge the two entries or rename one`),
            );
        }
    };
    walk(document.contents);
    return found;
}

export const fileTooLarge = (bytes: number): Diagnostic =>
    error("file-too-large", [0, 0], `the file is ${bytes} bytes; the limit is ${MAX_FILE_BYTES} bytes (a users.yaml for 5,000 people is under 2 MB): check it is the right file`);

const firstLine = (message: string) => message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");

const error = (code: string, range: [number, number], message: string): Diagnostic => ({ severity: "error", code, range, message });
