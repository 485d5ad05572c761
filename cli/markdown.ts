/**
 * Text from users.yaml, the stack settings, the tenant or a command's output, made safe to put into GitHub
 * markdown (a pull-request comment, a job summary): it reads as the same words and nothing else. Whoever edits
 * users.yaml chooses names, job titles, group, role and licence names, keys and file names, so a value must not
 * become a link, an image, HTML (a `<!-- marker -->` the comment workflow looks for), a mention that notifies a
 * team, a heading, a list, a quote, a table column, emphasis or math.
 *
 * How GitHub reads markdown: GitHub Flavored Markdown (CommonMark: "any ASCII punctuation character may be
 * backslash-escaped", entity references such as `&lt;`), plus its own filters on the rendered text: @mentions,
 * and autolinks of bare `https://` and `www.` addresses, which a backslash cannot stop, so those get a zero-width
 * space (as `&#8203;`, which the reader does not see) where it breaks the match.
 */

/** Characters with a meaning anywhere in a line: code, emphasis, strike-through, links, tables, math, escapes. */
const INLINE = /[\\`*_~[\]|$]/g;
/** What HTML and entity references start with (a `>` alone means something only where it opens a line). */
const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;" };
/** C0 and C1 controls, bidirectional overrides and isolates, zero-width characters: shown as U+FFFD. */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** What starts a block when it opens a line, a quote or a list item: a heading, a quote, a list item, a setext underline. */
const BLOCK_START = /^([#>+\-=])|^(\d+)([.)])/;

/** One line of markdown text showing `value` literally; line breaks become spaces. For a table cell or mid-line. */
export function markdownText(value: string): string {
    return value
        .replace(/\r\n|[\n\r\u2028\u2029]/g, " ")
        .replace(INVISIBLE, "\ufffd")
        .replace(/\t/g, " ")
        .trimStart()
        .replace(INLINE, "\\$&")
        .replace(/[&<]/g, (c) => HTML[c])
        .replace(/(?<![A-Za-z0-9_])@/g, "@&#8203;")
        .replace(/:\/\//g, ":&#8203;//")
        .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}&#8203;.`);
}

/** markdownText for text that opens a line, a quote (`> `) or a list item (`- `): it cannot start a block either. */
export function markdownLine(value: string): string {
    return markdownText(value).replace(BLOCK_START, (_, marker: string | undefined, digits: string, dot: string) => (marker ? `\\${marker}` : `${digits}\\${dot}`));
}

/**
 * `text` as a fenced code block: the fence is one backtick longer than the longest run of backticks inside, so
 * nothing in the text can close it (CommonMark: a closing fence is at least as long as the opening one).
 */
export function codeFence(text: string, info = "text"): string {
    const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longest + 1);
    return `${fence}${info}\n${text.replace(/\n+$/, "")}\n${fence}`;
}
