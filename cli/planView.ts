import type { PersonSummary } from "../components/firmDirectory";
import { USER_ARGUMENT_NAMES } from "../components/userArguments";
import { ADMIN_ROLE_TEMPLATE_IDS } from "../model";
import { LICENSE_SKUS } from "../model/licenseSkus";
import type { Registration } from "./mockDeployment";

const T = {
    user: "azuread:index/user:User",
    group: "azuread:index/group:Group",
    existingGroupMembers: "pulumi-nodejs:dynamic/entra:ExistingGroupMembers",
    role: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
    directory: "firm:entra:Directory",
    access: "firm:entra:Access",
    serviceAccount: "firm:entra:ServiceAccount",
    vaultSecret: "azure-native:keyvault:Secret",
    vaultedPassword: "pulumi-nodejs:dynamic/entra:VaultedPassword",
    portalUser: "pulumi-nodejs:dynamic/practiceprotect:PortalUser",
    roleMembers: "pulumi-nodejs:dynamic/practiceprotect:RoleMembers",
    userLicenses: "pulumi-nodejs:dynamic/entra:UserLicenses",
    signInRevocation: "pulumi-nodejs:dynamic/entra:SignInRevocation",
};

/** A licence as the plan shows it: the product name when the table knows the skuId, with what is switched off. */
export interface PlannedLicense {
    skuId: string;
    name: string;
    /** Exactly these switched off; undefined when users.yaml does not state them (left as they are in Entra). */
    disabledPlans?: string[];
}

const skuName = (skuId: string) => {
    const sku = LICENSE_SKUS.find((s) => s.skuId === skuId.toLowerCase());
    return sku ? `${sku.productName} (${sku.partNumber})` : skuId;
};

export interface PlannedUser {
    key: string;
    action: "create" | "adopt";
    properties: Record<string, unknown>;
    generatedPassword: boolean;
    groups: string[];
    /** Groups the user is already in (existing memberships, imported). */
    adoptedGroups: string[];
    adminRoles: string[];
    /** Admin roles the user already holds (existing assignments, imported). */
    adoptedAdminRoles: string[];
    /** The manager's users.yaml key or objectId, as written. */
    manager?: string;
    /** User fields users.yaml clears (written null): sent empty. */
    cleared: string[];
    /** Any update of this user is a sensitive update in Graph (they hold or are losing an admin role). */
    sensitiveUpdates: boolean;
    /** How many user fields users.yaml does not state: left as they are in Entra (ignoreChanges). */
    keptAsInEntra: number;
    keptWhenRemoved: boolean;
    /** The licences users.yaml manages for the user; undefined when users.yaml manages no licences. */
    licenses?: PlannedLicense[];
    /** Offboarded now: their sign-in sessions are revoked once. */
    revokeSessions: boolean;
    /** The Practice Protect account, if the user has one. */
    portal?: { sendInvite: boolean; removeOnDelete: boolean; roles: string[] };
}

export interface PlannedPortalRole {
    name: string;
    members: string[];
    exclusive: boolean;
}

export interface PlannedGroup {
    name: string;
    action: "create" | "existing";
    description?: string;
    members: number;
}

export interface PlannedServiceAccount {
    userPrincipalName: string;
    adminRoles: string[];
    protected: boolean;
    keyVaultSecrets: string[];
}

export interface PlanView {
    users: PlannedUser[];
    groups: PlannedGroup[];
    serviceAccount?: PlannedServiceAccount;
    portalRoles: PlannedPortalRole[];
    /** Per licence, how many people users.yaml gives it to (free seats are counted against the tenant at deploy). */
    licenseCounts: { name: string; people: number }[];
}

const byName = (a: string, b: string) => a.localeCompare(b);

