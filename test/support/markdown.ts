import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Just enough Markdown for checking the docs: fenced code blocks, headings with GitHub's anchors, links, and
 * the commands of shell blocks split into words. Not a renderer: what GitHub would show is not the point, only
 * what a reader can follow (a link, an anchor, a command).
 */

export const ROOT = join(__dirname, "..", "..");

/** README.md and every page under docs/, as paths relative to the repository. */
export function docPages(): string[] {
    const docs = existsSync(join(ROOT, "docs")) ? readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`) : [];
    return ["README.md", ...docs];
}

export interface CodeBlock {
    page: string;
    /** The info string after the opening fence: "sh", "yaml", "text". */
    lang: string;
    /** 1-based line of the opening fence. */
    line: number;
    lines: string[];
}

export interface PageText {
    page: string;
    blocks: CodeBlock[];
    /** The page's lines outside fenced code blocks (blank where a block was), so line numbers still hold. */
    prose: string[];
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/;

export function readPage(page: string): PageText {
    const all = readFileSync(join(ROOT, page), "utf8").split("\n");
    const blocks: CodeBlock[] = [];
    const prose: string[] = [];
    let open: { fence: string; block: CodeBlock } | undefined;
    all.forEach((text, i) => {
        const fence = FENCE.exec(text);
        if (open) {
            prose.push("");
            if (fence && fence[2].startsWith(open.fence) && text.trim() === fence[2]) open = undefined;
            else open.block.lines.push(text.slice(Math.min(text.length - text.trimStart().length, indentOf(all, open.block.line))));
            return;
        }
        if (fence) {
            const block: CodeBlock = { page, lang: fence[3], line: i + 1, lines: [] };
            blocks.push(block);
            open = { fence: fence[2], block };
            prose.push("");
            return;
        }
        prose.push(text);
    });
    if (open) throw new Error(`${page}:${open.block.line}: a code block is never closed`);
    return { page, blocks, prose };
}

const indentOf = (lines: string[], fenceLine: number) => lines[fenceLine - 1].length - lines[fenceLine - 1].trimStart().length;

/**
 * GitHub's anchor for a heading: the text as shown (inline code, emphasis and links reduced to their text;
 * headings here hold no HTML),
 * lower-cased, punctuation dropped (letters, digits, marks, `-`, `_` and spaces stay), spaces turned into `-`.
 * A repeated anchor gets `-1`, `-2`, ... in order.
 */
export function slug(heading: string): string {
    const shown = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*~]/g, "");
    return shown
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
        .replace(/ /g, "-");
}

/** Every anchor a page offers: its headings' slugs, with GitHub's numbering of repeats. */
export function anchorsOf(page: PageText): Set<string> {
    const seen = new Map<string, number>();
    const anchors = new Set<string>();
    for (const line of page.prose) {
        const m = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
        if (!m) continue;
        const base = slug(m[2]);
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    return anchors;
}

export interface Link {
    page: string;
    line: number;
    target: string;
}

/** Inline links and images, and reference definitions, outside code blocks and inline code. */
export function linksOf(page: PageText): Link[] {
    const links: Link[] = [];
    page.prose.forEach((text, i) => {
        const line = text.replace(/`[^`]*`/g, (code) => " ".repeat(code.length));
        for (const m of line.matchAll(/!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ page: page.page, line: i + 1, target: m[1] });
        const ref = /^ {0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s|$)/.exec(line);
        if (ref) links.push({ page: page.page, line: i + 1, target: ref[1] });
    });
    return links;
}

/** One command of a shell block: its words (quotes removed), where it is, and the line as written. */
export interface ShellCommand {
    page: string;
    line: number;
    text: string;
    words: string[];
}

/**
 * The commands of a shell code block: `\` continuations joined, comments dropped, lines split at `&&`, `||`,
 * `;`, `|` and a trailing `&`, and each command into words as the shell would (quotes removed, `$(...)` kept
 * whole as one word, and its own commands listed after it). Leading `NAME=value` assignments are dropped: they
 * configure the command, they are not it.
 */
export function commandsOf(block: CodeBlock): ShellCommand[] {
    const commands: ShellCommand[] = [];
    let pending = "";
    let pendingLine = 0;
    block.lines.forEach((raw, i) => {
        if (!pending) pendingLine = block.line + 1 + i;
        if (/\\$/.test(raw)) {
            pending += `${raw.slice(0, -1)} `;
            return;
        }
        const whole = pending + raw;
        pending = "";
        for (const part of splitCommands(whole)) {
            const words = part.words;
            while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]) && words.length > 1) words.shift();
            if (words.length) commands.push({ page: block.page, line: pendingLine, text: part.text.trim(), words });
            // A command substitution is a command too: `$(node -e ...)` is checked like any other.
            for (const w of words) {
                for (let at = w.indexOf("$("); at >= 0; at = w.indexOf("$(", at + 2)) {
                    const inner = w.slice(at + 2, closingParen(w, at));
                    for (const sub of splitCommands(inner)) commands.push({ page: block.page, line: pendingLine, text: sub.text.trim(), words: sub.words });
                }
            }
        }
    });
    return commands;
}

function splitCommands(line: string): { text: string; words: string[] }[] {
    const out: { text: string; words: string[] }[] = [];
    let words: string[] = [];
    let word: string | undefined;
    let start = 0;
    const endWord = () => {
        if (word !== undefined) words.push(word);
        word = undefined;
    };
    const endCommand = (at: number) => {
        endWord();
        if (words.length) out.push({ text: line.slice(start, at), words });
        words = [];
    };
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === "'") {
            const close = line.indexOf("'", i + 1);
            if (close < 0) throw new Error(`unclosed ' in: ${line}`);
            word = (word ?? "") + line.slice(i + 1, close);
            i = close;
        } else if (c === '"') {
            let j = i + 1;
            let text = "";
            for (; j < line.length && line[j] !== '"'; j++) {
                if (line[j] === "\\" && j + 1 < line.length) text += line[++j];
                else if (line.startsWith("$(", j)) {
                    const close = closingParen(line, j);
                    text += line.slice(j, close + 1);
                    j = close;
                } else text += line[j];
            }
            if (j >= line.length) throw new Error(`unclosed " in: ${line}`);
            word = (word ?? "") + text;
            i = j;
        } else if (line.startsWith("$(", i)) {
            const close = closingParen(line, i);
            word = (word ?? "") + line.slice(i, close + 1);
            i = close;
        } else if (c === "#" && word === undefined) {
            endCommand(i);
            return out;
        } else if (/\s/.test(c)) {
            endWord();
        } else if (line.startsWith("&&", i) || line.startsWith("||", i)) {
            endCommand(i);
            start = i + 2;
            i++;
        } else if (c === ";" || c === "|" || c === "&") {
            endCommand(i);
            start = i + 1;
        } else {
            word = (word ?? "") + c;
        }
    }
    endCommand(line.length);
    return out;
}

/** The index of the `)` that closes the `$(` at `start`, skipping quoted text inside. */
function closingParen(line: string, start: number): number {
    let depth = 0;
    for (let j = start + 1; j < line.length; j++) {
        const c = line[j];
        if (c === "'" || c === '"') {
            const close = line.indexOf(c, j + 1);
            if (close < 0) break;
            j = close;
        } else if (c === "(") depth++;
        else if (c === ")" && --depth === 0) return j;
    }
    throw new Error(`unclosed $( in: ${line}`);
}
