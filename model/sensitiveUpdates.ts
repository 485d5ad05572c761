import type { ResolvedUser } from "./resolve";

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
 * admin role is one, whatever field changed.
 */
export function isSensitiveUpdate(user: Pick<ResolvedUser, "adminRoles" | "suspendedAdminRoles">, before?: Pick<ResolvedUser, "adminRoles">): boolean {
    return user.adminRoles.length > 0 || user.suspendedAdminRoles.length > 0 || (before?.adminRoles.length ?? 0) > 0;
}
