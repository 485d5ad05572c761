import { createHash } from "node:crypto";
import { resourceNotFound } from "./errors";
import type { GraphSeed, GraphSku, GraphUser, SeedApp, SeedGroup, SeedRoleAssignment, SeedUser, SeedVault } from "./types";

/** One version of a Key Vault secret, as Set Secret stores it. */
export interface VaultSecretVersion {
    version: string;
    value: string;
    contentType?: string;
    tags?: Record<string, string>;
    /** seconds since the epoch, as Key Vault's attributes give them */
    created: number;
}

export interface RoleAssignment {
    id: string;
    principalId: string;
    roleDefinitionId: string;
    directoryScopeId: string;
}

/** The tenant's data: apps and their permissions, SKUs and seats, users and their licences, groups, role assignments. */
export class GraphState {
    readonly tenant: GraphSeed["tenant"];
    readonly apps = new Map<string /* clientId, lower-case */, SeedApp>();
    readonly skus = new Map<string /* skuId, lower-case */, GraphSku>();
    readonly users = new Map<string /* id, lower-case */, GraphUser>();
    readonly groups: Required<SeedGroup>[];
    readonly roleAssignments: RoleAssignment[];
    /** revokeSignInSessions calls per user id */
    readonly revocations = new Map<string, number>();
    /**
     * Member lists a replica shows late, per group id (lower-case): the members as they were when the lag was set,
     * shown to that many more listings (faults.lagMemberList).
     */
    readonly laggingMemberLists = new Map<string, { members: string[]; listings: number }>();
    /** Key Vaults: name (lower-case) → the vault and its secrets (name lower-case → versions, oldest first) */
    readonly vaults = new Map<string, { vault: SeedVault; secrets: Map<string, VaultSecretVersion[]> }>();

    constructor(seed: GraphSeed, now = new Date()) {
        this.tenant = { ...seed.tenant, domains: [...(seed.tenant.domains ?? [])] };
        for (const app of seed.apps) this.apps.set(app.clientId.toLowerCase(), { ...app, roles: [...app.roles] });
        for (const u of seed.users) this.addUser(u, now);
        for (const s of seed.skus) {
            const holders = [...this.users.values()].filter((u) => u.licenses.some((l) => sameId(l.skuId, s.skuId))).length;
            this.skus.set(s.skuId.toLowerCase(), {
                skuId: s.skuId,
                skuPartNumber: s.skuPartNumber,
                capabilityStatus: s.capabilityStatus ?? "Enabled",
                appliesTo: s.appliesTo ?? "User",
                prepaidUnits: { suspended: 0, warning: 0, lockedOut: 0, ...s.prepaidUnits },
                consumedUnits: s.consumedUnits ?? holders,
                servicePlans: s.servicePlans.map((p) => ({ provisioningStatus: "Success", appliesTo: "User", ...p })),
            });
        }
        this.groups = (seed.groups ?? []).map((g) => ({
            description: "",
            securityEnabled: true,
            mailEnabled: false,
            groupTypes: [],
            isAssignableToRole: false,
            mailNickname: g.displayName.replace(/[^A-Za-z0-9]/g, ""),
            ...g,
            members: (g.members ?? []).map((m) => m.toLowerCase()),
        }));
        this.roleAssignments = (seed.roleAssignments ?? []).map(toRoleAssignment);
        for (const vault of seed.vaults ?? []) this.vaults.set(vault.name.toLowerCase(), { vault: { ...vault, secretWriters: [...vault.secretWriters] }, secrets: new Map() });
    }

    /** The latest version of a secret in a vault, if any. */
    secret(vaultName: string, secretName: string): VaultSecretVersion | undefined {
        return this.vaults.get(vaultName.toLowerCase())?.secrets.get(secretName.toLowerCase())?.at(-1);
    }

    /** Assigns a built-in directory role (template id) to a principal, tenant-wide. */
    assignRole(principalId: string, roleDefinitionId: string): void {
        this.roleAssignments.push(toRoleAssignment({ principalId, roleDefinitionId }));
    }

    /** The directory roles (template ids, lower-case) a principal holds tenant-wide. */
    rolesOf(principalId: string): string[] {
        return this.roleAssignments.filter((a) => sameId(a.principalId, principalId) && a.directoryScopeId === "/").map((a) => a.roleDefinitionId.toLowerCase());
    }

