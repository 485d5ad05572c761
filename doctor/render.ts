import { SECTIONS, type Check, type Verdict } from "./check";
import { exitCodeOf, countVerdicts } from "./check";
import { verdictLine, type DoctorReport } from "./report";
import { markdownLine, markdownText } from "../cli/markdown";

const LABEL: Record<Verdict, string> = { pass: "PASS", warn: "WARN", fail: "FAIL", skip: "SKIP" };
const ICON: Record<Verdict, string> = { pass: "✅", warn: "⚠️", fail: "❌", skip: "➖" };

function heading(report: DoctorReport): string {
    return `Doctor for stack ${report.stack} (${report.usersFile}), signed in as the ${report.identity} identity; read calls only`;
}

function bySection(checks: readonly Check[]): [string, Check[]][] {
    return SECTIONS.map((s) => [s, checks.filter((c) => c.section === s)] as [string, Check[]]).filter(([, cs]) => cs.length > 0);
}

/** For a terminal: one line per check, its verdict first, advice indented under a failure or warning. */
export function renderTerminal(report: DoctorReport): string[] {
    const lines = [heading(report), ""];
    for (const [section, checks] of bySection(report.checks)) {
        lines.push(section);
        for (const c of checks) {
            lines.push(`  ${LABEL[c.verdict]}  ${c.title}: ${c.detail}`);
            for (const a of c.advice ?? []) lines.push(`        fix: ${a}`);
        }
        lines.push("");
    }
    lines.push(`${verdictLine(report)} Exit ${exitCodeOf(report.checks)}.`);
    return lines;
}

/** A table cell from findings that name users, groups, roles and settings: escaped, its lines kept as <br>. */
const cell = (text: string) => text.split(/\r?\n/).map(markdownText).join("<br>");

/** For a pull request or a GitHub Actions job summary: a table per section. */
export function renderMarkdown(report: DoctorReport): string[] {
    const counts = countVerdicts(report.checks);
    const lines = [`### npm run doctor (stack ${markdownText(report.stack)}): ${counts.fail === 0 ? "no problem found" : `${counts.fail} ${counts.fail === 1 ? "problem" : "problems"}`}`, "", `${markdownLine(heading(report))}.`, ""];
    for (const [section, checks] of bySection(report.checks)) {
        lines.push(`**${section}**`, "", "| | Check | Result |", "|---|---|---|");
        for (const c of checks) {
            const advice = (c.advice ?? []).map((a) => `<br>**Fix:** ${cell(a)}`).join("");
            lines.push(`| ${ICON[c.verdict]} | ${cell(c.title)} | ${cell(c.detail)}${advice} |`);
        }
        lines.push("");
    }
    lines.push(verdictLine(report));
    return lines;
}

/** For tools: the report as data, with the exit code and the tally. */
export function renderJson(report: DoctorReport): string[] {
    return [JSON.stringify({ ...report, exitCode: exitCodeOf(report.checks), summary: countVerdicts(report.checks), verdict: verdictLine(report) }, null, 2)];
}
