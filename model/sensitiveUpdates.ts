import type { FirmModel, ResolvedUser } from "./resolve";

/**
 * The user properties Microsoft Graph treats as sensitive ("Who can perform sensitive actions", Working with
 * users in Microsoft Graph): changing them on a user who holds an admin role needs the caller to hold an admin
 * role at least as privileged; for an app-only identity, a directory role assigned to the app itself.
 */
export const SENSITIVE_USER_PROPERTIES = ["accountEnabled", "businessPhones", "mobilePhone", "otherMails", "onPremisesImmutableId", "passwordProfile", "userPrincipalName"] as const;

/**
 * The directory role that lets the deploying identity make sensitive updates to any user, Global Administrators
 * included (the least privileged role that covers every admin role users.yaml can assign).
 */
export const ROLE_FOR_SENSITIVE_UPDATES = "Privileged Authentication Administrator";

/**
 * Whether `pulumi up` updating this user's Entra record is a sensitive update. terraform-provider-azuread
 * v3.8 sends accountEnabled, mobilePhone, otherMails and userPrincipalName in every user update
 * (user_resource.go, userResourceUpdate), so any change to the record of someone who holds, or is losing, an
 * admin role is one, whatever field changed. So is a change to someone in a role-assignable group, with or
 * without an admin role of their own: Microsoft's table lists "User (no admin role, but member or owner of a
 * role-assignable group)" among those only Privileged Authentication and Global Administrators may update.
 */
export function isSensitiveUpdate(user: Pick<ResolvedUser, "adminRoles" | "suspendedAdminRoles">, before?: Pick<ResolvedUser, "adminRoles">, inRoleAssignableGroup = false): boolean {
    return inRoleAssignableGroup || user.adminRoles.length > 0 || user.suspendedAdminRoles.length > 0 || (before?.adminRoles.length ?? 0) > 0;
}

/** The groups users.yaml acknowledges as role-assignable (existingGroups.<name>.grantsRoles) that it puts this user in. */
export function roleAssignableGroupsOf(user: Pick<ResolvedUser, "groups">, model: Pick<FirmModel, "existingGroups">): string[] {
    const roleGroups = new Set(model.existingGroups.filter((g) => g.grantsRoles).map((g) => g.name.toLowerCase()));
    return user.groups.filter((g) => roleGroups.has(g.toLowerCase()));
}
