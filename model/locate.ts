import { Document, isMap, isScalar, isSeq, Node, YAMLMap } from "yaml";

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
        const pair = keysOf(node).get(String(segment));
        return pair && { key: pair.key, value: pair.value };
    }
    if (isSeq(node) && typeof segment === "number") return segment < node.items.length ? { value: node.items[segment] } : undefined;
    return undefined;
}

const indexes = new WeakMap<YAMLMap, { size: number; byKey: Map<string, { key: unknown; value: unknown }> }>();

/**
 * A mapping's pairs by key as text (the first of duplicates, as a search from the start finds), built once per
 * mapping (again if pairs were added since): locating something under each of 5,000 users would otherwise
 * search the users map 5,000 times.
 */
function keysOf(map: YAMLMap): Map<string, { key: unknown; value: unknown }> {
    let index = indexes.get(map);
    if (!index || index.size !== map.items.length) {
        const byKey = new Map<string, { key: unknown; value: unknown }>();
        for (const pair of map.items) {
            if (!isScalar(pair.key)) continue;
            const text = String(pair.key.value);
            if (!byKey.has(text)) byKey.set(text, pair);
        }
        indexes.set(map, (index = { size: map.items.length, byKey }));
    }
    return index.byKey;
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
