import { describeAccess, PersonChange, ReviewDiff } from "../model/review";
import { markdownLine, markdownText } from "./markdown";
import { formatTable } from "./table";

/** A field users.yaml stops stating: pulumi up leaves it as it is in Entra (clearing it is written as null). */
const NOT_STATED = "(not stated: Entra keeps its value)";
import { plural } from "./validate";

export interface ReviewHeading {
    file: string;
    /** "origin/main", or undefined when there is no base (everything is new). */
    base?: string;
    /** The revision the head side was read from (--head), or undefined for the working tree. */
    head?: string;
    /** Why the base could not be used, if so. */
    baseNote?: string;
}

const signed = (plus: readonly string[], minus: readonly string[]) => [...plus.map((x) => `+${x}`), ...minus.map((x) => `−${x}`)].join(", ");

/** "2 added, 1 offboarded, 3 changed": the one line a reviewer reads first. */
export function reviewSummary(diff: ReviewDiff): string {
    const count = (kind: PersonChange["kind"]) => diff.people.filter((p) => p.kind === kind).length;
    const offboarded = diff.people.filter((p) => p.offboarded && p.kind === "changed").length;
    const reenabled = diff.people.filter((p) => p.reenabled).length;
    const parts = [
        count("added") && `${count("added")} added`,
        count("removed") && `${count("removed")} removed`,
        offboarded && `${offboarded} offboarded`,
        reenabled && `${reenabled} re-enabled`,
        count("changed") - offboarded - reenabled > 0 && `${count("changed") - offboarded - reenabled} changed`,
        diff.groups.created.length && plural(diff.groups.created.length, "group") + " created",
        diff.groups.removed.length && plural(diff.groups.removed.length, "group") + " removed",
        diff.groups.renamed.length && plural(diff.groups.renamed.length, "group") + " renamed",
        diff.serviceAccount && "service account changed",
        diff.config.length && plural(diff.config.length, "configuration change"),
    ].filter(Boolean);
    return parts.length ? parts.join(", ") : "no changes to people, groups, the service account or the configuration";
}

function sections(diff: ReviewDiff) {
    const added = diff.people.filter((p) => p.kind === "added");
    const removed = diff.people.filter((p) => p.kind === "removed");
    const changed = diff.people.filter((p) => p.kind === "changed");
    return {
        added: added.map((p) => [
            p.key,
            p.name,
            String(p.attributes.find((a) => a.field === "mobilePhone")?.to ?? "-"),
            p.groups.joined.join(", ") || "-",
            p.adminRoles.granted.join(", ") || "-",
            p.portal.invited ? p.portal.joined.join(", ") || "invited, no roles" : "not invited",
            [p.adopted ? "adopts existing account" : "new account", p.offboarded ? "offboarded" : ""].filter(Boolean).join(", "),
        ]),
        removed: removed.map((p) => [p.key, p.name, p.removal === "deleted" ? "deleted from Entra" : `kept in Entra, no longer managed (${p.stillEnabled ? "still enabled: can sign in" : "offboarded: sign-in stays blocked"})`, p.portal.removed ? "removed from the portal" : "-"]),
        status: changed.filter((p) => p.offboarded || p.reenabled).map((p) => [p.key, p.name, p.offboarded ? "offboarded: sign-in blocked, admin and portal roles removed" : "re-enabled"]),
        renamed: changed.filter((p) => p.renamed).map((p) => [p.key, p.renamed!.from, p.renamed!.to]),
        attributes: changed.flatMap((p) => p.attributes.map((a) => [p.key, a.field, a.from ?? "-", a.to ?? NOT_STATED])),
        access: changed
            .filter(
                (p) =>
                    p.groups.joined.length + p.groups.left.length + p.adminRoles.granted.length + p.adminRoles.revoked.length + p.portal.joined.length + p.portal.left.length + p.licenses.gained.length + p.licenses.lost.length + p.licenses.plans.length > 0 ||
                    p.portal.invited ||
                    p.portal.removed,
            )
            .map((p) => [
                p.key,
                signed(p.groups.joined, p.groups.left) || "-",
                signed(p.adminRoles.granted, p.adminRoles.revoked) || "-",
                [p.portal.invited ? "invited" : "", p.portal.removed ? "removed from portal" : "", signed(p.portal.joined, p.portal.left)].filter(Boolean).join("; ") || "-",
                [signed(p.licenses.gained.map((l) => withPlans(p, l)), p.licenses.lost), ...planChangesOf(p)].filter(Boolean).join("; ") || "-",
            ]),
    };
}

const HEADERS = {
    added: ["user", "name", "mobile", "groups", "admin roles", "portal roles", "account"],
    removed: ["user", "name", "Entra account", "portal"],
    status: ["user", "name", "what happens"],
    renamed: ["user", "from", "to"],
    attributes: ["user", "field", "from", "to"],
    access: ["user", "groups", "admin roles", "portal", "licences"],
};
const TITLES = { added: "Added", removed: "Removed", status: "Offboarded and re-enabled", renamed: "Renamed (UPN)", attributes: "Changed attributes", access: "Access" };

function headingLine(h: ReviewHeading): string {
    return `${h.file}: ${h.base ? `${h.base} → ${h.head ?? "working tree"}` : `everything as new (no --base)${h.head ? ` at ${h.head}` : ""}`}`;
}

