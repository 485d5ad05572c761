import type { DirectoryRoleAssignment } from "./roleAssignments";

/**
 * What the program reads from Entra through Microsoft Graph, beyond what the azuread provider's data sources
 * give. An interface so that offline runs (`npm run plan`, tests under Pulumi's mocks) answer from fixtures
 * and the next capability (licences) can add its look-ups beside these.
 */
export interface DirectoryReader {
    /** Directory role assignments of these role definitions (template ids for built-in roles). */
    roleAssignments(roleDefinitionIds: readonly string[]): Promise<DirectoryRoleAssignment[]>;
}
