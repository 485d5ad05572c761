import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { directoryServiceQuery, getDirectoryServices } from "./directories";
import { ApiError, failure, isObject, notAuthenticated, ok, PORTAL_PAGE, SERVER_ERROR_PAGE, type Body } from "./envelope";
import { FaultQueue } from "./faults";
import { guarded, listenOnLoopback } from "./listen";
import { TokenIssuer } from "./oauth";
import { redrockQuery } from "./redrock";
import { deleteRole, getRoleMembers, storeRole, updateRole } from "./roles";
import { validateSeed } from "./seed";
import { PortalState } from "./state";
import type { CallRecord, Emulator, EmulatorOptions, Fault } from "./types";
import { inviteUsers, removeUsers } from "./users";

type Endpoint = (state: PortalState, body: Body, query: URLSearchParams) => unknown;

// Keyed by lower-case path: the platform's routing is believed to be case-insensitive (L).
const ENDPOINTS = new Map<string, Endpoint>(
    Object.entries({
        "/Core/GetDirectoryServices": getDirectoryServices,
        "/UserMgmt/DirectoryServiceQuery": directoryServiceQuery,
        "/Redrock/query": redrockQuery,
        "/UserMgmt/InviteUsers": inviteUsers,
        "/UserMgmt/RemoveUsers": removeUsers,
        "/Roles/GetRoleMembers": getRoleMembers,
        "/Roles/UpdateRole": updateRole,
        "/Roles/StoreRole": storeRole,
        "/SaasManage/DeleteRole": deleteRole,
    }).map(([path, endpoint]) => [path.toLowerCase(), endpoint]),
);

/** The endpoints that change the portal. */
const WRITE_PATHS = new Set(["/UserMgmt/InviteUsers", "/UserMgmt/RemoveUsers", "/Roles/UpdateRole", "/Roles/StoreRole", "/SaasManage/DeleteRole"].map((p) => p.toLowerCase()));

// GET as well as POST: CyberArk's SDKs list directory services with GET, Centrify's with POST (M).
const GET_ALLOWED = new Set(["/core/getdirectoryservices"]);

const TOKEN_PATH = /^\/oauth2\/token\/([^/]+)$/i;
const PLATFORM_TOKEN_PATH = /^\/oauth2\/platformtoken$/i;
const JSON_TYPE = "application/json; charset=utf-8";
const HTML_TYPE = "text/html; charset=utf-8";

interface Answer {
    status: number;
    headers?: Record<string, string>;
    /** an object is sent as JSON, a string as HTML unless headers say otherwise */
    body: unknown;
}

