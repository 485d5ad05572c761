import { Check, countVerdicts, exitCodeOf } from "./check";
import type { Identity } from "./identity";

/** Everything the doctor found for one stack. */
export interface DoctorReport {
    stack: string;
    usersFile: string;
    identity: Identity;
    checks: Check[];
}

/** The one-line verdict: whether `pulumi up` can run, and the exit code that says it. */
export function verdictLine(report: DoctorReport): string {
    const counts = countVerdicts(report.checks);
    const code = exitCodeOf(report.checks);
    const tally = `${counts.pass} passed, ${counts.fail} failed, ${counts.warn} ${counts.warn === 1 ? "warning" : "warnings"}, ${counts.skip} skipped`;
    if (code === 0 && report.identity === "read-only") {
        return `Nothing found that would make a preview fail; the deploying identity was not checked (run the doctor as it before the first deployment) (${tally}).`;
    }
    if (code === 0) return `Ready: nothing found that would make pulumi up fail (${tally}).`;
    return `Not ready: ${counts.fail} ${counts.fail === 1 ? "check fails" : "checks fail"}; pulumi up would fail or stop half-way until ${counts.fail === 1 ? "it is" : "they are"} fixed (${tally}).`;
}
