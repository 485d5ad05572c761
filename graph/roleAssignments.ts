import type { Client } from "@microsoft/microsoft-graph-client";
import { allPages } from "./client";

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
    const quoted = [...new Set(roleDefinitionIds)].map((id) => `'${id.replace(/'/g, "''")}'`).join(",");
    const first = await client
        .api("/roleManagement/directory/roleAssignments")
        .version("v1.0")
        .filter(`roleDefinitionId in (${quoted})`)
        .select(["id", "principalId", "roleDefinitionId", "directoryScopeId"])
        .get();
    return allPages<DirectoryRoleAssignment>(client, first);
}
