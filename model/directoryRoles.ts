import { ADMIN_ROLE_TEMPLATE_IDS, isPrivilegedRole, PRIVILEGED_ROLE_TEMPLATE_IDS } from "./adminRoles";

/** A directory role a principal holds directly, as read from Graph (a unifiedRoleAssignment). */
export interface HeldRole {
    /** The role's display name, or `role <id>` for one this program does not know by name (a custom role). */
    name: string;
    /** The role definition id: the template id for a built-in role. */
    roleDefinitionId: string;
    /** Microsoft's classification (model/adminRoles.ts isPrivilegedRole). */
    privileged: boolean;
    /** "/" for the whole tenant, else e.g. "/administrativeUnits/<id>". */
    directoryScopeId: string;
    /** Held as a member of this role-assignable group (its display name), not assigned directly. */
    throughGroup?: string;
}

const NAMES_BY_TEMPLATE_ID = new Map<string, string>([
    ...Object.entries(ADMIN_ROLE_TEMPLATE_IDS).map(([name, id]): [string, string] => [id.toLowerCase(), name]),
    ...Object.entries(PRIVILEGED_ROLE_TEMPLATE_IDS).map(([id, name]): [string, string] => [id.toLowerCase(), name]),
]);

/** The display name of a built-in role by its template id, or `role <id>`. */
export const roleNameOf = (roleDefinitionId: string) => NAMES_BY_TEMPLATE_ID.get(roleDefinitionId.toLowerCase()) ?? `role ${roleDefinitionId}`;

/**
 * The roles in these assignments, privileged first, then by name; one entry per role, scope and group. An assignment
 * with `throughGroup` is held as a member of that role-assignable group.
 */
export function heldRoles(assignments: readonly { roleDefinitionId: string; directoryScopeId: string; throughGroup?: string }[]): HeldRole[] {
    const seen = new Set<string>();
    const roles: HeldRole[] = [];
    for (const a of assignments) {
        const id = `${a.roleDefinitionId.toLowerCase()}|${a.directoryScopeId}|${a.throughGroup ?? ""}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const role = { name: roleNameOf(a.roleDefinitionId), roleDefinitionId: a.roleDefinitionId, privileged: isPrivilegedRole(a.roleDefinitionId), directoryScopeId: a.directoryScopeId };
        roles.push(a.throughGroup === undefined ? role : { ...role, throughGroup: a.throughGroup });
    }
    return roles.sort((a, b) => Number(b.privileged) - Number(a.privileged) || a.name.localeCompare(b.name) || a.directoryScopeId.localeCompare(b.directoryScopeId));
}

/**
 * "Helpdesk Administrator (privileged), Reports Reader (scoped to /administrativeUnits/…)", or "no directory role".
 * A group's name is quoted as JSON: it comes from Entra, and cannot start a new line of the output.
 */
export function describeRoles(roles: readonly HeldRole[]): string {
    if (roles.length === 0) return "no directory role";
    return roles
        .map((r) => {
            const notes = [
                ...(r.privileged ? ["privileged"] : []),
                ...(r.directoryScopeId === "/" ? [] : [`scoped to ${r.directoryScopeId}`]),
                ...(r.throughGroup === undefined ? [] : [`through group ${JSON.stringify(r.throughGroup)}`]),
            ];
            return notes.length ? `${r.name} (${notes.join(", ")})` : r.name;
        })
        .join(", ");
}
