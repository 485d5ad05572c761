/** What a tenant holds before the first call: read from a seed file or built by a test. */
export interface GraphSeed {
    tenant: {
        /** the directory (tenant) id: the token endpoint's path and the token's `tid` */
        id: string;
        displayName: string;
        /** the initial <name>.onmicrosoft.com domain */
        initialDomain: string;
        /** other verified domains */
        domains?: string[];
    };
    /** app registrations that may get tokens (client credentials), each with its admin-consented application permissions */
    apps: SeedApp[];
    /** default 3599, as Entra issues app tokens for about an hour */
    tokenLifetimeSeconds?: number;
    skus: SeedSku[];
    users: SeedUser[];
    groups?: SeedGroup[];
    roleAssignments?: SeedRoleAssignment[];
    /** Key Vaults this emulator also serves (keyVault.ts), each with the apps allowed to set secrets in it */
    vaults?: SeedVault[];
}

export interface SeedVault {
    /** the vault's name (https://<name>.vault.azure.net); served at {emulator}/keyvault/<name> */
    name: string;
    /** client ids of the apps holding a role with Microsoft.KeyVault/vaults/secrets/setSecret/action (e.g. Key Vault Secrets Officer) */
    secretWriters: string[];
}

export interface SeedApp {
    clientId: string;
    clientSecret: string;
    displayName?: string;
    /** the app's service principal: the token's `oid`; default a fixed id derived from clientId */
    servicePrincipalId?: string;
    /** application permissions granted, the token's `roles` claim, e.g. ["User.ReadWrite.All", "Organization.Read.All"] */
    roles: string[];
}

export interface SeedSku {
    skuId: string;
    skuPartNumber: string;
    /** default "Enabled" */
    capabilityStatus?: "Enabled" | "Warning" | "Suspended" | "Deleted" | "LockedOut";
    /** default "User" */
    appliesTo?: "User" | "Company";
    prepaidUnits: { enabled: number; suspended?: number; warning?: number; lockedOut?: number };
    /** seats in use; default: the seeded users holding the SKU. More stands for users the seed does not list. */
    consumedUnits?: number;
    servicePlans: { servicePlanId: string; servicePlanName: string; provisioningStatus?: string; appliesTo?: "User" | "Company" }[];
}

export interface SeedUser {
    id: string;
    userPrincipalName: string;
    displayName: string;
    givenName?: string;
    surname?: string;
    mail?: string;
    jobTitle?: string;
    mobilePhone?: string;
    /** default true */
    accountEnabled?: boolean;
    /** true for an account synced from on-premises Active Directory; default null (made in the cloud) */
    onPremisesSyncEnabled?: boolean;
    /** ISO 3166-1 alpha-2; licences cannot be assigned directly without it */
    usageLocation?: string;
    /** direct assignments (no assignedByGroup) and group-based ones (assignedByGroup: the group's id) */
    licenses?: { skuId: string; disabledPlans?: string[]; assignedByGroup?: string }[];
    /** answers 404 to this many requests naming the user, as Graph does right after creation (eventual consistency) */
    hiddenForRequests?: number;
    /** ISO 8601; default the time the emulator started (or the user was added) */
    createdDateTime?: string;
    /** ISO 8601; default createdDateTime (the password it was created with) */
    lastPasswordChangeDateTime?: string;
}

export interface SeedGroup {
    id: string;
    displayName: string;
    description?: string;
    /** default true */
    securityEnabled?: boolean;
    /** default false */
    mailEnabled?: boolean;
    /** default [] (a security group); ["Unified"] for a Microsoft 365 group */
    groupTypes?: string[];
    mailNickname?: string;
    /** object ids of its direct members (users) */
    members?: string[];
    /** default false; true for a role-assignable group (its members hold the directory roles assigned to it) */
    isAssignableToRole?: boolean;
}

export interface SeedRoleAssignment {
    /** default derived from role and principal, like Graph's */
    id?: string;
    principalId: string;
    /** for built-in roles, the role template id */
    roleDefinitionId: string;
    /** default "/" (the whole tenant) */
    directoryScopeId?: string;
}

/** One licence assignment held by a user: direct when assignedByGroup is null. */
export interface LicenseAssignment {
    skuId: string;
    disabledPlans: string[];
    assignedByGroup: string | null;
    lastUpdatedDateTime: string;
}

export interface GraphUser extends Omit<SeedUser, "licenses" | "hiddenForRequests" | "accountEnabled"> {
    accountEnabled: boolean;
    licenses: LicenseAssignment[];
    hiddenForRequests: number;
    /** set by revokeSignInSessions */
    signInSessionsValidFromDateTime?: string;
    /** when the user was created (ISO 8601, whole seconds) */
    createdDateTime: string;
    /** when the password was last set, by the user or an admin; the creation time until then */
    lastPasswordChangeDateTime: string;
    /** the last password an admin set (PATCH passwordProfile): Graph never returns it, tests read it here */
    passwordProfile?: { password: string; forceChangePasswordNextSignIn: boolean };
}

export interface GraphSku extends Required<Omit<SeedSku, "prepaidUnits" | "consumedUnits">> {
    prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
    consumedUnits: number;
}

export interface CallRecord {
    method: string;
    path: string;
    /** the decoded query string without "?", "" when none */
    query: string;
    /** Graph calls: the parsed JSON body; never recorded for the token endpoint (it carries the client secret) */
    body?: unknown;
    status: number;
    /** the app (client id) whose token made the call, when it had a valid one */
    clientId?: string;
    at: number;
}

export type Fault =
    /** 429 Too Many Requests with Retry-After (seconds) */
    | { kind: "throttle"; retryAfterSeconds?: number }
    /** 503 Service Unavailable with Retry-After (seconds) */
    | { kind: "unavailable"; retryAfterSeconds?: number }
    /** 404 Request_ResourceNotFound naming the path's first id: a replica that does not know the object yet */
    | { kind: "notFound" };
