import * as pulumi from "@pulumi/pulumi";
import { DirectoryReader } from "../graph";
import { ADMIN_ROLE_TEMPLATE_IDS, ResolvedUser } from "../model";

/** Existing tenant-wide role assignments, by `principalObjectId|roleTemplateId` (lower-cased), to their ids. */
export type ExistingRoleAssignments = ReadonlyMap<string, string>;

export const roleAssignmentKey = (principalObjectId: string, roleTemplateId: string) => `${principalObjectId}|${roleTemplateId}`.toLowerCase();

/**
 * The admin role assignments adopted users already hold, so they are imported instead of created (Graph refuses
 * to create an assignment that exists). One look-up for all of them, by the roles they hold in users.yaml;
 * none at all when no adopted user has an admin role, so such a deployment needs no extra Graph permission.
 * Only tenant-wide assignments (directoryScopeId "/") count: that is what the provider creates by default
 * (directory_role_assignment_resource.go), so an assignment scoped to an administrative unit is left alone.
 */
export async function lookupExistingRoleAssignments(reader: DirectoryReader, users: readonly ResolvedUser[]): Promise<ExistingRoleAssignments> {
    const adopted = users.filter((u) => u.objectId !== undefined && u.adminRoles.length > 0);
    const found = new Map<string, string>();
    if (adopted.length === 0) return found;
    const principals = new Set(adopted.map((u) => u.objectId!.toLowerCase()));
    const roles = [...new Set(adopted.flatMap((u) => u.adminRoles.map((r) => ADMIN_ROLE_TEMPLATE_IDS[r])))].sort();
    let assignments;
    try {
        assignments = await reader.roleAssignments(roles);
    } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new pulumi.RunError(
            `cannot read the admin roles adopted users already hold (${adopted.map((u) => u.key).join(", ")}); nothing was changed: ${why}\n` +
                "The deploying identity needs the Graph application permission RoleManagement.Read.Directory (or RoleManagement.ReadWrite.Directory), and the same credentials as the azuread provider (ARM_TENANT_ID, ARM_CLIENT_ID with ARM_USE_OIDC=true or ARM_CLIENT_SECRET, or az login).",
        );
    }
    for (const assignment of assignments) {
        if (assignment.directoryScopeId !== "/" || !principals.has(assignment.principalId.toLowerCase())) continue;
        found.set(roleAssignmentKey(assignment.principalId, assignment.roleDefinitionId), assignment.id);
    }
    return found;
}

/**
 * The provider's id for a role assignment, which its importer validates: /roleManagement/directory/roleAssignments/{id}
 * (go-azure-sdk stable.RoleManagementDirectoryRoleAssignmentId, used by terraform-provider-azuread v3).
 */
export const roleAssignmentImportId = (assignmentId: string) => `/roleManagement/directory/roleAssignments/${assignmentId}`;
