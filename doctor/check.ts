/**
 * One line of the doctor's checklist: what was checked, the verdict, what was found and, for a problem, what to do.
 * Pure data: the checks that make them have no I/O, and rendering is separate (render*.ts).
 */
export type Verdict = "pass" | "warn" | "fail" | "skip";

export const SECTIONS = ["Stack", "Entra ID", "Practice Protect", "Pulumi"] as const;
export type Section = (typeof SECTIONS)[number];

export interface Check {
    /** Stable, for tools reading `--format json`: e.g. "entra.permissions". */
    id: string;
    section: Section;
    /** What is checked, e.g. "Graph permissions". */
    title: string;
    verdict: Verdict;
    /** What was found, one sentence or a few. */
    detail: string;
    /** What to do about a failure or a warning, step by step. */
    advice?: string[];
}

/**
 * 0 when nothing would make `pulumi up` fail (warnings and skipped checks do not), 1 otherwise. A usage error (2) is
 * decided before any check runs.
 */
export function exitCodeOf(checks: readonly Check[]): 0 | 1 {
    return checks.some((c) => c.verdict === "fail") ? 1 : 0;
}

export function countVerdicts(checks: readonly Check[]): Record<Verdict, number> {
    const counts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
    for (const c of checks) counts[c.verdict]++;
    return counts;
}

/** A look-up's result or why it failed (a message safe to print: never a secret or a token). */
export type Probed<T> = { ok: true; value: T } | { ok: false; error: string; status?: number; code?: string };

export const probedValue = <T>(value: T): Probed<T> => ({ ok: true, value });
