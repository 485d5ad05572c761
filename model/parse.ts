import { Document, isAlias, isCollection, isMap, isScalar, isSeq, Node, parseDocument, Scalar } from "yaml";
import { Diagnostic, SourceFile } from "./diagnostics";
import { describeCharacter, hiddenCharactersIn, hiddenCharactersOf, visible } from "./hiddenCharacters";

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
    diagnostics.push(...walkDocument(document, source));
    const declared = document.directives?.yaml;
    if (declared?.explicit && declared.version !== "1.2") {
        // YAML 1.1 reads yes/no/NO as booleans; users.yaml is always read as 1.2, so say so rather than guess.
        diagnostics.push(error("yaml-version", [0, Math.max(0, source.text.indexOf("\n"))], `users.yaml is read as YAML 1.2 (where yes, no and NO are text, not booleans); remove the %YAML ${declared.version} directive`));
    }
    for (const w of document.warnings) {
        diagnostics.push({ severity: "warning", code: "yaml-warning", range: [w.pos[0], w.pos[1]], message: firstLine(w.message) });
    }
    // A hidden character leaves the data well defined: check on, so that every problem is reported at once.
    if (diagnostics.some((d) => d.severity === "error" && d.code !== "hidden-character")) return { document, diagnostics };

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

/**
 * One walk of the document's collections (yaml's `visit` builds a path for every node it passes, which cost a
 * 5,000-user file about a twentieth of its validation, issue 12) that:
 * - reports keys that appear twice in one mapping, at the second, pointing back to the first. Keys compare as the
 *   program reads them: `toJS` makes every key text, so `1001:` and `"1001":`, `true:` and `"true":`, `1e3:` and
 *   `"1000":`, or an alias and its anchor are one key, and the later value would silently win;
 * - refuses keys that are collections (the program would read them as their YAML text);
 * - refuses hidden characters (hiddenCharacters.ts) in the file's text and in every key and value, naming the field;
 * - puts every key and text value in Unicode normal form C, so that the program reads, compares and sends what a
 *   person sees: "Café" typed with a combining accent and with a precomposed é are one name.
 */
function walkDocument(document: Document.Parsed, source: SourceFile): Diagnostic[] {
    const found: Diagnostic[] = [];
    const hiddenInText = hiddenCharactersIn(source.text);
    let unreported = hiddenInText.length;
    const path: (string | number)[] = [];
    const where = (isKey: boolean) => {
        const shown = path.map((segment) => (typeof segment === "string" ? visible(segment) : segment)).join(".");
        return path.length === 0 ? "the document" : isKey ? `the key ${shown}` : shown;
    };

    /** Reports the hidden characters of one string scalar (a key or a value); returns it in NFC. */
    const checkText = (node: Scalar, value: string, isKey: boolean): string => {
        if (!UNUSUAL.test(value)) return value;
        const [start, end] = node.range ?? [0, 0];
        const raw = source.text.slice(start, end);
        // A line break is the point of a description written as a block; nowhere else.
        const allowed = !isKey && path[path.length - 1] === "description" ? "\n" : "";
        const seen = new Set<string>();
        for (const char of hiddenCharactersOf(value)) {
            if (char === allowed || seen.has(char)) continue;
            seen.add(char);
            const at = raw.indexOf(char);
            if (at >= 0) {
                // Written as it is: reported here, with the field, instead of by the text scan below.
                for (const hit of hiddenInText) if (hit.char === char && hit.offset >= start && hit.offset < end && !hit.reported) ((hit.reported = true), unreported--);
                found.push(hiddenCharacter([start + at, start + at + char.length], `${where(isKey)} has ${describeCharacter(char)}`));
            } else {
                found.push(hiddenCharacter([start, end], `${where(isKey)} has ${describeCharacter(char)} (written as an escape)`));
            }
        }
        return NOT_ASCII.test(value) ? value.normalize("NFC") : value;
    };

    const walk = (node: unknown): void => {
        if (isSeq(node)) {
            for (let i = 0; i < node.items.length; i++) {
                path.push(i);
                walk(node.items[i]);
                path.pop();
            }
            return;
        }
        if (isScalar(node)) {
            if (typeof node.value === "string") node.value = checkText(node, node.value, false);
            return;
        }
        if (!isMap(node)) return;
        const seen = new Map<string, Node>();
        for (const pair of node.items) {
            const keyNode = isAlias(pair.key) ? pair.key.resolve(document) : pair.key;
            const range = (pair.key as Node | null)?.range;
            if (isCollection(keyNode) && range) {
                found.push(error("collection-key", [range[0], range[1]], `a key under ${where(false)} is a ${isMap(keyNode) ? "mapping" : "list"}; keys in users.yaml are names: write the name as text`));
            }
            const scalarKey = isScalar(keyNode) ? keyNode : undefined;
            path.push(scalarKey ? keyText(scalarKey.value) : "?");
            if (isScalar(pair.key) && typeof pair.key.value === "string") pair.key.value = checkText(pair.key, pair.key.value, true);
            // As the program will read it: in NFC, now that checkText has put it so (an alias's anchor came earlier).
            const text = scalarKey ? keyText(scalarKey.value) : undefined;
            walk(pair.value);
            path.pop();
            if (text === undefined || !range) continue;
            const first = seen.get(text);
            if (!first) {
                seen.set(text, pair.key as Node);
                continue;
            }
            const { line } = source.position(first.range![0]);
            const written = (n: Node) => visible(source.text.slice(n.range![0], n.range![1]));
            const [there, here] = [written(first), written(pair.key as Node)];
            const unlike =
                there === here
                    ? ""
                    : there.normalize("NFC") === here.normalize("NFC")
                      ? ", the same text once its accents are composed (Unicode NFC), as the program reads it: the later value would silently win"
                      : `, written ${there} there and ${here} here: both are read as the key '${visible(text)}', and the later value would silently win`;
            found.push(
                error("duplicate-key", [range[0], range[1]], `duplicate key '${visible(text)}' (first on line ${line}${unlike}): each key may appear once in a mapping; merge the two entries or rename one`),
            );
        }
    };
    walk(document.contents);
    if (unreported > 0) {
        for (const hit of hiddenInText) {
            if (!hit.reported) found.push(hiddenCharacter([hit.offset, hit.offset + hit.char.length], `this line has ${describeCharacter(hit.char)} outside any value (in a comment or between entries)`));
        }
    }
    return found;
}

/** A key as the program sees it once `toJS` has made it text (yaml's stringifyKey: null is ''). */
const keyText = (value: unknown): string => (typeof value === "string" ? value : value === null || value === undefined ? "" : String(value));

const NOT_ASCII = /[^\0-\x7F]/;
/** Anything but printable ASCII: one test, and most values are done. */
const UNUSUAL = /[^\x20-\x7E]/;

const hiddenCharacter = (range: [number, number], what: string): Diagnostic =>
    error(
        "hidden-character",
        range,
        `${what}, which a person reading the file cannot see but the program reads (it can hide text or reorder how a line is shown); delete it, retyping the value if you cannot find it`,
    );

export const fileTooLarge = (bytes: number): Diagnostic =>
    error("file-too-large", [0, 0], `the file is ${bytes} bytes; the limit is ${MAX_FILE_BYTES} bytes (a users.yaml for 5,000 people is under 2 MB): check it is the right file`);

const firstLine = (message: string) => message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");

const error = (code: string, range: [number, number], message: string): Diagnostic => ({ severity: "error", code, range, message });
