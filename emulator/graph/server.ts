import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import { guarded, listenOnLoopback } from "../listen";
import { DIRECTORY_ENDPOINTS } from "./directory";
import type { Endpoint } from "./endpoint";
import { errorBody, GraphError, newRequestId, resourceNotFound } from "./errors";
import { GraphFaults } from "./faults";
import { GROUP_MEMBER_ENDPOINTS } from "./groupMembers";
import { KEY_VAULT_PATH, keyVaultAnswer } from "./keyVault";
import { ROLE_ASSIGNMENT_ENDPOINTS } from "./roleAssignments";
import { validateGraphSeed } from "./seed";
import { SKU_ENDPOINTS } from "./skus";
import { GraphState } from "./state";
import { selfSignedIdentity } from "./tls";
import { requireOneOf, TokenService } from "./tokens";
import { trustEmulator, untrustEmulator } from "./transport";
import type { CallRecord, Fault, GraphSeed } from "./types";
import { USER_ENDPOINTS } from "./users";

const ENDPOINTS: Endpoint[] = [...USER_ENDPOINTS, ...SKU_ENDPOINTS, ...ROLE_ASSIGNMENT_ENDPOINTS, ...DIRECTORY_ENDPOINTS, ...GROUP_MEMBER_ENDPOINTS].map((e) => ({
    ...e,
    // Graph's paths are case-insensitive (/Users/x works as /users/x).
    path: new RegExp(e.path.source, "i"),
}));

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i;
const OPENID_CONFIGURATION_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i;
const GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export interface GraphEmulatorOptions {
    seed: GraphSeed;
    /** 0 (default) = a free port */
    port?: number;
    /** default 127.0.0.1 */
    host?: string;
    /** called after each call is recorded (the CLI logs with it) */
    onCall?: (call: CallRecord) => void;
}

export interface GraphEmulator {
    /** root, e.g. https://127.0.0.1:PORT: the authority for tokens (POST {url}/{tenantId}/oauth2/v2.0/token) */
    url: string;
    /** url + "/v1.0" */
    graphUrl: string;
    tenantId: string;
    /** PEM of this run's self-signed certificate: trust it to call the emulator (emulatorCredential and emulatorGraphClient do) */
    certificate: string;
    state: GraphState;
    faults: GraphFaults;
    /** every request in order, token calls included; never a token, secret, password or token-request body */
    calls: CallRecord[];
    /** calls that could change the tenant: POST, PUT, PATCH and DELETE other than the token endpoint */
    writes(): number;
    /** every token issued so far is now refused as expired (new tokens work) */
    expireTokens(): void;
    close(): Promise<void>;
}

interface Answer {
    status: number;
    headers?: Record<string, string>;
    body: unknown;
}

