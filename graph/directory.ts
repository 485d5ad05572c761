import type { SubscribedSku, UserLicenses } from "./licenses";
import type { DirectoryRoleAssignment } from "./roleAssignments";
import type { RoleAssignableGroup } from "./groups";
import type { DirectoryUser } from "./users";

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
    /**
     * Set for `npm run plan` without a tenant: existing accounts cannot be read, so adopted accounts are not checked
     * (`pulumi preview` and `pulumi up` always read them).
     */
    readonly withoutAccounts?: boolean;
    /** The users with these object ids (an unknown id is absent from the answer). */
    usersById(objectIds: readonly string[]): Promise<DirectoryUser[]>;
    /** Directory role assignments held directly by these principals (users, role-assignable groups). */
    roleAssignmentsOf(principalIds: readonly string[]): Promise<DirectoryRoleAssignment[]>;
    /** Every role-assignable group of the tenant. */
    roleAssignableGroups(): Promise<RoleAssignableGroup[]>;
    /** A group's direct members, object ids lower-cased. */
    groupMemberIds(groupId: string): Promise<string[]>;
    /** The tenant's subscriptions, with seats and service plans. */
    subscribedSkus(): Promise<SubscribedSku[]>;
    /** Every user's licences (id, UPN, licenseAssignmentStates), for the seat count. */
    usersLicenses(): Promise<UserLicenses[]>;
}
