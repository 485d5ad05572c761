import fetchBuilder from "fetch-retry";
import { PracticeProtectError } from "./errors";

/** How hard to try one HTTP call. Every request has a timeout; retries are bounded in count and total time. */
export interface RetryPolicy {
    /** Attempts in all, the first included. */
    maxAttempts: number;
    /** Give up retrying once this much time has passed since the first attempt. */
    totalTimeoutMs: number;
    /** Each attempt's own timeout. */
    requestTimeoutMs: number;
    /** First backoff; doubled per attempt, with full jitter, up to maxDelayMs. */
    baseDelayMs: number;
    maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
    maxAttempts: 6,
    totalTimeoutMs: 120_000,
    // Role member reads on large tenants have been seen to take 14-26 s (reference, Roles).
    requestTimeoutMs: 60_000,
    baseDelayMs: 500,
    maxDelayMs: 20_000,
};

/** 429, 5xx and network failures are worth another try; anything else is an answer. */
const RETRYABLE_STATUS = (status: number) => status === 429 || status >= 500;

/**
 * fetch with a timeout on every attempt and exponential backoff with full jitter on 429 (honouring
 * Retry-After), 5xx and network errors. Returns the last response (possibly a 429/5xx once the budget is
 * spent) or throws the last network error, naming the endpoint.
 */
export async function fetchWithRetry(endpoint: string, url: string, init: RequestInit, policy: RetryPolicy): Promise<Response> {
    const started = Date.now();
    let plannedDelay = 0;
    const timedFetch = (input: string, requestInit: RequestInit) => fetch(input, { ...requestInit, signal: AbortSignal.timeout(policy.requestTimeoutMs) });
    const retrying = fetchBuilder(timedFetch, {
        retries: policy.maxAttempts - 1,
        retryOn: (attempt, error, response) => {
            if (!error && !(response && RETRYABLE_STATUS(response.status))) return false;
            if (attempt + 1 >= policy.maxAttempts) return false;
            plannedDelay = backoffDelay(attempt, response, policy);
            const withinBudget = Date.now() - started + plannedDelay < policy.totalTimeoutMs;
            if (withinBudget && response) void response.body?.cancel().catch(() => undefined);
            return withinBudget;
        },
        retryDelay: () => plannedDelay,
    });
    try {
        return await retrying(url, init);
    } catch (e) {
        const cause = e as Error & { cause?: { code?: string } };
        const reason = cause.name === "TimeoutError" ? `no answer within ${policy.requestTimeoutMs / 1000} s` : `${cause.message}${cause.cause?.code ? ` (${cause.cause.code})` : ""}`;
        throw new PracticeProtectError(endpoint, `request failed after retrying for ${Math.round((Date.now() - started) / 1000)} s: ${reason}; check practiceprotect:url and the network`);
    }
}

/**
 * Retry-After (seconds or an HTTP date) when the server gives one, bounded only by the total time budget
 * (the caller stops retrying when the wait would pass it); otherwise exponential backoff with full jitter.
 */
export function backoffDelay(attempt: number, response: Response | null, policy: RetryPolicy): number {
    const retryAfter = response?.headers.get("retry-after");
    if (retryAfter) {
        const seconds = Number(retryAfter);
        const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
        if (Number.isFinite(ms) && ms >= 0) return ms;
    }
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    return Math.round(Math.random() * ceiling);
}