/** Starts a Practice Protect (CyberArk Identity) tenant on loopback. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
    const seed = validateSeed(options.seed);
    const state = new PortalState(seed, options.quirks);
    const tokens = new TokenIssuer(seed.oauth, seed.platformServiceUsers);
    const faults = new FaultQueue();
    const calls: CallRecord[] = [];
    const hung = new Set<ServerResponse>();

    function record(req: IncomingMessage, url: URL, body: unknown, status: number, at: number, answer?: unknown) {
        const success = isObject(answer) && typeof answer.success === "boolean" ? answer.success : undefined;
        const call: CallRecord = { method: req.method ?? "", path: url.pathname, query: url.search.slice(1), body, status, ...(success === undefined ? {} : { success }), at };
        calls.push(call);
        options.onCall?.(call);
    }

    function route(req: IncomingMessage, url: URL, raw: string): Answer {
        const header = (name: string) => req.headers[name.toLowerCase()] as string | undefined;
        const token = TOKEN_PATH.exec(url.pathname);
        if (token && req.method === "POST") return tokens.answer(safeDecode(token[1]), header("Content-Type"), header("Authorization"), raw);
        if (PLATFORM_TOKEN_PATH.test(url.pathname) && req.method === "POST") return tokens.platformAnswer(header("Content-Type"), header("Authorization"), raw);

        const path = url.pathname.toLowerCase();
        const endpoint = ENDPOINTS.get(path);
        if (!endpoint || !(req.method === "POST" || (req.method === "GET" && GET_ALLOWED.has(path)))) return { status: 200, body: PORTAL_PAGE };
        // No native-client header is required: CyberArk's SDKs send X-IDAP-NATIVE-CLIENT: true, Centrify's
        // X-CENTRIFY-NATIVE-CLIENT (1/True/Yes), a connector and a logging pipeline neither, and all work (H).

        const bearer = /^Bearer\s+(\S+)$/i.exec(header("Authorization") ?? "");
        // A path outside the token's scope: refused like a missing token, before the body is read. How the platform
        // words this refusal is not published (L); the client's own message for it already points at the scope.
        const validity = bearer ? tokens.check(bearer[1]) : "missing";
        const check = validity === "valid" && !tokens.allows(bearer![1], url.pathname) ? "out-of-scope" : validity;
        if (check !== "valid") {
            if (options.quirks?.unauthenticated === "envelope") return { status: 200, body: notAuthenticated() };
            const why =
                check === "expired"
                    ? "The access token has expired."
                    : check === "missing"
                      ? "Authentication required."
                      : check === "out-of-scope"
                        ? "The access token's scope does not allow this API."
                        : "The access token is not valid.";
            return { status: 401, headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' }, body: failure(new ApiError(why)) };
        }

        let body: unknown = {};
        if (raw.trim() !== "") {
            if (!/^application\/json\b/i.test(header("Content-Type") ?? "")) return { status: 200, body: failure(new ApiError("The request body must be JSON (Content-Type: application/json).")) };
            try {
                body = JSON.parse(raw);
            } catch {
                return { status: 200, body: failure(new ApiError("The request body is not valid JSON.")) };
            }
        }
        if (!isObject(body)) return { status: 200, body: failure(new ApiError("The request body must be a JSON object.")) };
        try {
            return { status: 200, body: ok(endpoint(state, body, url.searchParams)) };
        } catch (e) {
            if (e instanceof ApiError) return { status: 200, body: failure(e) };
            return { status: 500, body: failure(new ApiError("Internal error in the emulator.", e instanceof Error ? (e.stack ?? e.message) : String(e))) };
        }
    }

    function faultAnswer(fault: Exclude<Fault, { kind: "hang" } | { kind: "slow" }>): Answer {
        switch (fault.kind) {
            case "429":
                return {
                    status: 429,
                    headers: { "Content-Type": "text/plain; charset=utf-8", ...(fault.retryAfterSeconds !== undefined ? { "Retry-After": String(fault.retryAfterSeconds) } : {}) },
                    body: "Too Many Requests",
                };
            case "500":
                return { status: 500, body: SERVER_ERROR_PAGE };
            case "html":
                return { status: 200, body: PORTAL_PAGE };
            case "result":
                return { status: 200, body: ok(fault.result) };
        }
    }

    async function handle(req: IncomingMessage, res: ServerResponse) {
        const at = Date.now();
        const url = new URL(req.url ?? "/", "http://emulator");
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const raw = Buffer.concat(chunks).toString("utf8");
        const body = recordedBody(raw, req.headers["content-type"]);

        const fault = faults.take(url.pathname);
        if (fault?.kind === "hang") {
            hung.add(res);
            res.on("close", () => hung.delete(res));
            record(req, url, body, 0, at);
            return;
        }
        let clientGone = false;
        res.on("close", () => (clientGone = !res.writableFinished));
        if (fault?.kind === "slow") await new Promise((resolve) => setTimeout(resolve, fault.ms).unref());
        // A client that gave up on a slow answer has gone: nothing to answer, but the call is still recorded.
        if (clientGone) {
            record(req, url, body, 0, at);
            return;
        }
        const answer = fault && fault.kind !== "slow" ? faultAnswer(fault) : route(req, url, raw);
        const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status, {
            "Content-Type": typeof answer.body === "string" ? HTML_TYPE : JSON_TYPE,
            ...answer.headers,
            "Content-Length": String(Buffer.byteLength(text)),
        });
        res.end(text);
        record(req, url, body, answer.status, at, answer.body);
    }

    const server = createServer(guarded(handle));
    const hostPort = await listenOnLoopback(server, options.port, options.host);

    let closing: Promise<void> | undefined;
    return {
        url: `http://${hostPort}`,
        calls,
        writes: () => calls.filter((c) => WRITE_PATHS.has(c.path.toLowerCase()) && c.success === true),
        state,
        injectFaults: (fault, count, match) => faults.add(fault, count, match),
        clearFaults: () => faults.clear(),
        revokeTokens: () => tokens.revokeAll(),
        close: () =>
            (closing ??= new Promise<void>((resolve) => {
                server.close(() => resolve());
                for (const res of hung) res.destroy();
                server.closeAllConnections();
            })),
    };
}

/** What the call log keeps of a body: form fields, parsed JSON, or the raw text. */
function recordedBody(raw: string, contentType: string | undefined): unknown {
    if (raw === "") return undefined;
    if (/^application\/x-www-form-urlencoded\b/i.test(contentType ?? "")) return Object.fromEntries(new URLSearchParams(raw));
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

function safeDecode(segment: string): string {
    try {
        return decodeURIComponent(segment);
    } catch {
        return segment;
    }
}
