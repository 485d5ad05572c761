/**
 * A Practice Protect call that failed. The message names the endpoint and says what the platform answered;
 * it never contains a credential or a token.
 */
export class PracticeProtectError extends Error {
    constructor(
        readonly endpoint: string,
        detail: string,
        readonly info: { status?: number; errorId?: string; platformMessage?: string; timedOut?: boolean; unauthenticated?: boolean } = {},
    ) {
        super(`Practice Protect ${endpoint}: ${detail}`);
        // Set again: in the dynamic-provider process this class is a serialized copy whose super() call may
        // not set `message`, and the engine shows only the message.
        this.message = `Practice Protect ${endpoint}: ${detail}`;
        this.name = "PracticeProtectError";
    }
}

/** Part of a batch call failed (`Result.Exceptions.User`): the rest succeeded. */
export class PartialFailureError extends PracticeProtectError {
    constructor(endpoint: string, readonly failures: { id: string; message: string }[]) {
        super(endpoint, `${failures.length} item(s) failed: ${failures.map((f) => `${f.id}: ${f.message}`).join("; ")}`);
        this.name = "PartialFailureError";
    }
}
