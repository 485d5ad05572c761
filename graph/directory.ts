import type { SubscribedSku, UserLicenses } from "./licenses";
import type { DirectoryRoleAssignment } from "./roleAssignments";

/**
 * What the program reads from Entra through Microsoft Graph, beyond what the azuread provider's data sources
 * give. An interface so that offline runs (`npm run plan`, tests under Pulumi's mocks) answer from fixtures
 * and the next capability (licences) can add its look-ups beside these.
 */
export interface DirectoryReader {
    /**
     * Set for `npm run plan` without a tenant: there are no real subscriptions to check names and seats against,
     * so the licence look-up takes names from the table of common licences and leaves the rest to the deployment.
     */
    readonly offline?: boolean;
    /** Directory role assignments of these role definitions (template ids for built-in roles). */
    roleAssignments(roleDefinitionIds: readonly string[]): Promise<DirectoryRoleAssignment[]>;
    /** The tenant's subscriptions, with seats and service plans. */
    subscribedSkus(): Promise<SubscribedSku[]>;
    /** Every user's licences (id, UPN, licenseAssignmentStates), for the seat count. */
    usersLicenses(): Promise<UserLicenses[]>;
}
