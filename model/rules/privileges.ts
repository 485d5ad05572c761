import { GLOBAL_ADMINISTRATOR, isPrivilegedRole, PRIVILEGED_ASSIGNMENTS_ADVISED_BELOW } from "../adminRoles";
import { DEFAULT_MAX_GLOBAL_ADMINS } from "../schema";
import { Rule } from "./context";

/** Microsoft advises fewer than five Global Administrators; more than tenant.maxGlobalAdmins is refused. */
export const globalAdminsWithinLimit: Rule = (ctx) => {
    const limit = ctx.data.tenant?.maxGlobalAdmins ?? DEFAULT_MAX_GLOBAL_ADMINS;
    const holders: { key: string; path: (string | number)[] }[] = [];
    for (const [key, user] of ctx.users()) {
        if (user.enabled === false) continue;
        const own = (user.adminRoles ?? []).indexOf(GLOBAL_ADMINISTRATOR);
        if (own >= 0) {
            holders.push({ key, path: ["users", key, "adminRoles", own] });
            continue;
        }
        const viaProfile = (user.profiles ?? []).findIndex((name) => ctx.data.profiles?.[name]?.adminRoles?.includes(GLOBAL_ADMINISTRATOR));
        if (viaProfile >= 0) holders.push({ key, path: ["users", key, "profiles", viaProfile] });
    }
    const total = holders.length + ctx.externalGlobalAdmins.length;
    if (total <= limit) return;
    const names = [...holders.map((h) => h.key), ...ctx.externalGlobalAdmins].join(", ");
    const excess = holders[Math.min(limit, holders.length - 1)] ?? holders[holders.length - 1];
    const limitSource = ctx.data.tenant?.maxGlobalAdmins !== undefined ? "tenant.maxGlobalAdmins" : "the default limit";
    ctx.error(
        "too-many-global-admins",
        excess ? excess.path : ["tenant"],
        `${total} Global Administrators (${names}) but ${limitSource} is ${limit}: Microsoft advises fewer than five; give some of them a narrower role (e.g. Exchange Administrator) or raise tenant.maxGlobalAdmins`,
    );
};

/**
 * Microsoft advises fewer than 10 privileged role assignments (model/adminRoles.ts): more is a warning, counting every
 * privileged role an enabled user holds through users.yaml (their own or their profiles'), those an adopted account
 * is acknowledged to hold (adoption.privilegedRoles), and the service account's Global Administrator. Global
 * Administrators are also held to their own limit above, which counts only the roles users.yaml assigns.
 */
export const privilegedAssignmentsWithinAdvice: Rule = (ctx) => {
    const assignments: { key: string; role: string; path: (string | number)[] }[] = [];
    for (const [key, user] of ctx.users()) {
        if (user.enabled === false) continue;
        const held = new Set<string>();
        const add = (role: string, path: (string | number)[]) => {
            if (!isPrivilegedRole(role) || held.has(role.toLowerCase())) return;
            held.add(role.toLowerCase());
            assignments.push({ key, role, path });
        };
        (user.profiles ?? []).forEach((name, i) => ctx.data.profiles?.[name]?.adminRoles?.forEach((role) => add(role, ["users", key, "profiles", i])));
        (user.adminRoles ?? []).forEach((role, i) => add(role, ["users", key, "adminRoles", i]));
        // An adopted account keeps the privileged roles it holds now, whether or not users.yaml assigns them.
        if (user.objectId !== undefined) (user.adoption?.privilegedRoles ?? []).forEach((role, i) => add(role, ["users", key, "adoption", "privilegedRoles", i]));
    }
    const total = assignments.length + ctx.externalGlobalAdmins.length;
    if (total < PRIVILEGED_ASSIGNMENTS_ADVISED_BELOW) return;
    const byHolder = new Map<string, string[]>();
    for (const a of assignments) byHolder.set(a.key, [...(byHolder.get(a.key) ?? []), a.role]);
    for (const name of ctx.externalGlobalAdmins) byHolder.set(name, [GLOBAL_ADMINISTRATOR]);
    const listed = [...byHolder].map(([holder, roles]) => `${holder} (${roles.join(", ")})`).join(", ");
    const at = assignments[Math.min(PRIVILEGED_ASSIGNMENTS_ADVISED_BELOW - 1, assignments.length - 1)];
    ctx.warning(
        "many-privileged-roles",
        at ? at.path : ["users"],
        `${total} privileged role assignments: ${listed}; Microsoft advises fewer than ${PRIVILEGED_ASSIGNMENTS_ADVISED_BELOW} (its "Privileged roles and permissions" best practices): give some people a role that is not privileged (see Admin roles in docs/users-yaml-reference.md)`,
    );
};