    /** As if the user was just created; `hiddenForRequests` makes it answer 404 that many times first. */
    addUser(user: SeedUser, now = new Date()): GraphUser {
        if (this.users.has(user.id.toLowerCase())) throw new Error(`user '${user.id}' already exists`);
        if (this.userByUpn(user.userPrincipalName)) throw new Error(`userPrincipalName '${user.userPrincipalName}' already exists`);
        const createdDateTime = user.createdDateTime ?? now.toISOString().replace(/\.\d+Z$/, "Z");
        const created: GraphUser = {
            ...user,
            createdDateTime,
            lastPasswordChangeDateTime: user.lastPasswordChangeDateTime ?? createdDateTime,
            accountEnabled: user.accountEnabled ?? true,
            hiddenForRequests: user.hiddenForRequests ?? 0,
            licenses: (user.licenses ?? []).map((l) => ({
                skuId: l.skuId,
                disabledPlans: [...(l.disabledPlans ?? [])],
                assignedByGroup: l.assignedByGroup ?? null,
                lastUpdatedDateTime: now.toISOString(),
            })),
        };
        this.users.set(user.id.toLowerCase(), created);
        return created;
    }

    /**
     * The user an id or userPrincipalName names, as a request sees it: 404 when there is none, or while the user is
     * still hidden (each such request uses up one of its hiddenForRequests).
     */
    visibleUser(idOrUpn: string): GraphUser {
        const user = this.users.get(idOrUpn.toLowerCase()) ?? this.userByUpn(idOrUpn);
        if (!user) throw resourceNotFound(idOrUpn);
        if (user.hiddenForRequests > 0) {
            user.hiddenForRequests--;
            throw resourceNotFound(idOrUpn);
        }
        return user;
    }

    /** Users a listing shows: not those still hidden (a listing does not use up hiddenForRequests). */
    listedUsers(): GraphUser[] {
        return [...this.users.values()].filter((u) => u.hiddenForRequests === 0);
    }

    /**
     * The member ids a listing of the group shows now, or 404 for a group not there: while a lag is set, the older
     * list, even of a group deleted since (a replica behind the deletion).
     */
    listedMembers(groupId: string): string[] {
        const lag = this.laggingMemberLists.get(groupId.toLowerCase());
        if (!lag) return this.group(groupId).members;
        if (--lag.listings === 0) this.laggingMemberLists.delete(groupId.toLowerCase());
        return lag.members;
    }

    /** The group an id names, or 404 as Graph answers. */
    group(id: string): Required<SeedGroup> {
        const group = this.groups.find((g) => sameId(g.id, id));
        if (!group) throw resourceNotFound(id);
        return group;
    }

    sku(skuId: string): GraphSku | undefined {
        return this.skus.get(skuId.toLowerCase());
    }

    /** Sets a SKU's seats, e.g. `{ enabled: consumedUnits }` for "no seat left". */
    setSeats(skuIdOrPartNumber: string, seats: { enabled?: number; consumed?: number }): void {
        const sku = this.sku(skuIdOrPartNumber) ?? [...this.skus.values()].find((s) => s.skuPartNumber.toLowerCase() === skuIdOrPartNumber.toLowerCase());
        if (!sku) throw new Error(`unknown SKU '${skuIdOrPartNumber}'`);
        if (seats.enabled !== undefined) sku.prepaidUnits.enabled = seats.enabled;
        if (seats.consumed !== undefined) sku.consumedUnits = seats.consumed;
    }

    /** Replaces an app's granted application permissions (tokens issued later carry them). */
    grant(clientId: string, roles: string[]): void {
        const app = this.apps.get(clientId.toLowerCase());
        if (!app) throw new Error(`unknown app '${clientId}'`);
        app.roles = [...roles];
    }

    private userByUpn(upn: string): GraphUser | undefined {
        return [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
    }
}

export const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Graph's directory role assignment ids look like base64 of role and principal; any stable unique string will do. */
function toRoleAssignment(a: SeedRoleAssignment): RoleAssignment {
    const id = a.id ?? createHash("sha256").update(`${a.roleDefinitionId}|${a.principalId}|${a.directoryScopeId ?? "/"}`).digest("base64url").slice(0, 43) + "-1";
    return { id, principalId: a.principalId, roleDefinitionId: a.roleDefinitionId, directoryScopeId: a.directoryScopeId ?? "/" };
}