/** The created groups' changes: [group, what happens to it]. A rename updates the same group in place. */
const groupRows = (diff: ReviewDiff): string[][] => [
    ...diff.groups.created.map((g) => [g, "created"]),
    ...diff.groups.renamed.map((r) => [r.to, `renamed from ${r.from} (the same group, its members kept)`]),
    ...diff.groups.removed.map((g) => [g, "no longer managed"]),
];

export function renderReviewTerminal(diff: ReviewDiff, heading: ReviewHeading): string[] {
    const lines = [`Review of ${headingLine(heading)}`, ...(heading.baseNote ? [heading.baseNote] : []), reviewSummary(diff)];
    if (diff.attention.length) lines.push("", "Needs attention", ...diff.attention.map((a) => `  ! ${a}`));
    const all = sections(diff);
    for (const key of Object.keys(TITLES) as (keyof typeof TITLES)[]) {
        if (all[key].length === 0) continue;
        lines.push("", TITLES[key], ...formatTable([HEADERS[key], ...all[key]], "  "));
    }
    if (groupRows(diff).length) lines.push("", "Groups", ...formatTable(groupRows(diff), "  "));
    if (diff.serviceAccount) lines.push("", "Service account", `  ${describeAccess(diff.serviceAccount.from)} → ${describeAccess(diff.serviceAccount.to)}`);
    return lines;
}

/** A pull-request comment: a summary line, what needs attention, a table per kind of change, details folded. */
export function renderReviewMarkdown(diff: ReviewDiff, heading: ReviewHeading): string[] {
    // Every word that can come from users.yaml, the stack settings or git goes through markdownText.
    const cell = markdownText;
    const table = (header: string[], rows: string[][]) => [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)];
    const lines = [`**${cell(reviewSummary(diff))}** · ${cell(headingLine(heading))}`];
    if (heading.baseNote) lines.push("", `> ${markdownLine(heading.baseNote)}`);
    if (diff.attention.length) lines.push("", "> [!WARNING]", "> **Needs attention**", ...diff.attention.map((a) => `> - ${markdownLine(a)}`));
    const all = sections(diff);
    for (const key of Object.keys(TITLES) as (keyof typeof TITLES)[]) {
        if (all[key].length === 0) continue;
        lines.push("", `### ${TITLES[key]}`, "", ...table(HEADERS[key], all[key]));
    }
    if (groupRows(diff).length) lines.push("", "### Groups", "", ...table(["group", "change"], groupRows(diff)));
    if (diff.serviceAccount) lines.push("", "### Service account", "", markdownLine(`${describeAccess(diff.serviceAccount.from)} → ${describeAccess(diff.serviceAccount.to)}`));
    if (diff.people.length) {
        lines.push("", "<details><summary>Details per person</summary>", "");
        for (const p of diff.people) lines.push(`- **${cell(p.key)}** (${cell(p.name)}): ${cell(describePerson(p))}`);
        lines.push("", "</details>");
    }
    return lines;
}

/** One sentence per person, for the folded details. */
export function describePerson(p: PersonChange): string {
    const parts: string[] = [];
    if (p.kind === "added") parts.push(p.adopted ? `added, adopting the existing Entra account ${p.adoption?.objectId ?? ""}`.trimEnd() : "added");
    if (p.kind === "removed") parts.push(p.removal === "deleted" ? "removed and deleted from Entra" : `removed from users.yaml; the account stays, no longer managed, ${p.stillEnabled ? "and enabled" : "and blocked"}`);
    if (p.offboarded) parts.push("offboarded");
    if (p.reenabled) parts.push("re-enabled");
    if (p.renamed) parts.push(`renamed ${p.renamed.from} → ${p.renamed.to}`);
    for (const a of p.attributes) if (p.kind !== "added") parts.push(`${a.field} ${a.from ?? "(none)"} → ${a.to ?? NOT_STATED}`);
    if (p.groups.joined.length) parts.push(`joins ${p.groups.joined.join(", ")}`);
    if (p.groups.left.length) parts.push(`leaves ${p.groups.left.join(", ")}`);
    if (p.adminRoles.granted.length) parts.push(`gets ${p.adminRoles.granted.join(", ")}`);
    if (p.adminRoles.revoked.length) parts.push(`loses ${p.adminRoles.revoked.join(", ")}`);
    if (p.portal.invited) parts.push("is invited to Practice Protect");
    if (p.portal.removed) parts.push("is removed from Practice Protect");
    if (p.portal.joined.length) parts.push(`gets ${p.portal.joined.join(", ")} in the portal`);
    if (p.portal.left.length) parts.push(`leaves ${p.portal.left.join(", ")} in the portal`);
    if (p.licenses.gained.length) parts.push(`gets the licence${p.licenses.gained.length > 1 ? "s" : ""} ${p.licenses.gained.map((l) => withPlans(p, l)).join(", ")}`);
    if (p.licenses.lost.length) parts.push(`loses the licence${p.licenses.lost.length > 1 ? "s" : ""} ${p.licenses.lost.join(", ")}`);
    parts.push(...planChangesOf(p));
    return parts.join("; ");
}

/** A gained licence with what happens to its service plans: "SPB (plans as in Entra)". */
const withPlans = (p: PersonChange, license: string) => {
    const plans = p.licenses.plans.find((c) => c.license === license && c.from === undefined);
    return plans ? `${license} (${plans.to})` : license;
};

/** Licences kept whose service plans users.yaml now states otherwise: "SPB plans: plans as in Entra → exactly: TEAMS1 off". */
const planChangesOf = (p: PersonChange) => p.licenses.plans.filter((c) => c.from !== undefined).map((c) => `${c.license} plans: ${c.from} → ${c.to}`);
