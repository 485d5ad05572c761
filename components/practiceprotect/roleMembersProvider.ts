import type * as pulumi from "@pulumi/pulumi";
import type { PracticeProtectClient } from "../../practiceprotect/client";
import { providerSession } from "./session";
import { GONE } from "../dynamic/wire";

export interface RoleMembersInputs {
    role: string;
    members: string[];
    exclusive: boolean;
}

export interface RoleMembersOutputs extends RoleMembersInputs {
    roleId: string;
    /** The uuid of each managed member, by lower-cased user name: what delete and update may remove. */
    memberIds: Record<string, string>;
    /** With `exclusive`, users in the role that users.yaml does not list (drift, removed by the next update). */
    unexpectedMembers: string[];
}

/** Built-in roles: "Everybody" lists no members and "System Administrator" holds the tenant's admins. */
export const BUILT_IN_ROLES = ["everybody", "system administrator"];

const sameMembers = (a: readonly string[], b: readonly string[]) => {
    const lower = (list: readonly string[]) => [...new Set(list.map((m) => m.toLowerCase()))].sort().join("\n");
    return lower(a) === lower(b);
};

/**
 * Membership of one Practice Protect portal role (seed: "Add User to Practice Protect Role"). The id is the
 * role id. Each change is one read of the members and one UpdateRole call carrying only the differences.
 */
export const roleMembersImplementation: pulumi.dynamic.ResourceProvider<RoleMembersInputs, RoleMembersOutputs> = {
    async configure(req) {
        providerSession().configure(req.config);
    },

    async check(_olds, news) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (typeof news.role !== "string" || news.role.trim() === "") failures.push({ property: "role", reason: "role must be the name of a Practice Protect role" });
        else if (BUILT_IN_ROLES.includes(news.role.toLowerCase())) {
            failures.push({ property: "role", reason: `'${news.role}' is a built-in role this program never manages; give users a role of the firm's own` });
        }
        if (!Array.isArray(news.members) || news.members.some((m) => typeof m !== "string")) failures.push({ property: "members", reason: "members must be a list of user names" });
        if (news.exclusive !== undefined && typeof news.exclusive !== "boolean") failures.push({ property: "exclusive", reason: "exclusive must be true or false" });
        // One entry per person, first spelling kept.
        const members = Array.isArray(news.members) ? news.members.map(String).filter((m, i, all) => all.findIndex((o) => o.toLowerCase() === m.toLowerCase()) === i) : news.members;
        return { inputs: { ...news, members, exclusive: news.exclusive ?? false }, failures };
    },

    async diff(_id, olds, news) {
        const roleChanged = olds.role.toLowerCase() !== news.role.toLowerCase();
        const changes =
            roleChanged ||
            !sameMembers(olds.members, news.members) ||
            olds.exclusive !== news.exclusive ||
            (news.exclusive && (olds.unexpectedMembers?.length ?? 0) > 0);
        return { changes, replaces: roleChanged ? ["role"] : [], deleteBeforeReplace: roleChanged };
    },

    async create(inputs) {
        const { client } = providerSession().client();
        const role = await client.findRole(inputs.role);
        const outs = await reconcile(client, role.id, inputs, {});
        return { id: role.id, outs: { ...outs, roleId: role.id } };
    },

    async read(id, props) {
        if (!props) return { id, props };
        const { client } = providerSession().client();
        const current = await membersUnlessRoleDeleted(client, id);
        // The role was deleted in the portal: gone, so the next `pulumi up` recreates the membership.
        if (!current) return GONE;
        const present = new Set(current.map((m) => m.guid));
        const managedIds = new Set(Object.values(props.memberIds ?? {}));
        return {
            id,
            props: {
                ...props,
                // A managed member removed in the portal drops out here, so the next update adds them back.
                members: props.members.filter((m) => present.has(props.memberIds?.[m.toLowerCase()] ?? "")),
                unexpectedMembers: props.exclusive ? current.filter((m) => m.type === "User" && !managedIds.has(m.guid)).map((m) => m.name).sort() : [],
            },
        };
    },

    async update(id, olds, news) {
        const { client } = providerSession().client();
        const outs = await reconcile(client, id, news, olds.memberIds ?? {});
        return { outs: { ...outs, roleId: id } };
    },

    async delete(id, props) {
        const { client } = providerSession().client();
        const current = await membersUnlessRoleDeleted(client, id);
        // The role itself was deleted in the portal: no member is left to remove.
        if (!current) return;
        const present = new Set(current.map((m) => m.guid));
        const remove = Object.values(props.memberIds ?? {}).filter((uuid) => present.has(uuid));
        await client.updateRoleMembers(id, { add: [], remove });
    },
};

/** The role's members, or undefined when the role no longer exists (any other failure is thrown). */
async function membersUnlessRoleDeleted(client: PracticeProtectClient, roleId: string) {
    try {
        return await client.getRoleMembers(roleId);
    } catch (e) {
        if ((await client.listRoles()).some((r) => r.id === roleId)) throw e;
        return undefined;
    }
}

/**
 * Brings the role to the wanted members with one member read and one UpdateRole: adds the missing, removes
 * the managed members no longer wanted, and, when exclusive, every other user.
 */
async function reconcile(
    client: PracticeProtectClient,
    roleId: string,
    wanted: RoleMembersInputs,
    previouslyManaged: Record<string, string>,
): Promise<Omit<RoleMembersOutputs, "roleId">> {
    const memberIds = await resolveMembers(client, wanted.members, previouslyManaged);
    const current = await client.getRoleMembers(roleId);
    const currentIds = new Set(current.map((m) => m.guid));
    const wantedIds = new Set(Object.values(memberIds));
    const noLongerWanted = Object.values(previouslyManaged).filter((uuid) => !wantedIds.has(uuid));
    const others = wanted.exclusive ? current.filter((m) => m.type === "User" && !wantedIds.has(m.guid)).map((m) => m.guid) : [];
    await client.updateRoleMembers(roleId, {
        add: [...wantedIds].filter((uuid) => !currentIds.has(uuid)),
        remove: [...new Set([...noLongerWanted, ...others])].filter((uuid) => currentIds.has(uuid)),
    });
    return { role: wanted.role, members: wanted.members, exclusive: wanted.exclusive, memberIds, unexpectedMembers: [] };
}

/** UPN → portal uuid: from this run's invites, then the previous state, then the portal itself. */
async function resolveMembers(client: PracticeProtectClient, members: string[], previouslyManaged: Record<string, string>): Promise<Record<string, string>> {
    const session = providerSession();
    const ids: Record<string, string> = {};
    const unresolved: string[] = [];
    for (const member of members) {
        const key = member.toLowerCase();
        const uuid = session.knownUsers.get(key) ?? previouslyManaged[key];
        if (uuid) ids[key] = uuid;
        else unresolved.push(member);
    }
    if (unresolved.length > 0) {
        // Several unknown names: one listing of the portal is cheaper than a query each.
        const lookup =
            unresolved.length > 3
                ? await session.portalUsers().then((users) => (name: string) => users.get(name.toLowerCase())?.uuid)
                : async (name: string) => (await client.findPortalUser(name))?.uuid;
        const missing: string[] = [];
        for (const member of unresolved) {
            const uuid = await lookup(member);
            if (uuid) ids[member.toLowerCase()] = uuid;
            else missing.push(member);
        }
        if (missing.length) {
            throw new Error(`${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not in the Practice Protect portal; invite them first (practiceProtect.invite: true in users.yaml)`);
        }
    }
    return ids;
}