/** What the program declared, regrouped per person: read off the registrations, not the model. */
export function planView(registrations: readonly Registration[], userOrder: readonly string[] = []): PlanView {
    const childrenOf = (parent: Registration, type: string) => registrations.filter((r) => r.parent === parent.urn && r.type === type);
    const suffix = (r: Registration, owner: string, infix: string) => r.name.slice(`${owner}${infix}`.length);

    const portalRoles = registrations
        .filter((r) => r.type === T.roleMembers)
        .map((r): PlannedPortalRole => ({ name: r.inputs.role, members: [...r.inputs.members], exclusive: r.inputs.exclusive === true }))
        .sort((a, b) => byName(a.name, b.name));
    const portalUsers = new Map(registrations.filter((r) => r.type === T.portalUser).map((r) => [r.name, r]));
    const licenses = new Map(registrations.filter((r) => r.type === T.userLicenses).map((r) => [r.name, r]));
    const revocations = new Set(registrations.filter((r) => r.type === T.signInRevocation).map((r) => r.name));

    const directory = registrations.find((r) => r.type === T.directory);
    const summaries = (directory?.inputs.people ?? {}) as Record<string, PersonSummary>;
    const access = registrations.find((r) => r.type === T.access);
    const roleAssignments = access ? childrenOf(access, T.role) : [];
    // An assignment is named `${key}-as-${role}`: the person's, when what follows is an admin role's name.
    const rolesOf = (key: string) => roleAssignments.filter((a) => a.name.startsWith(`${key}-as-`) && suffix(a, key, "-as-") in ADMIN_ROLE_TEMPLATE_IDS);
    // Per existing group (lower-cased name): the people already in it when the program looked.
    const alreadyIn = new Map(registrations.filter((r) => r.type === T.existingGroupMembers).map((r) => [String(r.inputs.groupName).toLowerCase(), new Set(r.inputs.alreadyMembers as string[])]));

    const users = (directory ? childrenOf(directory, T.user) : []).map((user): PlannedUser => {
        const key = user.name;
        const summary = summaries[key] ?? { groups: [], sensitiveUpdates: false };
        const portalUser = portalUsers.get(key);
        const upn = String(user.inputs.userPrincipalName).toLowerCase();
        const roles = rolesOf(key);
        return {
            portal: portalUser && {
                sendInvite: portalUser.inputs.sendInvite !== false,
                removeOnDelete: portalUser.inputs.removeOnDelete !== false,
                roles: portalRoles.filter((r) => r.members.some((m) => m.toLowerCase() === upn)).map((r) => r.name).sort(byName),
            },
            key,
            action: user.importId ? "adopt" : "create",
            properties: user.inputs,
            generatedPassword: user.inputs.password !== undefined,
            groups: [...summary.groups].sort(byName),
            adoptedGroups: summary.groups.filter((g) => alreadyIn.get(g.toLowerCase())?.has(key)).sort(byName),
            adminRoles: roles.map((a) => suffix(a, key, "-as-")).sort(byName),
            adoptedAdminRoles: roles.filter((a) => a.importId).map((a) => suffix(a, key, "-as-")).sort(byName),
            manager: summary.manager,
            cleared: USER_ARGUMENT_NAMES.filter((f) => user.inputs[f] === undefined && !user.ignoreChanges.includes(f)),
            sensitiveUpdates: summary.sensitiveUpdates === true,
            keptAsInEntra: user.ignoreChanges.filter((f) => f !== "password" && f !== "forcePasswordChange").length,
            keptWhenRemoved: user.retainOnDelete,
            licenses: (licenses.get(`${key}-licenses`)?.inputs.licenses as { skuId: string; disabledPlans?: string[] }[] | undefined)?.map((l) => ({
                skuId: l.skuId,
                name: skuName(l.skuId),
                ...(l.disabledPlans ? { disabledPlans: [...l.disabledPlans] } : {}),
            })),
            revokeSessions: revocations.has(`${key}-sign-in-revocation`),
        };
    });
    // Registrations arrive in the order their inputs resolve; show people in users.yaml's order when known.
    const order = new Map(userOrder.map((key, i) => [key, i]));
    const position = (key: string) => order.get(key) ?? userOrder.length;
    users.sort((a, b) => position(a.key) - position(b.key));

    const created = registrations.filter((r) => r.type === T.group);
    const memberCount = new Map<string, number>();
    for (const u of users) for (const g of u.groups) memberCount.set(g.toLowerCase(), (memberCount.get(g.toLowerCase()) ?? 0) + 1);
    const createdNames = new Set(created.map((g) => g.name.toLowerCase()));
    const existing = [...new Set(users.flatMap((u) => u.groups))].filter((g) => !createdNames.has(g.toLowerCase()));
    const groups: PlannedGroup[] = [
        ...created.map((g): PlannedGroup => ({ name: g.inputs.displayName, action: "create", description: g.inputs.description, members: memberCount.get(g.name.toLowerCase()) ?? 0 })),
        ...existing.map((name): PlannedGroup => ({ name, action: "existing", members: memberCount.get(name.toLowerCase()) ?? 0 })),
    ];

    const licenseCounts = new Map<string, number>();
    for (const u of users) for (const l of u.licenses ?? []) licenseCounts.set(l.name, (licenseCounts.get(l.name) ?? 0) + 1);

    const account = registrations.find((r) => r.type === T.serviceAccount);
    const accountUser = account && childrenOf(account, T.user)[0];
    return {
        users,
        groups,
        portalRoles,
        licenseCounts: [...licenseCounts].map(([name, people]) => ({ name, people })).sort((a, b) => byName(a.name, b.name)),
        serviceAccount:
            account && accountUser
                ? {
                      userPrincipalName: accountUser.inputs.userPrincipalName,
                      adminRoles: childrenOf(account, T.role).map((a) => suffix(a, account.name, "-as-")),
                      protected: accountUser.protect,
                      keyVaultSecrets: [...childrenOf(account, T.vaultSecret), ...childrenOf(account, T.vaultedPassword)].map((s) => `${s.inputs.vaultName}/${s.inputs.secretName}`),
                  }
                : undefined,
    };
}
