import type { Client } from "@microsoft/microsoft-graph-client";
import { allPages } from "./client";
import { chunks, odataString } from "./users";

/** A directory role assignment as Graph returns it (unifiedRoleAssignment). */
export interface DirectoryRoleAssignment {
    /** The unifiedRoleAssignment id. */
    id: string;
    principalId: string;
    /** For built-in roles, the role's template id. */
    roleDefinitionId: string;
    /** "/" for the whole tenant. */
    directoryScopeId: string;
}

/**
 * Every directory role assignment of the given role definitions, in one paged request:
 * GET /v1.0/roleManagement/directory/roleAssignments?$filter=roleDefinitionId in (...)
 * (roleDefinitionId supports $filter eq and in: Graph's unifiedRoleAssignment reference). Filtering by role
 * rather than by person keeps the query short whatever the number of people: users.yaml names few roles.
 * Needs RoleManagement.Read.Directory (or RoleManagement.ReadWrite.Directory, which the deployment has anyway).
 */
export async function listDirectoryRoleAssignments(client: Client, roleDefinitionIds: readonly string[]): Promise<DirectoryRoleAssignment[]> {
    if (roleDefinitionIds.length === 0) return [];
    const quoted = [...new Set(roleDefinitionIds)].map(quote).join(",");
    return roleAssignmentsWhere(client, `roleDefinitionId in (${quoted})`);
}

/** Every directory role assignment of one principal (principalId supports $filter eq; same permission). */
export function listRoleAssignmentsOf(client: Client, principalId: string): Promise<DirectoryRoleAssignment[]> {
    return roleAssignmentsWhere(client, `principalId eq ${quote(principalId)}`);
}

/**
 * Every directory role assignment held directly by any of these principals (users, role-assignable groups), one
 * request per 15 of them: $filter=principalId in ('a','b') (unifiedRoleAssignment resource type: principalId
 * "Supports $filter (eq, in)"; the 15 values of an `in` clause as in graph/users.ts). Same permission.
 * Assignments a user holds through a role-assignable group are listed under the group, not the user.
 */
export async function listRoleAssignmentsOfPrincipals(client: Client, principalIds: readonly string[]): Promise<DirectoryRoleAssignment[]> {
    const unique = [...new Set(principalIds.map((id) => id.toLowerCase()))];
    const pages = await Promise.all(chunks(unique).map((chunk) => roleAssignmentsWhere(client, `principalId in (${chunk.map(quote).join(",")})`)));
    return pages.flat();
}

const quote = odataString;

async function roleAssignmentsWhere(client: Client, filter: string): Promise<DirectoryRoleAssignment[]> {
    const first = await client.api("/roleManagement/directory/roleAssignments").version("v1.0").filter(filter).select(["id", "principalId", "roleDefinitionId", "directoryScopeId"]).get();
    return allPages<DirectoryRoleAssignment>(client, first);
}
