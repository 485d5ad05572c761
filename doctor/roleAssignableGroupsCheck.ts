import type { ExistingGroupRef } from "../model";
import { describeRoles, type HeldRole } from "../model/directoryRoles";
import { whyRoleAssignableIsRefused } from "../model/groupMembership";
import type { Check } from "./check";
import type { GraphGroup } from "./existingGroupsCheck";

/**
 * The existing groups users.yaml names that are role-assignable (isAssignableToRole), with the directory roles each
 * carries: putting someone in one grants them those roles. Unacknowledged ones fail, as `pulumi up` refuses them
 * (components/existingGroups.ts); acknowledged ones pass and are listed with their roles, for the reviewer; an
 * acknowledgement on a group that is not role-assignable warns. Groups that are missing or ambiguous are the
 * "Existing groups" check's to report.
 */
export function roleAssignableGroupsCheck(groups: readonly ExistingGroupRef[], found: ReadonlyMap<string, GraphGroup>, roles: ReadonlyMap<string, HeldRole[]> | { error: string }): Check {
    const base = { id: "entra.roleAssignableGroups", section: "Entra ID" as const, title: "Role-assignable groups" };
    const roleAssignable = groups.filter((g) => found.get(g.name.toLowerCase())?.isAssignableToRole === true);
    const stale = groups.filter((g) => g.grantsRoles && found.get(g.name.toLowerCase())?.isAssignableToRole === false);
    if (roleAssignable.length === 0 && stale.length === 0) {
        return { ...base, verdict: "pass", detail: groups.length === 0 ? "users.yaml names no existing group" : "none of the existing groups users.yaml names is role-assignable" };
    }
    const carries = (g: ExistingGroupRef) => ("error" in roles ? "its roles could not be read" : `carries ${describeRoles(roles.get(found.get(g.name.toLowerCase())!.id.toLowerCase()) ?? [])}`);
    const refused = roleAssignable.filter((g) => !g.grantsRoles);
    const accepted = roleAssignable.filter((g) => g.grantsRoles);
    const parts = [
        ...refused.map((g) => `'${g.name}' (${g.where}) is role-assignable and not acknowledged; ${carries(g)}`),
        ...accepted.map((g) => `'${g.name}' is role-assignable, acknowledged (grantsRoles); ${carries(g)}`),
        ...stale.map((g) => `'${g.name}' is acknowledged as granting roles but is not role-assignable`),
    ];
    const advice = [
        ...refused.map((g) => `'${g.name}' ${whyRoleAssignableIsRefused(g, true)}.`),
        ...stale.map((g) => `Remove existingGroups.${g.name}.grantsRoles from users.yaml: the group grants no directory role.`),
        ...("error" in roles ? [`The roles could not be read (${roles.error}): grant RoleManagement.Read.Directory.`] : []),
    ];
    const verdict = refused.length > 0 ? "fail" : stale.length > 0 || "error" in roles ? "warn" : "pass";
    return { ...base, verdict, detail: parts.join("; "), ...(advice.length ? { advice } : {}) };
}
