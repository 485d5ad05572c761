import type { Client } from "@microsoft/microsoft-graph-client";

/** When a user was created and when its password was last set (by the user, or by an admin). */
export interface PasswordDates {
    createdDateTime: string;
    lastPasswordChangeDateTime: string;
}

/** "Get user" with $select: both properties are returned only when selected (user resource type, v1.0). */
export async function readPasswordDates(client: Client, userId: string): Promise<PasswordDates> {
    const user = (await client.api(`/users/${encodeURIComponent(userId)}`).select(["id", "createdDateTime", "lastPasswordChangeDateTime"]).get()) as PasswordDates;
    return { createdDateTime: user.createdDateTime, lastPasswordChangeDateTime: user.lastPasswordChangeDateTime };
}

/**
 * Sets a new password that the user must change at the next sign-in: PATCH /users/{id} with passwordProfile ("Update
 * user", example "Update the passwordProfile of a user and reset their password"). App-only, the caller needs
 * User-PasswordProfile.ReadWrite.All or User.ReadWrite.All and a directory role that may reset this user's password:
 * User Administrator for a user without an admin role, Privileged Authentication Administrator for an admin ("Who
 * can perform sensitive actions"). The password is sent in the body only; nothing here logs it.
 */
export async function resetPassword(client: Client, userId: string, password: string): Promise<void> {
    await client.api(`/users/${encodeURIComponent(userId)}`).patch({ passwordProfile: { forceChangePasswordNextSignIn: true, password } });
}
