import { PracticeProtectError } from "../../practiceprotect/errors";
import type { PathProbe } from "../portalPaths";

/**
 * How a portal call answered, for the scope check: refused (the platform refused the token for the path, even a
 * fresh one: the client tells), allowed (an answer, or a platform error about the request itself, which the scope
 * check lets through first), or unknown (an HTML page, a timeout, a 5xx: nothing learnt about the scope).
 */
export async function probePath(path: string, call: () => Promise<unknown>): Promise<PathProbe> {
    try {
        await call();
        return { path, outcome: "allowed", answer: "answered" };
    } catch (e) {
        if (e instanceof PracticeProtectError) {
            if (e.info.unauthenticated) return { path, outcome: "refused", answer: "refused the token" };
            if (e.info.platformMessage !== undefined) return { path, outcome: "allowed", answer: `reached the endpoint, which answered '${e.info.platformMessage}'` };
        }
        return { path, outcome: "unknown", answer: e instanceof Error ? e.message : String(e) };
    }
}
