import assert from "node:assert/strict";

/**
 * `list.every(holds)`, which an empty list passes whatever `holds` says: this one fails on an empty list, and
 * names the first item that does not hold.
 */
export function assertEvery<T>(list: readonly T[], holds: (item: T) => boolean, what: string): void {
    assert.ok(list.length > 0, `${what}: the list is empty, so nothing was checked`);
    const failing = list.find((item) => !holds(item));
    assert.ok(failing === undefined, `${what}: ${JSON.stringify(failing)}`);
}
