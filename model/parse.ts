import { Document, parseDocument } from "yaml";
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

    const document = parseDocument(source.text, {
        lineCounter: source.lineCounter,
        prettyErrors: false,
        uniqueKeys: true,
        version: "1.2",
        schema: "core",
    });

    const diagnostics: Diagnostic[] = [];
    for (const e of document.errors) {
        const range: [number, number] = [e.pos[0], e.pos[1]];
        if (e.code === "DUPLICATE_KEY") {
            const key = source.text.slice(range[0], range[1]);
            diagnostics.push(error("duplicate-key", range, `duplicate key '${key}': each key may appear once in a mapping; merge the two entries or rename one`));
        } else {
            diagnostics.push(error("yaml-syntax", range, `YAML syntax: ${firstLine(e.message)}`));
        }
    }
    for (const w of document.warnings) {
        diagnostics.push({ severity: "warning", code: "yaml-warning", range: [w.pos[0], w.pos[1]], message: firstLine(w.message) });
    }
    if (document.errors.length > 0) return { document, diagnostics };

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

export const fileTooLarge = (bytes: number): Diagnostic =>
    error("file-too-large", [0, 0], `the file is ${bytes} bytes; the limit is ${MAX_FILE_BYTES} bytes (a users.yaml for 5,000 people is under 2 MB): check it is the right file`);

const firstLine = (message: string) => message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");

const error = (code: string, range: [number, number], message: string): Diagnostic => ({ severity: "error", code, range, message });
