import { Document, isMap, isPair, isScalar, Node } from "yaml";

export type Path = readonly (string | number)[];

/**
 * The character range of the value at `path` (or of its key, for "this key is wrong" errors), so that a
 * semantic error such as an unknown group points at the offending text. Falls back to the nearest
 * ancestor that exists, e.g. the user's mapping for a missing required field.
 */
export function locate(document: Document.Parsed, path: Path, target: "value" | "key" = "value"): [number, number] {
    for (let depth = path.length; depth >= 0; depth--) {
        const prefix = path.slice(0, depth);
        if (target === "key" && depth === path.length && depth > 0) {
            const key = keyNode(document, prefix);
            if (key?.range) return [key.range[0], key.range[1]];
            continue;
        }
        const node = prefix.length === 0 ? document.contents : document.getIn(prefix, true);
        if (isNodeWithRange(node)) return [node.range[0], node.range[1]];
    }
    return [0, 0];
}

/** The key node of the last segment of `path` in its parent mapping. */
function keyNode(document: Document.Parsed, path: Path): Node | undefined {
    const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const last = path[path.length - 1];
    const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
    return pair && isScalar(pair.key) ? pair.key : undefined;
}

function isNodeWithRange(node: unknown): node is Node & { range: [number, number, number] } {
    return !!node && typeof node === "object" && Array.isArray((node as Node).range);
}

/** The exact text of a value as written in the file (for "YAML read 0412345678 as a number" messages). */
export function sourceText(document: Document.Parsed, text: string, path: Path): string {
    const node = document.getIn(path, true);
    return isNodeWithRange(node) ? text.slice(node.range[0], node.range[1]) : "";
}
