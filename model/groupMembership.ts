import type { ExistingGroupRef } from "./resolve";
import { yamlScalar } from "./yamlScalar";

/**
 * The properties of a group that decide whether Graph can change its members: what the azuread provider's `getGroup`
 * returns, and Graph's group resource as the doctor reads it. Pure, so that both can use it.
 */
export interface GroupKind {
    mailEnabled: boolean;
    securityEnabled: boolean;
    /** groupTypes: "Unified" (a Microsoft 365 group), "DynamicMembership" */
    types: string[];
    onpremisesSyncEnabled: boolean;
}

/**
 * Why members cannot be added to this group through Microsoft Graph (so ExistingGroupMembers would fail
 * at `pulumi up`), with what to do instead; undefined when they can. Sources: "Working with groups in Microsoft
 * Graph" (mail-enabled security groups and distribution groups are read-only through Graph; Microsoft 365
 * groups, groupTypes "Unified", are not), dynamic membership groups (groupTypes "DynamicMembership": members
 * follow the rule), and groups synced from on-premises Active Directory (onPremisesSyncEnabled: changed there).
 */
export function whyMembersCannotBeAdded(group: GroupKind): string | undefined {
    const types = group.types ?? [];
    if (types.includes("DynamicMembership")) {
        return "has dynamic membership: Entra adds and removes members by its rule, so they cannot be set; take it out of users.yaml, and give people the attributes its rule matches instead";
    }
    if (group.onpremisesSyncEnabled) {
        return "is synced from on-premises Active Directory, so its members can only change there; take it out of users.yaml and manage it in Active Directory, or use a cloud group";
    }
    if (group.mailEnabled && !types.includes("Unified")) {
        const kind = group.securityEnabled ? "a mail-enabled security group" : "a distribution list";
        return `is ${kind}, whose members Microsoft Graph cannot change (only Exchange can); take it out of users.yaml and manage it in the Exchange admin center, or use a security group or a Microsoft 365 group instead`;
    }
    return undefined;
}

/** Why a role-assignable group is refused (it is not acknowledged), with the lines that acknowledge it; else undefined. */
export function whyRoleAssignableIsRefused(group: Pick<ExistingGroupRef, "name" | "grantsRoles">, assignableToRole: boolean): string | undefined {
    if (!assignableToRole || group.grantsRoles) return undefined;
    return (
        `is role-assignable (isAssignableToRole): its members hold every directory role assigned to it, so adding people grants them those roles (npm run doctor lists them). ` +
        `If the reviewer accepts that, acknowledge it at the top level of users.yaml (under the existing existingGroups: if there is one): existingGroups: { ${yamlScalar(group.name)}: { grantsRoles: true } }`
    );
}
