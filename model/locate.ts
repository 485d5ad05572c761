import { Document, isMap, isScalar, isSeq, Node } from "yaml";

export type Path = readonly (string | number)[];

/**
 * The character range of the value at `path` (or of its key, for "this key is wrong" errors), so that a
 * semantic error such as an unknown group points at the offending text. Falls back to the nearest
 * ancestor that exists, e.g. the user's mapping for a missing required field.
 */
export function locate(document: Document.Parsed, path: Path, target: "value" | "key" = "value"): [number, number] {
    // Walk down as far as the path exists: a missing field is reported at its owner.
    let node: unknown = document.contents;
    let key: unknown;
    let depth = 0;
    for (const segment of path) {
        const step = child(node, segment);
        if (!step) break;
        [key, node] = [step.key, step.value];
        depth++;
    }
    const found = depth === path.length;
    if (found && target === "key" && isNodeWithRange(key)) return [key.range[0], key.range[1]];
    if (isNodeWithRange(node)) return [node.range[0], node.range[1]];
    return isNodeWithRange(key) ? [key.range[0], key.range[1]] : [0, 0];
}

/**
 * One step down a path. Mapping keys compare as text: the path says "12345" for a user key that YAML reads
 * as the number 12345.
 */
function child(node: unknown, segment: string | number): { key?: unknown; value: unknown } | undefined {
    if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        return pair && { key: pair.key, value: pair.value };
    }
    if (isSeq(node) && typeof segment === "number") return segment < node.items.length ? { value: node.items[segment] } : undefined;
    return undefined;
}

function isNodeWithRange(node: unknown): node is Node & { range: [number, number, number] } {
    return !!node && typeof node === "object" && Array.isArray((node as Node).range);
}

/** The exact text of a value as written in the file (for "YAML read 0412345678 as a number" messages). */
export function sourceText(document: Document.Parsed, text: string, path: Path): string {
    let node: unknown = document.contents;
    for (const segment of path) node = child(node, segment)?.value;
    return isNodeWithRange(node) ? text.slice(node.range[0], node.range[1]) : "";
}
