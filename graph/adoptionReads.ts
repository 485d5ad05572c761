import type { DirectoryReader } from "./directory";
import type { DirectoryRoleAssignment } from "./roleAssignments";
import type { DirectoryUser } from "./users";

/** A role held as a member of a role-assignable group. */
export interface RoleThroughGroup {
    roleDefinitionId: string;
    directoryScopeId: string;
    /** the group's display name */
    throughGroup: string;
}

/** What Entra holds about the accounts users.yaml adopts and the role-assignable groups it names. */
export interface AdoptionFacts {
    /** The adopted accounts found (an unknown id is absent); undefined when accounts were not read. */
    accounts?: DirectoryUser[];
    /** Every role assignment held directly by an adopted account, a named group, or a role-assignable group of the tenant. */
    assignments: DirectoryRoleAssignment[];
    /** By member object id (lower-cased): the roles they hold through the tenant's role-assignable groups. */
    throughGroups: ReadonlyMap<string, RoleThroughGroup[]>;
}

type Reads = Pick<DirectoryReader, "usersById" | "roleAssignmentsOf" | "roleAssignableGroups" | "groupMemberIds">;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The reads `pulumi preview`, `pulumi up` and the doctor share, in as few requests as Graph allows: the adopted
 * accounts by id (per 15) and the tenant's role-assignable groups, at once; then one listing of the roles held by
 * the accounts, the groups users.yaml names and those role-assignable groups (per 15 principals); then the members
 * of the role-assignable groups that carry a role, since their members hold it without an assignment of their own.
 * Without `readAccounts` (offline, or nobody adopted) only the named groups' roles are listed.
 */
export async function readAdoptionFacts(reader: Reads, adoptedIds: readonly string[], namedGroupIds: readonly string[], readAccounts: boolean): Promise<AdoptionFacts> {
    const [accounts, roleGroups] = await Promise.all([
        readAccounts ? reader.usersById(adoptedIds) : Promise.resolve(undefined),
        readAccounts ? reader.roleAssignableGroups() : Promise.resolve([]),
    ]);
    const principals = [...new Set([...adoptedIds, ...namedGroupIds, ...roleGroups.map((g) => g.id)].map((id) => id.toLowerCase()))];
    const assignments = principals.length ? await reader.roleAssignmentsOf(principals) : [];
    const carrying = roleGroups.filter((g) => assignments.some((a) => same(a.principalId, g.id)));
    const members = await Promise.all(carrying.map((g) => reader.groupMemberIds(g.id)));
    const throughGroups = new Map<string, RoleThroughGroup[]>();
    carrying.forEach((group, i) => {
        const roles = assignments.filter((a) => same(a.principalId, group.id)).map((a) => ({ roleDefinitionId: a.roleDefinitionId, directoryScopeId: a.directoryScopeId, throughGroup: group.displayName }));
        for (const member of members[i].map((m) => m.toLowerCase())) throughGroups.set(member, [...(throughGroups.get(member) ?? []), ...roles]);
    });
    return { accounts, assignments, throughGroups };
}
