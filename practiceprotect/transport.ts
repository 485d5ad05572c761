import fetchBuilder from "fetch-retry";
import { PracticeProtectError } from "./errors";
import type { PracticeProtectSettings } from "./settings";

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
    // See DEFAULT_REQUEST_TIMEOUT_SECONDS and DEFAULT_CALL_BUDGET_SECONDS in settings.ts.
    totalTimeoutMs: 600_000,
    requestTimeoutMs: 120_000,
    baseDelayMs: 500,
    maxDelayMs: 20_000,
};

/** The policy the settings ask for: their time budgets, the default backoff. */
export function retryPolicyFrom(settings: Pick<PracticeProtectSettings, "requestTimeoutSeconds" | "callBudgetSeconds">): RetryPolicy {
    return { ...DEFAULT_RETRY_POLICY, requestTimeoutMs: settings.requestTimeoutSeconds * 1000, totalTimeoutMs: settings.callBudgetSeconds * 1000 };
}

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
    let attempts = 0;
    const timedFetch = (input: string, requestInit: RequestInit) => {
        attempts++;
        return fetch(input, { ...requestInit, signal: AbortSignal.timeout(policy.requestTimeoutMs) });
    };
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
        const elapsed = `${attempts} attempt${attempts === 1 ? "" : "s"} in ${seconds(Date.now() - started)}`;
        if (cause.name === "TimeoutError") {
            throw new PracticeProtectError(
                endpoint,
                `no answer within ${seconds(policy.requestTimeoutMs)} (${elapsed}, budget ${seconds(policy.totalTimeoutMs)}); large tenants answer slowly: ` +
                    `raise practiceprotect:requestTimeoutSeconds and practiceprotect:callBudgetSeconds`,
                { timedOut: true },
            );
        }
        throw new PracticeProtectError(endpoint, `request failed after retrying (${elapsed}): ${cause.message}${cause.cause?.code ? ` (${cause.cause.code})` : ""}; check practiceprotect:url and the network`);
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

/** "750 ms", "12 s", "2.5 s": what an error says about a wait. */
function seconds(ms: number): string {
    if (ms < 1000) return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    return `${Number.isInteger(s) || s >= 10 ? Math.round(s) : s.toFixed(1)} s`;
}
