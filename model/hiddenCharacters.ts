/**
 * Characters that make users.yaml read differently to people and to the program: control characters, format
 * characters (bidirectional overrides and isolates, zero-width spaces and joiners, the soft hyphen, ...), the
 * line and paragraph separators, every other Default_Ignorable_Code_Point (which Unicode says renderers show as
 * nothing), and halves of surrogate pairs. No name, address or description needs one, and each can hide or
 * reorder what a reviewer sees (the "Trojan Source" bidirectional attack, CVE-2021-42574).
 */
export const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/**
 * A fast first pass, without Unicode property look-ups: every BMP code unit in HIDDEN, and every surrogate
 * (an astral character, or half of one), which HIDDEN then decides. A test keeps it equal to HIDDEN on the BMP.
 * Tab, line feed and carriage return are left out: they are YAML's own layout, checked in values only.
 */
const CANDIDATES_IN_TEXT =
    /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\xAD\u034F\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2028-\u202E\u2060-\u206F\u3164\uD800-\uDFFF\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB]/g;

/** The same for a value, where a tab or a line break is as hidden as the rest. */
const CANDIDATES_IN_VALUE = new RegExp(`[\\t\\n\\r${CANDIDATES_IN_TEXT.source.slice(1)}`);

/** Each hidden character in `text` (tab, line feed and carriage return aside), by offset. */
export function hiddenCharactersIn(text: string): { offset: number; char: string; reported?: boolean }[] {
    const found: { offset: number; char: string; reported?: boolean }[] = [];
    CANDIDATES_IN_TEXT.lastIndex = 0;
    for (let m = CANDIDATES_IN_TEXT.exec(text); m; m = CANDIDATES_IN_TEXT.exec(text)) {
        const char = String.fromCodePoint(text.codePointAt(m.index)!);
        // A byte order mark that starts the file is YAML's, not part of any value.
        if (HIDDEN.test(char) && !(m.index === 0 && char === "\uFEFF")) found.push({ offset: m.index, char });
        if (char.length === 2) CANDIDATES_IN_TEXT.lastIndex++;
    }
    return found;
}

/** The hidden characters of one value, in order. */
export function hiddenCharactersOf(value: string): string[] {
    if (!CANDIDATES_IN_VALUE.test(value)) return [];
    return [...value].filter((char) => HIDDEN.test(char));
}

const HIDDEN_ALL = new RegExp(HIDDEN.source, "gu");

