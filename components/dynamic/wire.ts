/**
 * What a dynamic provider returns travels as a protobuf Struct, which has no `undefined`: one undefined field
 * fails the whole call ("Unexpected struct type"). Drop them before answering.
 */
export function withoutUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The answer to `read` for a resource that no longer exists: an empty id. */
export const GONE = { id: "" };
