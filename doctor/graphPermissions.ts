import type { Check } from "./check";
import type { Identity } from "./identity";

/**
 * A Microsoft Graph application permission the stack needs, as the alternatives that each satisfy it: the
 * application permissions each call's Graph reference page lists (least privileged first), the same lists the Graph
 * emulator enforces (emulator/graph/*.ts).
 */
export interface PermissionNeed {
    /** What it is for, e.g. "creating and updating users". */
    purpose: string;
    /** Any one of these, in the token's `roles` claim, is enough; the first is the one to grant. */
    anyOf: readonly string[];
}

/** What the stack's users.yaml and settings make the program call. */
export interface GraphUse {
    /** users.yaml gives someone a licence: subscriptions and seats are read, licences assigned. */
    licences: boolean;
    /** the service account is managed without serviceAccountDomain: the initial domain is looked up. */
    initialDomainLookup: boolean;
}

const DIRECTORY_READ = ["Directory.Read.All", "Directory.ReadWrite.All"];

/**
 * The deploying identity's needs (docs/ci-and-permissions.md, "Permissions the deploying identity needs"), each with its Graph reference:
 * "Create user"/"Update user" (User.ReadWrite.All), "Create group"/"Add members" (Group.ReadWrite.All),
 * "Create unifiedRoleAssignment" (RoleManagement.ReadWrite.Directory), "user: assignLicense"
 * (LicenseAssignment.ReadWrite.All), "List subscribedSkus" (Organization.Read.All), "user: revokeSignInSessions"
 * (User.RevokeSessions.All), "List domains" (Domain.Read.All).
 */
export function deployingNeeds(use: GraphUse): PermissionNeed[] {
    return [
        { purpose: "creating and updating users", anyOf: ["User.ReadWrite.All", "Directory.ReadWrite.All"] },
        { purpose: "creating groups and their memberships", anyOf: ["Group.ReadWrite.All", "Directory.ReadWrite.All"] },
        { purpose: "admin role assignments", anyOf: ["RoleManagement.ReadWrite.Directory"] },
        ...(use.licences
            ? [
                  { purpose: "licences: the tenant's subscriptions and free seats", anyOf: ["Organization.Read.All", "Organization.ReadWrite.All", ...DIRECTORY_READ] },
                  { purpose: "licences: assigning and removing them", anyOf: ["LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"] },
              ]
            : []),
        // Offboarding can come in any later pull request: the deploying identity needs it from the start.
        { purpose: "ending an offboarded user's sign-in sessions", anyOf: ["User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"] },
        ...(use.initialDomainLookup ? [{ purpose: "finding the initial onmicrosoft.com domain for the service account", anyOf: ["Domain.Read.All", "Domain.ReadWrite.All", ...DIRECTORY_READ] }] : []),
    ];
}

/** The read-only identity's needs: what `pulumi preview` and the drift check read (docs/ci-and-permissions.md, "The read-only identity"). */
export function readOnlyNeeds(use: GraphUse): PermissionNeed[] {
    return [
        { purpose: "reading users and the accounts users.yaml adopts", anyOf: ["User.Read.All", "User.ReadWrite.All", ...DIRECTORY_READ] },
        { purpose: "reading groups and their members", anyOf: ["Group.Read.All", "Group.ReadWrite.All", ...DIRECTORY_READ] },
        { purpose: "reading the directory roles of adopted accounts and role-assignable groups", anyOf: ["RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory", ...DIRECTORY_READ] },
        ...(use.licences ? [{ purpose: "licences: the tenant's subscriptions and free seats", anyOf: ["Organization.Read.All", "Organization.ReadWrite.All", ...DIRECTORY_READ] }] : []),
        ...(use.initialDomainLookup ? [{ purpose: "finding the initial onmicrosoft.com domain for the service account", anyOf: ["Domain.Read.All", "Domain.ReadWrite.All", ...DIRECTORY_READ] }] : []),
    ];
}

/**
 * Whether the token's application permissions (its `roles` claim) cover the needs. Names are compared ignoring
 * case, as the emulator does; Entra writes them as in the reference.
 */
export function permissionsCheck(identity: Identity, roles: readonly string[], needs: readonly PermissionNeed[], app: { clientId?: string; delegated?: boolean }): Check {
    if (app.delegated) {
        return {
            id: "entra.permissions",
            section: "Entra ID",
            title: "Graph permissions",
            verdict: "warn",
            detail: "signed in as a user (the Azure CLI's account): a user's rights come from their directory roles, not from application permissions, so these were not checked",
            advice: ["To check the app CI deploys with, run the doctor with its credentials: ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET (or OIDC in CI)."],
        };
    }
    const held = new Set(roles.map((r) => r.toLowerCase()));
    const missing = needs.filter((n) => !n.anyOf.some((p) => held.has(p.toLowerCase())));
    const base = { id: "entra.permissions", section: "Entra ID" as const, title: "Graph permissions" };
    const app_ = app.clientId ? `app ${app.clientId}` : "the app";
    if (missing.length > 0) {
        const toGrant = [...new Set(missing.map((m) => m.anyOf[0]))];
        return {
            ...base,
            verdict: "fail",
            detail: `the token lacks ${missing.map((m) => `${m.anyOf[0]} (${m.purpose})`).join(", ")}; it carries ${roles.length ? [...roles].sort().join(", ") : "no application permissions"}`,
            advice: [
                `In the Microsoft Entra admin center: App registrations > ${app_} > API permissions > Add a permission > Microsoft Graph > Application permissions: ${toGrant.join(", ")}.`,
                `Then "Grant admin consent for <tenant>" on the same page (a Privileged Role Administrator or Global Administrator must do it), or: az ad app permission admin-consent --id ${app.clientId ?? "<client id>"}.`,
                "A new token carries the new permissions: run the doctor again after a minute.",
            ],
        };
    }
    const writes = identity === "read-only" ? roles.filter((r) => /ReadWrite|RevokeSessions/i.test(r)).sort() : [];
    if (writes.length > 0) {
        return {
            ...base,
            verdict: "warn",
            detail: `covers what previews read (${needs.map((n) => n.purpose).join("; ")}), but the read-only identity can also write: ${writes.join(", ")}`,
            advice: [`Remove ${writes.join(", ")} from ${app_} (App registrations > API permissions): pull requests' code runs as this identity once a preview is approved.`],
        };
    }
    return { ...base, verdict: "pass", detail: `the token's application permissions cover ${needs.map((n) => n.purpose).join("; ")}` };
}