/** Starts a local Microsoft Graph (and its token endpoint) for one tenant on loopback, over HTTPS. */
export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<GraphEmulator> {
    const seed = validateGraphSeed(options.seed);
    const state = new GraphState(seed);
    const tokens = new TokenService(state, seed.tokenLifetimeSeconds);
    const faults = new GraphFaults(state);
    const calls: CallRecord[] = [];
    const tls = selfSignedIdentity();
    let graphRoot = "";

    function route(req: IncomingMessage, url: URL, raw: string, requestId: string, clientRequestId: string): Answer & { clientId?: string } {
        const fail = (e: GraphError): Answer => ({ status: e.status, headers: e.headers, body: errorBody(e, requestId, clientRequestId) });
        const token = TOKEN_PATH.exec(url.pathname);
        if (token && req.method === "POST") return tokens.answer(decodeURIComponent(token[1]), req.headers["content-type"], raw);
        const openId = OPENID_CONFIGURATION_PATH.exec(url.pathname);
        if (openId && req.method === "GET") return tokens.openIdConfiguration(decodeURIComponent(openId[1]), url.origin);
        if (KEY_VAULT_PATH.test(url.pathname)) return keyVaultAnswer(state, tokens, req.method ?? "", url, req.headers.authorization, req.headers["content-type"], raw, url.origin);

        const graphPath = /^\/v1\.0(\/.*)$/i.exec(url.pathname)?.[1];
        if (graphPath === undefined) return fail(new GraphError(400, "BadRequest", `Invalid version: ${url.pathname.split("/")[1] ?? ""}`));
        const fault = faults.take(url.pathname);
        if (fault) return faultAnswer(fault, graphPath, requestId, clientRequestId);

        let caller;
        try {
            caller = tokens.check(req.headers.authorization);
        } catch (e) {
            return fail(e as GraphError);
        }
        try {
            const matching = ENDPOINTS.map((e) => ({ endpoint: e, match: e.path.exec(graphPath) })).filter((m) => m.match);
            if (matching.length === 0) throw new GraphError(400, "BadRequest", `Resource not found for the segment '${graphPath.split("/")[1]}'.`);
            const found = matching.find((m) => m.endpoint.method === req.method);
            if (!found) throw new GraphError(405, "Request_BadRequest", `The HTTP method '${req.method}' is not supported on this resource.`);
            requireOneOf(caller, found.endpoint.permissions);
            const body = readJsonBody(raw, req.headers["content-type"]);
            const params = found.match!.slice(1).map(decodeURIComponent);
            const answer = found.endpoint.handle({ state, caller, url, query: url.searchParams, body, graphRoot, params });
            return { status: answer.status ?? 200, body: answer.body, clientId: caller.clientId };
        } catch (e) {
            if (e instanceof GraphError) return { ...fail(e), clientId: caller.clientId };
            const error = new GraphError(500, "generalException", `Internal error in the Graph emulator: ${e instanceof Error ? e.message : String(e)}`);
            return { ...fail(error), clientId: caller.clientId };
        }
    }

    async function handle(req: IncomingMessage, res: ServerResponse) {
        const at = Date.now();
        const url = new URL(req.url ?? "/", graphRoot.replace(/\/v1\.0$/, ""));
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const raw = Buffer.concat(chunks).toString("utf8");
        const requestId = newRequestId();
        const clientRequestId = (req.headers["client-request-id"] as string | undefined) ?? requestId;

        const answer = route(req, url, raw, requestId, clientRequestId);
        const text = answer.status === 204 ? "" : JSON.stringify(answer.body);
        const isToken = TOKEN_PATH.test(url.pathname) || OPENID_CONFIGURATION_PATH.test(url.pathname);
        const isVault = KEY_VAULT_PATH.test(url.pathname);
        res.writeHead(answer.status, {
            "Content-Type": isToken || isVault ? "application/json; charset=utf-8" : GRAPH_JSON,
            "Cache-Control": "no-store, no-cache",
            ...(isToken || isVault ? {} : { "request-id": requestId, "client-request-id": clientRequestId }),
            ...answer.headers,
            "Content-Length": String(Buffer.byteLength(text)),
        });
        res.end(text);
        const call: CallRecord = {
            method: req.method ?? "",
            path: url.pathname,
            query: safeDecode(url.search.slice(1)),
            ...(!isToken && raw !== "" ? { body: withoutSecrets(recordedBody(raw), isVault) } : {}),
            status: answer.status,
            ...(answer.clientId ? { clientId: answer.clientId } : {}),
            at,
        };
        calls.push(call);
        options.onCall?.(call);
    }

    const server = createServer({ key: tls.key, cert: tls.certificate }, guarded(handle));
    const url = `https://${await listenOnLoopback(server, options.port, options.host)}`;
    graphRoot = `${url}/v1.0`;
    trustEmulator(url, tls.certificate);

    let closing: Promise<void> | undefined;
    return {
        url,
        graphUrl: graphRoot,
        tenantId: state.tenant.id,
        certificate: tls.certificate,
        state,
        faults,
        calls,
        writes: () => calls.filter((c) => ["POST", "PUT", "PATCH", "DELETE"].includes(c.method) && !TOKEN_PATH.test(c.path)).length,
        expireTokens: () => tokens.expireAll(),
        close: () =>
            (closing ??= new Promise<void>((resolve) => {
                untrustEmulator(url);
                server.close(() => resolve());
                server.closeAllConnections();
            })),
    };
}

/**
 * Throttling as the directory answers it (429, "TooManyRequests") and an outage (503, "serviceNotAvailable", from the
 * error codes in "Microsoft Graph error responses and resource types"), both with Retry-After in seconds.
 */
function faultAnswer(fault: Fault, graphPath: string, requestId: string, clientRequestId: string): Answer {
    if (fault.kind === "notFound") {
        const error = resourceNotFound(decodeURIComponent(graphPath.split("/")[2] ?? ""));
        return { status: error.status, headers: error.headers, body: errorBody(error, requestId, clientRequestId) };
    }
    const retryAfter = { "Retry-After": String(fault.retryAfterSeconds ?? 1) };
    const error =
        fault.kind === "throttle"
            ? new GraphError(429, "TooManyRequests", "Too many requests. Please try again later.", retryAfter)
            : new GraphError(503, "serviceNotAvailable", "The service is temporarily unavailable. Please try again after the delay in Retry-After.", retryAfter);
    return { status: error.status, headers: error.headers, body: errorBody(error, requestId, clientRequestId) };
}

function readJsonBody(raw: string, contentType: string | undefined): unknown {
    if (raw.trim() === "") return undefined;
    const fail = () => new GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    if (!/^application\/json\b/i.test(contentType ?? "")) throw fail();
    try {
        return JSON.parse(raw);
    } catch {
        throw fail();
    }
}

function recordedBody(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/** What the call log keeps of a body: never a password (passwordProfile) or a Key Vault secret's value. */
function withoutSecrets(body: unknown, isVault: boolean): unknown {
    if (Array.isArray(body)) return body.map((item) => withoutSecrets(item, isVault));
    if (typeof body !== "object" || body === null) return body;
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, k === "password" || (isVault && k === "value") ? "[redacted]" : withoutSecrets(v, isVault)]));
}

function safeDecode(text: string): string {
    try {
        return decodeURIComponent(text.replace(/\+/g, " "));
    } catch {
        return text;
    }
}
