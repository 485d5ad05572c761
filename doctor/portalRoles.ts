import type { Check } from "./check";

/** Built-in portal roles the program never manages (components/practiceprotect/roleMembersProvider.ts). */
export const BUILT_IN_PORTAL_ROLES = ["Everybody", "System Administrator"];

/** The portal roles users.yaml names, each once, first spelling kept. */
export function portalRolesNamed(users: readonly { practiceProtect: { roles: string[] } }[]): string[] {
    const names: string[] = [];
    for (const u of users) for (const r of u.practiceProtect.roles) if (!names.some((n) => n.toLowerCase() === r.toLowerCase())) names.push(r);
    return names;
}

/** Every portal role users.yaml names exists exactly once (names matched ignoring case, as the client does). */
export function portalRolesCheck(named: readonly string[], roles: readonly { id: string; name: string }[]): Check {
    const base = { id: "portal.roles", section: "Practice Protect" as const, title: "Portal roles" };
    const managed = named.filter((n) => !BUILT_IN_PORTAL_ROLES.some((b) => b.toLowerCase() === n.toLowerCase()));
    if (managed.length === 0) return { ...base, verdict: "pass", detail: "users.yaml names no portal role to manage" };
    const problems: string[] = [];
    for (const name of managed) {
        const matches = roles.filter((r) => r.name.toLowerCase() === name.toLowerCase());
        if (matches.length === 0) problems.push(`no role is named '${name}'`);
        else if (matches.length > 1) problems.push(`${matches.length} roles are named '${name}' (ids ${matches.map((r) => r.id).join(", ")})`);
    }
    if (problems.length === 0) return { ...base, verdict: "pass", detail: `${managed.map((n) => `'${n}'`).join(", ")}: each exists once` };
    const existing = [...new Set(roles.map((r) => r.name))].sort().map((n) => `'${n}'`).join(", ");
    return {
        ...base,
        verdict: "fail",
        detail: `${problems.join("; ")}; the portal's roles are: ${existing || "none"}`,
        advice: ["Correct the role name in users.yaml to one the portal has, or create the role first (Admin portal > Core Services > Roles > Add Role); rename duplicates so each name is used once."],
    };
}

/** users.yaml does not put anyone in a built-in role: the program refuses to manage them. */
export function builtInRolesCheck(named: readonly string[]): Check {
    const base = { id: "portal.builtInRoles", section: "Practice Protect" as const, title: "Built-in roles left alone" };
    const builtIn = named.filter((n) => BUILT_IN_PORTAL_ROLES.some((b) => b.toLowerCase() === n.toLowerCase()));
    if (builtIn.length === 0) return { ...base, verdict: "pass", detail: `users.yaml names neither ${BUILT_IN_PORTAL_ROLES.join(" nor ")}` };
    return {
        ...base,
        verdict: "fail",
        detail: `users.yaml puts people in the built-in role${builtIn.length > 1 ? "s" : ""} ${builtIn.map((n) => `'${n}'`).join(", ")}, which the program never manages: the deployment would fail`,
        advice: ["Take the built-in role out of practiceProtect.roles and give people a role of the firm's own (Everybody already includes everyone; System Administrator is for the portal's administrators)."],
    };
}
