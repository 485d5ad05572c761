import type { Client } from "@microsoft/microsoft-graph-client";
import { allPages } from "./client";

/**
 * Licences and sign-in sessions through Microsoft Graph v1.0. Shapes and permissions from Graph's reference:
 * subscribedSku resource (GET /subscribedSkus: Organization.Read.All or LicenseAssignment.Read.All),
 * user: assignLicense (LicenseAssignment.ReadWrite.All, or User.ReadWrite.All), licenseAssignmentState resource,
 * user: revokeSignInSessions (User.RevokeSessions.All, or User.ReadWrite.All).
 */

/** A subscription the tenant holds (subscribedSku). */
export interface SubscribedSku {
    skuId: string;
    skuPartNumber: string;
    capabilityStatus: string;
    consumedUnits: number;
    prepaidUnits: { enabled: number; suspended?: number; warning?: number; lockedOut?: number };
    servicePlans: { servicePlanId: string; servicePlanName: string; appliesTo?: string }[];
}

/** A licence as a user holds it (licenseAssignmentState); `assignedByGroup` is null for a direct assignment. */
export interface LicenseAssignmentState {
    skuId: string;
    disabledPlans: string[];
    assignedByGroup: string | null;
    state?: string;
    error?: string;
}

export interface UserLicenses {
    id: string;
    userPrincipalName: string;
    usageLocation?: string | null;
    licenseAssignmentStates: LicenseAssignmentState[];
}

const USER_LICENCE_FIELDS = ["id", "userPrincipalName", "usageLocation", "licenseAssignmentStates"];

export async function listSubscribedSkus(client: Client): Promise<SubscribedSku[]> {
    const first = await client.api("/subscribedSkus").version("v1.0").get();
    return allPages<SubscribedSku>(client, first);
}

/** One user's licences (404 Request_ResourceNotFound when Graph does not know the user yet). */
export async function readUserLicenses(client: Client, userId: string): Promise<UserLicenses> {
    const user = await client.api(`/users/${encodeURIComponent(userId)}`).version("v1.0").select(USER_LICENCE_FIELDS).get();
    return { ...user, licenseAssignmentStates: user.licenseAssignmentStates ?? [] };
}

/** Every user's licences, in pages of 999 (the most Graph gives for users): one look-up for the seat count. */
export async function listUsersLicenses(client: Client): Promise<UserLicenses[]> {
    const first = await client.api("/users").version("v1.0").select(USER_LICENCE_FIELDS).top(999).get();
    return (await allPages<UserLicenses>(client, first)).map((u) => ({ ...u, licenseAssignmentStates: u.licenseAssignmentStates ?? [] }));
}

export async function assignLicense(client: Client, userId: string, add: { skuId: string; disabledPlans: readonly string[] }[], remove: readonly string[]): Promise<void> {
    await client
        .api(`/users/${encodeURIComponent(userId)}/assignLicense`)
        .version("v1.0")
        .post({ addLicenses: add.map((a) => ({ skuId: a.skuId, disabledPlans: [...a.disabledPlans] })), removeLicenses: [...remove] });
}

/** Invalidates the user's refresh tokens and session cookies; they must sign in again. */
export async function revokeSignInSessions(client: Client, userId: string): Promise<void> {
    await client.api(`/users/${encodeURIComponent(userId)}/revokeSignInSessions`).version("v1.0").post({});
}

/** A Graph error's status and code, from the client library's GraphError (or anything with those fields). */
export function graphErrorOf(e: unknown): { statusCode?: number; code?: string; message: string } {
    const err = e as { statusCode?: number; code?: string | null; message?: string };
    return { statusCode: err?.statusCode, code: err?.code ?? undefined, message: err?.message ?? String(e) };
}
