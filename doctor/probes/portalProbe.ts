import { PracticeProtectError } from "../../practiceprotect/errors";
import type { PathProbe } from "../portalPaths";

/**
 * How the platform words a refusal of the caller's rights is not published (L): a token refused outright (HTTP 401,
 * or ErrorCode 401 inside an HTTP 200 answer, which the client reports as `unauthenticated`) is the reading the
 * emulator plays; an HTTP 403 or a `success: false` whose message speaks of authorization is taken as a refusal too.
 */
const AUTHORIZATION_MESSAGE = /not authori[sz]ed|unauthori[sz]ed|access (is )?denied|forbidden|not allowed|permission|scope/i;
/** The platform's answer to a request missing a parameter: "Parameter 'Name' must be specified" (reference: Transport, H). */
const PARAMETER_MESSAGE = /parameter|must be specified|is required|missing/i;

/**
 * How a portal call answered, for the scope check. `refused`: the platform refused the caller for this path.
 * `allowed`: an answer, or an error about the request itself, which the scope check let through. For a write probed
 * with an empty request (`emptyWrite`), only the expected "missing parameter" error counts as allowed: any other
 * error is `unknown`, so that an unforeseen wording is reported, never taken as a pass. `unknown` too: an HTML page,
 * a timeout, a 5xx (nothing learnt about the scope).
 */
export async function probePath(path: string, call: () => Promise<unknown>, options: { emptyWrite?: boolean } = {}): Promise<PathProbe> {
    try {
        await call();
        return { path, outcome: "allowed", answer: "answered" };
    } catch (e) {
        if (e instanceof PracticeProtectError) {
            if (e.info.unauthenticated || e.info.status === 403) return { path, outcome: "refused", answer: e.info.unauthenticated ? "refused the token" : "HTTP 403" };
            const message = e.info.platformMessage;
            if (message !== undefined) {
                if (AUTHORIZATION_MESSAGE.test(message) && !PARAMETER_MESSAGE.test(message)) return { path, outcome: "refused", answer: `'${message}'` };
                if (!options.emptyWrite || PARAMETER_MESSAGE.test(message)) return { path, outcome: "allowed", answer: `reached the endpoint, which answered '${message}'` };
                return { path, outcome: "unknown", answer: `an unexpected answer to an empty request: '${message}'` };
            }
        }
        return { path, outcome: "unknown", answer: e instanceof Error ? e.message : String(e) };
    }
}
