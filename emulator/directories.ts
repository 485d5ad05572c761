import { ApiError, checkParams, isObject, stringArrayParam, type Body } from "./envelope";
import { queryResult, readArgs } from "./paging";
import type { PortalState } from "./state";
import type { DirectoryUser } from "./types";

/**
 * /Core/GetDirectoryServices: every directory source (H shape). CyberArk's SDKs call it with GET, Centrify's with
 * POST (both accepted by the router); rows carry Status "Active" and StatusDisplay "Online" (M).
 */
export function getDirectoryServices(state: PortalState, body: Body) {
    checkParams(body, { optional: ["Args"] });
    const rows = state.directories.map((d) => ({ Service: d.service, Name: d.name, DisplayName: d.displayName, DisplayNameShort: d.displayName, directoryServiceUuid: d.uuid, Status: "Active", StatusDisplay: "Online" }));
    return queryResult(["Service", "Name", "DisplayName", "DisplayNameShort", "directoryServiceUuid", "Status", "StatusDisplay"], rows, readArgs(body), state.quirks.limit);
}

/**
 * The `user` filter: {"_and": [cond, ...]}, {"_or": [...]}, or {Field: {"_like": "pattern"}} / {Field: "value"}
 * (several fields in one object are and-ed). Field names are exact.
 */
type Filter = { all: Filter[] } | { any: Filter[] } | { field: Field; like?: { pattern: string; ignoreCase: boolean }; equals?: string };

const FIELDS = {
    SystemName: (u: DirectoryUser) => u.userName,
    DisplayName: (u: DirectoryUser) => u.displayName,
    EMail: (u: DirectoryUser) => u.email ?? "",
    InternalName: (u: DirectoryUser) => u.uuid,
    ObjectType: () => "User",
    DirectoryServiceUuid: (u: DirectoryUser) => u.directoryUuid,
};
type Field = keyof typeof FIELDS;

function parseFilter(node: unknown): Filter {
    if (!isObject(node)) throw invalidFilter(`expected an object, got ${JSON.stringify(node)}`);
    const parts: Filter[] = Object.entries(node).map(([key, value]): Filter => {
        if (key === "_and" || key === "_or") {
            if (!Array.isArray(value) || value.length === 0) throw invalidFilter(`${key} takes a non-empty array`);
            const items = value.map(parseFilter);
            return key === "_and" ? { all: items } : { any: items };
        }
        if (!(key in FIELDS)) throw invalidFilter(`unknown field '${key}' (known: ${Object.keys(FIELDS).join(", ")})`);
        const field = key as Field;
        if (typeof value === "string") return { field, equals: value };
        if (isObject(value) && Object.keys(value).length === 1) {
            const like = value._like;
            if (typeof like === "string") return { field, like: { pattern: like, ignoreCase: true } };
            // The object form CyberArk's SDKs send: {"_like": {"value": "...", "ignoreCase": true}}
            // (ark-sdk-python models/common/identity/ark_identity_directory_schemas.py, ark-sdk-golang likewise).
            if (isObject(like) && typeof like.value === "string" && Object.keys(like).every((k) => k === "value" || k === "ignoreCase")) {
                const ignoreCase = like.ignoreCase ?? true;
                if (typeof ignoreCase !== "boolean" && ignoreCase !== "true" && ignoreCase !== "false") throw invalidFilter(`'ignoreCase' takes true or false`);
                return { field, like: { pattern: like.value, ignoreCase: ignoreCase === true || ignoreCase === "true" } };
            }
        }
        throw invalidFilter(`field '${key}' takes a string, {"_like": "pattern"} or {"_like": {"value": "pattern", "ignoreCase": true}}`);
    });
    if (parts.length === 0) throw invalidFilter("empty filter");
    return parts.length === 1 ? parts[0] : { all: parts };
}

const invalidFilter = (why: string) => new ApiError(`Invalid query filter: ${why}.`);

/**
 * `_like` is a pattern match, not equality (H): % and * match any run of characters, case is ignored, and the pattern
 * may match anywhere in the value, so "raj.patel@firm" also finds "niraj.patel@firm". Clients must compare exactly.
 */
export function likePattern(pattern: string, ignoreCase = true): RegExp {
    const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/[%*]/g, ".*");
    return new RegExp(escaped, ignoreCase ? "i" : "");
}

function matches(filter: Filter, user: DirectoryUser): boolean {
    if ("all" in filter) return filter.all.every((f) => matches(f, user));
    if ("any" in filter) return filter.any.some((f) => matches(f, user));
    const value = FIELDS[filter.field](user);
    return filter.like !== undefined ? likePattern(filter.like.pattern, filter.like.ignoreCase).test(value) : value.toLowerCase() === filter.equals!.toLowerCase();
}

const USER_COLUMNS = ["DisplayName", "ObjectType", "DirectoryServiceUuid", "SystemName", "InternalName", "EMail", "Status", "Enabled"];

/** POST /UserMgmt/DirectoryServiceQuery: search directory sources for users (H). */
export function directoryServiceQuery(state: PortalState, body: Body) {
    checkParams(body, { required: ["user"], optional: ["directoryServices", "Args", "group", "roles"] });
    const args = readArgs(body);
    // The platform takes the filter as a JSON string; the object form does not work (H). Reject it rather than guess.
    if (typeof body.user !== "string") throw new ApiError(`Parameter 'user' must be a JSON string (the filter object serialised), got ${Array.isArray(body.user) ? "array" : typeof body.user}.`);
    let json: unknown;
    try {
        json = JSON.parse(body.user);
    } catch {
        throw invalidFilter("'user' is not valid JSON");
    }
    const filter = parseFilter(json);

    let directories = state.directories.map((d) => d.uuid);
    if (body.directoryServices !== undefined && body.directoryServices !== null) {
        directories = stringArrayParam(body, "directoryServices");
        // An unknown uuid could be silently empty on the platform (L): failing loudly keeps a client's typo visible.
        const unknown = directories.filter((uuid) => !state.directories.some((d) => d.uuid === uuid));
        if (unknown.length > 0) throw new ApiError(`Directory service not found: ${unknown.join(", ")}.`);
    }

    const found: DirectoryUser[] = [];
    for (const user of state.directoryUsers.values()) {
        if (!directories.includes(user.directoryUuid) || !matches(filter, user)) continue;
        // A user just created at the source is not visible yet: each query that would find it uses up one.
        if (user.hiddenForQueries > 0) {
            user.hiddenForQueries--;
            continue;
        }
        found.push(user);
    }
    const rows = found.map((u) => ({
        DisplayName: u.displayName,
        // "User" in the samples callers log (M); the filter's {"ObjectType": "user"} matches it ignoring case.
        ObjectType: "User",
        DirectoryServiceUuid: u.directoryUuid,
        SystemName: u.userName,
        InternalName: u.uuid,
        EMail: u.email ?? null,
        Status: u.status,
        Enabled: u.enabled,
    }));
    // Rows carry the user's uuid in Entities[0].Key as well as InternalName (M): some callers read one, some the other.
    return { User: queryResult(USER_COLUMNS, rows, args, state.quirks.limit, (row) => [{ Type: "User", Key: String(row.InternalName), IsForeignKey: false }]) };
}
