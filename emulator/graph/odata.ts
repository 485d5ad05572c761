import { badRequest } from "./errors";

type Entity = Record<string, unknown>;

/** An entity type as OData query options see it: its properties, and those Graph returns when there is no $select. */
export interface EntityType {
    /** as Graph names it in errors, e.g. "Microsoft.DirectoryServices.User" */
    typeName: string;
    properties: readonly string[];
    defaults: readonly string[];
}

/**
 * The properties `$select` asks for (canonical spelling), or the type's defaults without it. Like Graph, only the
 * selected properties come back (id too only when selected), and an unknown name is a 400.
 */
export function selectedProperties(query: URLSearchParams, type: EntityType): string[] {
    const raw = query.get("$select");
    if (raw === null) return [...type.defaults];
    const names: string[] = [];
    for (const name of raw.split(",").map((n) => n.trim()).filter((n) => n !== "")) {
        const known = type.properties.find((p) => p.toLowerCase() === name.toLowerCase());
        if (!known) throw badRequest(`Could not find a property named '${name}' on type '${type.typeName}'.`);
        if (!names.includes(known)) names.push(known);
    }
    return names;
}

export function project(entity: Entity, properties: readonly string[]): Entity {
    return Object.fromEntries(properties.map((p) => [p, entity[p] ?? null]));
}

/** "#users(displayName,id)" style context fragment when $select is used. */
export function contextFragment(set: string, query: URLSearchParams, properties: readonly string[]): string {
    return query.get("$select") === null ? set : `${set}(${properties.join(",")})`;
}

// Directory skip tokens are opaque and start "RFNwdAI"; this one just carries the offset after that prefix.
const SKIP_TOKEN_PREFIX = "RFNwdAI";

export interface PageRequest {
    offset: number;
    size: number;
}

/**
 * Page size and position: `$top` (1..max, default `defaultSize`) and the opaque `$skiptoken` of a nextLink. Graph's
 * paging ("Paging Microsoft Graph data in your app"): follow @odata.nextLink, an absolute URL, until there is none.
 */
export function pageRequest(query: URLSearchParams, defaultSize: number, maxSize: number): PageRequest {
    const top = query.get("$top");
    let size = defaultSize;
    if (top !== null) {
        const n = Number(top);
        if (!/^\d+$/.test(top.trim()) || n < 1 || n > maxSize) throw badRequest(`Invalid page size specified: '${top}'. Must be between 1 and ${maxSize} inclusive.`, "Request_UnsupportedQuery");
        size = n;
    }
    const token = query.get("$skiptoken");
    let offset = 0;
    if (token !== null) {
        const parsed = token.startsWith(SKIP_TOKEN_PREFIX) ? Number(Buffer.from(token.slice(SKIP_TOKEN_PREFIX.length), "base64url").toString("utf8")) : NaN;
        if (!Number.isInteger(parsed) || parsed < 0) throw badRequest("The specified page token value has expired and can no longer be included in your request.", "Directory_ExpiredPageToken");
        offset = parsed;
    }
    return { offset, size };
}

/**
 * One page of `items` and, when more follow, an absolute @odata.nextLink: the request's own URL and query with a
 * new $skiptoken, so the page size and $select carry over.
 */
export function page<T>(items: T[], request: PageRequest, requestUrl: URL): { value: T[]; nextLink?: string } {
    const value = items.slice(request.offset, request.offset + request.size);
    const next = request.offset + request.size;
    if (next >= items.length) return { value };
    // Kept as the caller wrote it (Graph writes `$top=2&$skiptoken=...` unencoded): re-encoding through URLSearchParams
    // would turn `$` into %24 and spaces into +, which clients then encode a second time.
    const kept = requestUrl.search
        .slice(1)
        .split("&")
        .filter((part) => part !== "" && safeDecode(part.split("=")[0]).toLowerCase() !== "$skiptoken");
    kept.push(`$skiptoken=${SKIP_TOKEN_PREFIX}${Buffer.from(String(next)).toString("base64url")}`);
    return { value, nextLink: `${requestUrl.origin}${requestUrl.pathname}?${kept.join("&")}` };
}

/** A string literal of an OData filter: '...' with '' for a quote. */
export const ODATA_STRING = "'((?:[^']|'')*)'";
export const unquote = (literal: string) => literal.replace(/''/g, "'");

function safeDecode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}
