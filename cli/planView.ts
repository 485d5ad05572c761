import { USER_ARGUMENT_NAMES } from "../components/userArguments";
import type { Registration } from "./mockDeployment";

const T = {
    user: "azuread:index/user:User",
    group: "azuread:index/group:Group",
    member: "azuread:index/groupMember:GroupMember",
    role: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
    password: "random:index/randomPassword:RandomPassword",
    firmUser: "firm:entra:User",
    serviceAccount: "firm:entra:ServiceAccount",
    vaultSecret: "azure-native:keyvault:Secret",
    portalUser: "pulumi-nodejs:dynamic/practiceprotect:PortalUser",
    roleMembers: "pulumi-nodejs:dynamic/practiceprotect:RoleMembers",
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

    const users = registrations
        .filter((r) => r.type === T.firmUser)
        .map((component): PlannedUser => {
            const user = childrenOf(component, T.user)[0];
            const portalUser = portalUsers.get(component.name);
            const upn = String(user.inputs.userPrincipalName).toLowerCase();
            return {
                portal: portalUser && {
                    sendInvite: portalUser.inputs.sendInvite !== false,
                    removeOnDelete: portalUser.inputs.removeOnDelete !== false,
                    roles: portalRoles.filter((r) => r.members.some((m) => m.toLowerCase() === upn)).map((r) => r.name).sort(byName),
                },
                key: component.name,
                action: user.importId ? "adopt" : "create",
                properties: user.inputs,
                generatedPassword: childrenOf(component, T.password).length > 0,
                groups: [...(component.inputs.groups as string[])].sort(byName),
                adoptedGroups: (component.inputs.groups as string[])
                    .filter((g) => childrenOf(component, T.member).some((m) => m.importId && suffix(m, component.name, "-in-").toLowerCase() === g.toLowerCase()))
                    .sort(byName),
                adminRoles: childrenOf(component, T.role).map((a) => suffix(a, component.name, "-as-")).sort(byName),
                adoptedAdminRoles: childrenOf(component, T.role).filter((a) => a.importId).map((a) => suffix(a, component.name, "-as-")).sort(byName),
                manager: component.inputs.manager,
                cleared: USER_ARGUMENT_NAMES.filter((f) => user.inputs[f] === undefined && !user.ignoreChanges.includes(f)),
                sensitiveUpdates: component.inputs.sensitiveUpdates === true,
                keptAsInEntra: user.ignoreChanges.filter((f) => f !== "password" && f !== "forcePasswordChange").length,
                keptWhenRemoved: user.retainOnDelete,
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

    const account = registrations.find((r) => r.type === T.serviceAccount);
    const accountUser = account && childrenOf(account, T.user)[0];
    return {
        users,
        groups,
        portalRoles,
        serviceAccount:
            account && accountUser
                ? {
                      userPrincipalName: accountUser.inputs.userPrincipalName,
                      adminRoles: childrenOf(account, T.role).map((a) => suffix(a, account.name, "-as-")),
                      protected: accountUser.protect,
                      keyVaultSecrets: childrenOf(account, T.vaultSecret).map((s) => `${s.inputs.vaultName}/${s.inputs.secretName}`),
                  }
                : undefined,
    };
}
