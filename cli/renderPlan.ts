import { isPrivilegedRole } from "../model/adminRoles";
import { describePlans } from "../model/licenses";
import { ROLE_FOR_SENSITIVE_UPDATES } from "../model/sensitiveUpdates";
import type { PlannedUser, PlanView } from "./planView";
import { formatTable } from "./table";
import { plural } from "./validate";

/** The plan as a person reads it: a summary, the groups, then one small table per user. */
export function renderPlan(view: PlanView, heading: string): string[] {
    const created = view.users.filter((u) => u.action === "create").length;
    const offboarded = view.users.filter((u) => u.properties.accountEnabled === false).length;
    const assignments = view.users.reduce((n, u) => n + u.adminRoles.length, 0);
    const privileged = view.users.filter((u) => u.adminRoles.some(isPrivilegedRole));
    const lines = [
        heading,
        `${plural(view.users.length, "user")} (${created} to create, ${view.users.length - created} adopted, ${offboarded} offboarded), ` +
            `${plural(view.groups.filter((g) => g.action === "create").length, "group")} to create, ` +
            `${plural(view.groups.filter((g) => g.action === "existing").length, "existing group")}, ` +
            `${plural(assignments, "admin role assignment")}` +
            `, ${plural(view.users.filter((u) => u.portal).length, "Practice Protect account")} in ${plural(view.portalRoles.length, "portal role")}` +
            (view.serviceAccount ? ", the practiceprotect service account" : ""),
    ];
    // Microsoft's classification of privileged roles (model/adminRoles.ts); the service account's role is in its own table.
    if (privileged.length) lines.push(`privileged roles: ${privileged.map((u) => `${u.key} (${u.adminRoles.filter(isPrivilegedRole).join(", ")})`).join("; ")}`);

    lines.push("", "Groups");
    lines.push(
        ...formatTable(
            view.groups.map((g) => [
                g.name,
                g.action === "create" ? "create" : "existing",
                plural(g.members, "member"),
                g.action === "create" ? `security group${g.description ? `: ${g.description}` : ""}` : "looked up by display name at deploy; must exist",
            ]),
            "  ",
        ),
    );

    lines.push("", "Practice Protect roles");
    lines.push(
        ...(view.portalRoles.length
            ? formatTable(
                  view.portalRoles.map((r) => [r.name, plural(r.members.length, "member"), r.exclusive ? "holds exactly these users" : "adds these users; other members are left alone"]),
                  "  ",
              )
            : ["  none"]),
    );

    if (view.licenseCounts.length) {
        lines.push("", "Licences (free seats are counted against the tenant's subscriptions when deploying; a shortfall stops the run before any change)");
        lines.push(...formatTable(view.licenseCounts.map((l) => [l.name, `${l.people} ${l.people === 1 ? "person" : "people"} in users.yaml`]), "  "));
    }

    for (const user of view.users) lines.push("", ...renderUser(user));

    lines.push("", "Service account");
    const account = view.serviceAccount;
    lines.push(
        ...(account
            ? formatTable(
                  [
                      ["user principal name", account.userPrincipalName],
                      ["admin roles", account.adminRoles.map(namePrivileged).join(", ")],
                      ["sign-in", "generated password, changed at first sign-in; no licence"],
                      ["deletion", account.protected ? "protected: pulumi refuses to delete it" : "not protected"],
                      [
                          "credentials",
                          account.keyVaultSecrets.length
                              ? `Key Vault secrets ${account.keyVaultSecrets.join(", ")} (the password is generated and stored by the deployment, never in the state)`
                              : "stack outputs serviceAccountUpn and serviceAccountPassword (secret: anyone who can read the stack can decrypt it until the first sign-in)",
                      ],
                  ],
                  "  ",
              )
            : ["  none (set serviceAccountAccess to full or mail to create it)"]),
    );
    return lines;
}

/** "Helpdesk Administrator (privileged)": a role Microsoft marks privileged says so wherever the plan names it. */
const namePrivileged = (role: string) => (isPrivilegedRole(role) ? `${role} (privileged)` : role);

/** Rows shown only when they say something. */
const optionalRows = (rows: [string, string][]) => rows.filter(([, value]) => value !== "");

function renderUser(user: PlannedUser): string[] {
    const p = user.properties;
    const enabled = p.accountEnabled !== false;
    const name = [p.givenName, p.surname].filter(Boolean).join(" ");
    const rows: string[][] = [
        ["user principal name", String(p.userPrincipalName)],
        ["display name", `${p.displayName}${name && name !== p.displayName ? ` (${name})` : ""}`],
        ["mobile", p.mobilePhone ? String(p.mobilePhone) : "-"],
        ["job", [p.jobTitle, p.department].filter(Boolean).join(", ") || "-"],
        ...optionalRows([
            ["company and office", [p.companyName, p.officeLocation].filter(Boolean).join(", ")],
            ["address", [p.streetAddress, p.city, p.state, p.postalCode, p.country].filter(Boolean).join(", ")],
            ["desk phone", [...((p.businessPhones as string[] | undefined) ?? []), p.faxNumber ? `fax ${p.faxNumber}` : ""].filter(Boolean).join(", ")],
            ["employee id", p.employeeId ? String(p.employeeId) : ""],
            ["manager", user.manager ?? ""],
            ["cleared in Entra", user.cleared.join(", ")],
        ]),
        ["usage location", p.usageLocation ? String(p.usageLocation) : "-"],
        ["left as in Entra", `${plural(user.keptAsInEntra, "other field")} (users.yaml does not state them)`],
        [
            "sign-in",
            (enabled ? "enabled" : "blocked (offboarded)") +
                (user.generatedPassword ? "; generated password, changed at first sign-in" : user.action === "adopt" ? "; keeps its password" : ""),
        ],
        ["groups", user.groups.map((g) => (user.adoptedGroups.includes(g) ? `${g} (already a member)` : g)).join(", ") || "-"],
        ["admin roles", user.adminRoles.map((r) => namePrivileged(r) + (user.adoptedAdminRoles.includes(r) ? " (already held)" : "")).join(", ") || "-"],
        ...optionalRows([["sensitive updates", user.sensitiveUpdates ? `any change to this user needs the deploying identity to hold ${ROLE_FOR_SENSITIVE_UPDATES}` : ""]]),
        ...optionalRows([
            [
                "licences",
                user.licenses === undefined
                    ? ""
                    : user.licenses.map((l) => `${l.name}, ${describePlans(l.disabledPlans)}`).join("; ") ||
                      (enabled ? "none (any users.yaml gave before are removed)" : "removed (removeLicensesOnOffboarding)"),
            ],
            ["sessions", user.revokeSessions ? "signed out everywhere, once (revokeSignInSessions)" : ""],
        ]),
        [
            "Practice Protect",
            user.portal
                ? `${enabled ? (user.portal.sendInvite ? "invite (e-mail)" : "add to portal (no e-mail)") : "keep account, no roles"}; roles: ${user.portal.roles.join(", ") || "-"}`
                : enabled ? "not invited" : "removed from the portal and its roles",
        ],
        ["if removed from file", user.keptWhenRemoved ? "kept in Entra, no longer managed" : "deleted from Entra"],
    ];
    const action = user.action === "adopt" ? "adopt existing Entra user (import)" : "create";
    return [`${user.key}: ${action}${enabled ? "" : ", offboarded"}`, ...formatTable(rows, "  ")];
}
