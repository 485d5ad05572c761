import { randomUUID } from "node:crypto";

/** A business error: HTTP 200 with success:false and this Message. */
export class ApiError extends Error {
    constructor(
        message: string,
        readonly exception: string | null = null,
    ) {
        super(message);
    }
}

export interface Envelope {
    success: boolean;
    Result: unknown;
    Message: string | null;
    MessageID: string | null;
    Exception: string | null;
    ErrorID: string | null;
    ErrorCode: string | number | null;
    IsSoftError: boolean;
    InnerExceptions: unknown;
}

export const ok = (result: unknown): Envelope => ({
    success: true,
    Result: result,
    Message: null,
    MessageID: null,
    Exception: null,
    ErrorID: null,
    ErrorCode: null,
    IsSoftError: false,
    InnerExceptions: null,
});

export const failure = (error: ApiError): Envelope => ({
    ...ok(null),
    success: false,
    Message: error.message,
    Exception: error.exception,
    ErrorID: randomUUID(),
});

/**
 * A call made with an expired, revoked or unknown token, as long-running callers see it on HTTP 200 (M): the
 * exact message and ErrorCode type are not published; "Not authenticated" and 401 are what callers test for.
 */
export const notAuthenticated = (): Envelope => ({ ...failure(new ApiError("Not authenticated")), ErrorCode: 401 });

export type Body = Record<string, unknown>;

/**
 * Released SDKs send some parameters lower-case and work: `name` to Roles/GetRoleMembers, `args` to Redrock/query
 * (reference, "Seen in real callers"). For those names only, the lower-case spelling counts as the PascalCase
 * one; every other parameter stays exact.
 */
export function acceptLowerCase(body: Body, names: readonly string[]): Body {
    const copy = { ...body };
    for (const name of names) {
        const lower = name.toLowerCase();
        if ((copy[name] === undefined || copy[name] === null) && lower in copy) {
            copy[name] = copy[lower];
            delete copy[lower];
        }
    }
    return copy;
}

/**
 * Parameter names are PascalCase and exact (H): a wrong-case name is as good as missing, so it earns the platform's
 * "Parameter 'X' must be specified". Unrelated extra properties are ignored.
 */
export function checkParams(body: Body, known: { required?: readonly string[]; optional?: readonly string[] }, where = ""): void {
    const names = [...(known.required ?? []), ...(known.optional ?? [])];
    for (const key of Object.keys(body)) {
        const meant = names.find((n) => n !== key && n.toLowerCase() === key.toLowerCase());
        if (meant && !(meant in body)) throw missing(where + meant);
    }
    for (const name of known.required ?? []) if (body[name] === undefined || body[name] === null) throw missing(where + name);
}

export const missing = (name: string) => new ApiError(`Parameter '${name}' must be specified.`);

export function stringParam(body: Body, name: string): string {
    const value = body[name];
    if (typeof value !== "string" || value === "") throw new ApiError(`Parameter '${name}' must be a non-empty string.`);
    return value;
}

export function stringArrayParam(body: Body, name: string): string[] {
    const value = body[name];
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new ApiError(`Parameter '${name}' must be an array of strings.`);
    return value;
}

export function booleanParam(body: Body, name: string, fallback: boolean): boolean {
    const value = body[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "boolean") throw new ApiError(`Parameter '${name}' must be true or false.`);
    return value;
}

export const isObject = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);

/** What the tenant serves to a browser: the answer to a wrong path or a GET of an API path. */
export function htmlPage(title: string): string {
    return [
        "<!DOCTYPE html>",
        `<html><head><meta charset="utf-8"><title>${title}</title></head>`,
        `<body><div id="app">${title}</div><script src="/vfslow/lib/application/app.js"></script></body></html>`,
    ].join("\n");
}

export const LOGIN_PAGE = htmlPage("Practice Protect - Sign In");
export const PORTAL_PAGE = htmlPage("Practice Protect");
export const SERVER_ERROR_PAGE = htmlPage("500 - Internal server error.");