/** Text for a message, with each hidden character shown as <U+XXXX>, so that it cannot reorder or hide the message. */
export const visible = (text: string): string =>
    !/[^\x20-\x7E]/.test(text) ? text : text.replace(HIDDEN_ALL, (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}>`);

/** "U+202E RIGHT-TO-LEFT OVERRIDE": the code point and its Unicode name (or, for a control, its alias or label). */
export function describeCharacter(char: string): string {
    const code = char.codePointAt(0)!;
    const hex = code.toString(16).toUpperCase().padStart(4, "0");
    return `U+${hex} ${nameOf(code, hex)}`;
}

function nameOf(code: number, hex: string): string {
    const named = NAMES.get(code);
    if (named) return named;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `<control-${hex}>`;
    if (code >= 0xfe00 && code <= 0xfe0f) return `VARIATION SELECTOR-${code - 0xfe00 + 1}`;
    if (code >= 0xe0100 && code <= 0xe01ef) return `VARIATION SELECTOR-${code - 0xe0100 + 17}`;
    if (code >= 0xe0000 && code <= 0xe0fff) return "(a TAG character)";
    if (code >= 0xd800 && code <= 0xdfff) return "(half of a surrogate pair: not a character on its own)";
    return "(an invisible format character)";
}

/**
 * Names from Unicode 17's UnicodeData.txt (format characters, separators and other default-ignorables of the
 * BMP) and, for controls, which have no name, the control alias from NameAliases.txt (the rest are shown by
 * Unicode's code point label, <control-XXXX>).
 */
const NAMES = new Map<number, string>([
    [0x0000, "NULL"], [0x0008, "BACKSPACE"], [0x0009, "CHARACTER TABULATION"], [0x000a, "LINE FEED"],
    [0x000b, "LINE TABULATION"], [0x000c, "FORM FEED"], [0x000d, "CARRIAGE RETURN"], [0x001b, "ESCAPE"],
    [0x007f, "DELETE"], [0x0085, "NEXT LINE"],
    [0x00ad, "SOFT HYPHEN"], [0x034f, "COMBINING GRAPHEME JOINER"], [0x0600, "ARABIC NUMBER SIGN"],
    [0x0601, "ARABIC SIGN SANAH"], [0x0602, "ARABIC FOOTNOTE MARKER"], [0x0603, "ARABIC SIGN SAFHA"],
    [0x0604, "ARABIC SIGN SAMVAT"], [0x0605, "ARABIC NUMBER MARK ABOVE"], [0x061c, "ARABIC LETTER MARK"],
    [0x06dd, "ARABIC END OF AYAH"], [0x070f, "SYRIAC ABBREVIATION MARK"], [0x0890, "ARABIC POUND MARK ABOVE"],
    [0x0891, "ARABIC PIASTRE MARK ABOVE"], [0x08e2, "ARABIC DISPUTED END OF AYAH"],
    [0x115f, "HANGUL CHOSEONG FILLER"], [0x1160, "HANGUL JUNGSEONG FILLER"], [0x17b4, "KHMER VOWEL INHERENT AQ"],
    [0x17b5, "KHMER VOWEL INHERENT AA"], [0x180e, "MONGOLIAN VOWEL SEPARATOR"], [0x200b, "ZERO WIDTH SPACE"],
    [0x200c, "ZERO WIDTH NON-JOINER"], [0x200d, "ZERO WIDTH JOINER"], [0x200e, "LEFT-TO-RIGHT MARK"],
    [0x200f, "RIGHT-TO-LEFT MARK"], [0x2028, "LINE SEPARATOR"], [0x2029, "PARAGRAPH SEPARATOR"],
    [0x202a, "LEFT-TO-RIGHT EMBEDDING"], [0x202b, "RIGHT-TO-LEFT EMBEDDING"], [0x202c, "POP DIRECTIONAL FORMATTING"],
    [0x202d, "LEFT-TO-RIGHT OVERRIDE"], [0x202e, "RIGHT-TO-LEFT OVERRIDE"], [0x2060, "WORD JOINER"],
    [0x2061, "FUNCTION APPLICATION"], [0x2062, "INVISIBLE TIMES"], [0x2063, "INVISIBLE SEPARATOR"],
    [0x2064, "INVISIBLE PLUS"], [0x2066, "LEFT-TO-RIGHT ISOLATE"], [0x2067, "RIGHT-TO-LEFT ISOLATE"],
    [0x2068, "FIRST STRONG ISOLATE"], [0x2069, "POP DIRECTIONAL ISOLATE"], [0x206a, "INHIBIT SYMMETRIC SWAPPING"],
    [0x206b, "ACTIVATE SYMMETRIC SWAPPING"], [0x206c, "INHIBIT ARABIC FORM SHAPING"],
    [0x206d, "ACTIVATE ARABIC FORM SHAPING"], [0x206e, "NATIONAL DIGIT SHAPES"], [0x206f, "NOMINAL DIGIT SHAPES"],
    [0x3164, "HANGUL FILLER"], [0xfeff, "ZERO WIDTH NO-BREAK SPACE"], [0xffa0, "HALFWIDTH HANGUL FILLER"],
    [0xfff9, "INTERLINEAR ANNOTATION ANCHOR"], [0xfffa, "INTERLINEAR ANNOTATION SEPARATOR"],
    [0xfffb, "INTERLINEAR ANNOTATION TERMINATOR"],
]);
