import type { TokenCredential } from "@azure/identity";
import { AuthenticationHandler, Client, HTTPMessageHandler, Middleware, PageCollection, PageIterator, RedirectHandler, RetryHandler, RetryHandlerOptions, ShouldRetry, TelemetryHandler } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";

/**
 * How a Graph call rides out throttling. Graph's throttling guidance (learn.microsoft.com/graph/throttling, "Best
 * practices to handle throttling"): wait the seconds Retry-After says, retry, and while it answers 429 again keep
 * waiting as it says and retrying; back off exponentially when there is no Retry-After. The library's RetryHandler
 * (@microsoft/microsoft-graph-client 3.0.7, src/middleware/RetryHandler.ts) does the waiting: it retries 429, 503
 * and 504, sleeps Retry-After seconds (a number or an HTTP date) or else `delay` doubling, capped at 180 s a wait;
 * but its default RetryHandlerOptions give up after 3 retries, and it allows at most 10
 * (src/middleware/options/RetryHandlerOptions.ts: DEFAULT_MAX_RETRIES 3, MAX_MAX_RETRIES 10, MAX_DELAY 180).
 * A bulk run (a hundred people's licences and memberships) can be throttled longer than 3 retries: this takes the
 * library's most, and bounds the whole wait of one call instead, so a run never hangs on a throttled tenant.
 */
export interface GraphRetryPolicy {
    /** Retries after the first attempt (the library allows at most 10). */
    maxRetries: number;
    /** Seconds before a retry when Graph sends no Retry-After (the library doubles it from the second retry on). */
    delaySeconds: number;
    /** One call stops retrying when its waits would add up to more than this, and fails with Graph's answer. */
    maxTotalWaitSeconds: number;
}

export const GRAPH_RETRY_POLICY: GraphRetryPolicy = { maxRetries: 10, delaySeconds: 3, maxTotalWaitSeconds: 300 };

/** The seconds a throttled answer asks to wait (Retry-After as seconds or an HTTP date), as the RetryHandler reads it. */
function retryAfterSeconds(response: Response): number | undefined {
    const header = response.headers?.get("Retry-After");
    if (header === null || header === undefined) return undefined;
    const seconds = Number.isNaN(Number(header)) ? Math.round((new Date(header).getTime() - Date.now()) / 1000) : Number(header);
    return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
}

/** The library's RetryHandler with `policy`: more retries than its default, and a bound on one call's total wait. */
export function graphRetryHandler(policy: GraphRetryPolicy = GRAPH_RETRY_POLICY): RetryHandler {
    // The waits already taken per call: the handler passes the same request options object to every retry of one call.
    const waited = new WeakMap<object, number>();
    const shouldRetry: ShouldRetry = (delay, attempt, request, options, response) => {
        const key: object | undefined = options ?? (typeof request === "object" ? request : undefined);
        // The wait the handler is about to take (RetryHandler.getDelay: Retry-After, else the back-off; at most 180 s).
        const next = Math.min(retryAfterSeconds(response) ?? (attempt + 1 >= 2 ? Math.round((2 ** (attempt + 1) - 1) / 2) + delay : delay), 180);
        const total = (key ? (waited.get(key) ?? 0) : 0) + next;
        if (total > policy.maxTotalWaitSeconds) return false;
        if (key) waited.set(key, total);
        return true;
    };
    return new RetryHandler(new RetryHandlerOptions(policy.delaySeconds, Math.min(policy.maxRetries, 10), shouldRetry));
}

/**
 * The library's default middleware chain (MiddlewareFactory.getDefaultMiddlewareChain: authentication, retries,
 * redirects, telemetry, HTTP) with the retries of `policy`; `transport` replaces the last link (the emulator's).
 */
export function graphMiddleware(credential: TokenCredential, policy: GraphRetryPolicy = GRAPH_RETRY_POLICY, transport: Middleware = new HTTPMessageHandler()): Middleware[] {
    const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ["https://graph.microsoft.com/.default"] });
    return [new AuthenticationHandler(authProvider), graphRetryHandler(policy), new RedirectHandler(), new TelemetryHandler(), transport];
}

export interface GraphClientOptions {
    /** For tests: another root than https://graph.microsoft.com (the library sends the token to https hosts only). */
    baseUrl?: string;
    /** How throttled calls are retried (default GRAPH_RETRY_POLICY). */
    retries?: GraphRetryPolicy;
}

/**
 * A Microsoft Graph client with the library's middleware: authentication from the credential, and its
 * RetryHandler, which retries 429/503/504 and waits as long as Graph's Retry-After header says (GRAPH_RETRY_POLICY).
 */
export function graphClient(credential: TokenCredential, options: GraphClientOptions = {}): Client {
    return Client.initWithMiddleware({
        middleware: graphMiddleware(credential, options.retries),
        ...(options.baseUrl ? { baseUrl: options.baseUrl, customHosts: new Set([new URL(options.baseUrl).hostname]) } : {}),
    });
}

/** Every item of a collection, following @odata.nextLink with the library's PageIterator. */
export async function allPages<T>(client: Client, first: PageCollection): Promise<T[]> {
    const items: T[] = [];
    await new PageIterator(client, first, (item: T) => {
        items.push(item);
        return true;
    }).iterate();
    return items;
}
