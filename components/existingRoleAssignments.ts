import type { DirectoryRoleAssignment } from "../graph";
import { ADMIN_ROLE_TEMPLATE_IDS, ResolvedUser } from "../model";

/** Existing tenant-wide role assignments, by `principalObjectId|roleTemplateId` (lower-cased), to their ids. */
export type ExistingRoleAssignments = ReadonlyMap<string, string>;

export const roleAssignmentKey = (principalObjectId: string, roleTemplateId: string) => `${principalObjectId}|${roleTemplateId}`.toLowerCase();

/**
 * The admin role assignments adopted users already hold of the roles users.yaml gives them, so they are imported
 * instead of created (Graph refuses to create an assignment that exists). Taken from the one listing of the adopted
 * accounts' roles (components/adoptedAccounts.ts), not read again. Only tenant-wide assignments (directoryScopeId
 * "/") count: that is what the provider creates by default (directory_role_assignment_resource.go), so an assignment
 * scoped to an administrative unit is left alone.
 */
export function existingRoleAssignmentsOf(assignments: readonly DirectoryRoleAssignment[], users: readonly ResolvedUser[]): ExistingRoleAssignments {
    const wanted = new Set(users.filter((u) => u.objectId !== undefined).flatMap((u) => u.adminRoles.map((r) => roleAssignmentKey(u.objectId!, ADMIN_ROLE_TEMPLATE_IDS[r]))));
    const found = new Map<string, string>();
    for (const assignment of assignments) {
        const key = roleAssignmentKey(assignment.principalId, assignment.roleDefinitionId);
        if (assignment.directoryScopeId === "/" && wanted.has(key)) found.set(key, assignment.id);
    }
    return found;
}

/**
 * The provider's id for a role assignment, which its importer validates: /roleManagement/directory/roleAssignments/{id}
 * (go-azure-sdk stable.RoleManagementDirectoryRoleAssignmentId, used by terraform-provider-azuread v3).
 */
export const roleAssignmentImportId = (assignmentId: string) => `/roleManagement/directory/roleAssignments/${assignmentId}`;
