import type * as pulumi from "@pulumi/pulumi";
import { addGroupMember, groupIsGone, isAlreadyMember, listGroupMemberIds, removeGroupMember } from "../../graph/groupMembers";
import { graphErrorOf } from "../../graph/licenses";
import { graphProviderSession, NotVisibleError } from "../dynamic/graphSession";
import { GONE, withoutUndefined } from "../dynamic/wire";

/** A person users.yaml puts in the group: their users.yaml key (for messages) and Entra object id. */
export interface GroupMemberRef {
    key: string;
    objectId: string;
}

export interface ExistingGroupMembersInputs {
    groupObjectId: string;
    /** The group's display name, for messages. */
    groupName: string;
    members: GroupMemberRef[];
    /** Keys of the people the program found already in the group when it looked (the plan says so); not compared. */
    alreadyMembers: string[];
}

export interface ExistingGroupMembersOutputs extends ExistingGroupMembersInputs {
    /** Object ids (lower-case) this resource put or found in the group for users.yaml: the only ones it ever removes. */
    managed: string[];
}

const isGuid = (v: unknown) => typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
const idsOf = (members: readonly GroupMemberRef[]) => members.map((m) => m.objectId.toLowerCase());
const sameSet = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** Runs `work` over `items`, a few at a time: Graph's RetryHandler (in the client) slows us down when it throttles. */
async function eachLimited<T>(items: readonly T[], work: (item: T) => Promise<void>, limit = 4): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) await work(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The group is not in Entra any more: nobody can be added to it, and waiting does not help. */
export class GroupGoneError extends Error {
    constructor(inputs: ExistingGroupMembersInputs) {
        super(
            `the existing group '${inputs.groupName}' (${inputs.groupObjectId}) is no longer in Entra: Microsoft Graph answers 404 for it, so it was deleted. ` +
                "Restore it (a Microsoft 365 group can be restored for 30 days: Entra admin center > Groups > Deleted groups), or take it out of users.yaml; then run pulumi up again.",
        );
        this.name = "GroupGoneError";
    }
}

const isNotFound = (e: unknown) => {
    const { statusCode, message } = graphErrorOf(e);
    return statusCode === 404 || (statusCode === 400 && /objects being referenced do not exist/i.test(message));
};

function refused(action: string, inputs: ExistingGroupMembersInputs, who: string, e: unknown): Error {
    const { statusCode, code, message } = graphErrorOf(e);
    const status = statusCode ? ` (HTTP ${statusCode}${code ? ` ${code}` : ""})` : "";
    const fix =
        statusCode === 403
            ? " The deploying identity needs the application permission GroupMember.ReadWrite.All (admin-consented)."
            : /mail-enabled|distribution list/i.test(message)
              ? ` '${inputs.groupName}' is managed in Exchange: take it out of users.yaml and manage it there.`
              : "";
    return new Error(`Microsoft Graph refused to ${action} ${who} ${action === "add" ? "to" : "from"} '${inputs.groupName}'${status}: ${message.replace(/\.$/, "")}.${fix}`);
}

/**
 * Makes the group hold everyone users.yaml puts in it, and takes out only those users.yaml put there before and
 * no longer does: members added by hand or by other tools stay. Someone already in the group is left as they are
 * (that is how an adopted tenant's memberships are taken over: nothing to import).
 */
async function converge(inputs: ExistingGroupMembersInputs, managedBefore: readonly string[]): Promise<ExistingGroupMembersOutputs> {
    const session = graphProviderSession();
    const group = inputs.groupObjectId;
    let present: Set<string>;
    try {
        present = new Set(await listGroupMemberIds(session.client(), group));
    } catch (e) {
        if (graphErrorOf(e).statusCode === 404) throw new GroupGoneError(inputs);
        throw e;
    }
    const wanted = new Map(inputs.members.map((m) => [m.objectId.toLowerCase(), m]));
    const toAdd = [...wanted.values()].filter((m) => !present.has(m.objectId.toLowerCase()));
    // Everyone managed and no longer wanted, whether or not this listing shows them: a replica's list can lag
    // behind an add ("Designing for eventual consistency"), and removing one who is not there answers 404.
    const toRemove = managedBefore.filter((id) => !wanted.has(id));

    await eachLimited(toAdd, async (m) => {
        const who = `${m.key} (${m.objectId})`;
        try {
            // A person created in this same run may not be visible to Graph yet: wait for them. Graph answers a
            // deleted group the same way; that is told apart at once (groupIsGone), never waited out.
            await session.whenVisible(async () => {
                try {
                    await addGroupMember(session.client(), group, m.objectId);
                } catch (e) {
                    if (isNotFound(e) && (await groupIsGone(session.client(), group))) throw new GroupGoneError(inputs);
                    throw e;
                }
            }, who);
        } catch (e) {
            if (isAlreadyMember(graphErrorOf(e))) return; // added meanwhile (a retried request, or by hand)
            if (e instanceof NotVisibleError || e instanceof GroupGoneError) throw e;
            throw refused("add", inputs, who, e);
        }
    });
    await eachLimited(toRemove, async (id) => {
        try {
            await removeGroupMember(session.client(), group, id);
        } catch (e) {
            if (graphErrorOf(e).statusCode === 404) return; // already gone
            throw refused("remove", inputs, id, e);
        }
    });
    return { ...inputs, managed: [...wanted.keys()] };
}

/**
 * What the engine runs for an ExistingGroupMembers (loaded from the project at run time, see loadedProvider):
 * the people users.yaml puts in one group that exists in Entra already (one resource per group, not per person).
 * The id is the group's object id.
 */
export const existingGroupMembersImplementation: pulumi.dynamic.ResourceProvider<ExistingGroupMembersInputs, ExistingGroupMembersOutputs> = {
    async configure(req) {
        graphProviderSession().configure(req.config);
    },

    async check(_olds, news) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (!isGuid(news.groupObjectId)) failures.push({ property: "groupObjectId", reason: `groupObjectId must be the group's object id (a GUID), got ${JSON.stringify(news.groupObjectId)}` });
        const members = Array.isArray(news.members) ? news.members : [];
        if (!Array.isArray(news.members)) failures.push({ property: "members", reason: "members must be a list" });
        for (const m of members) if (!isGuid(m?.objectId)) failures.push({ property: "members", reason: `${m?.key ?? "a member"}: objectId must be a GUID, got ${JSON.stringify(m?.objectId)}` });
        return { inputs: { ...news, members: members.map((m) => ({ key: String(m.key), objectId: m.objectId })), alreadyMembers: [...(news.alreadyMembers ?? [])] }, failures };
    },

    async diff(_id, olds, news) {
        const replaces = olds.groupObjectId.toLowerCase() !== news.groupObjectId.toLowerCase() ? ["groupObjectId"] : [];
        const renamed = olds.groupName !== news.groupName || JSON.stringify(olds.members.map((m) => m.key).sort()) !== JSON.stringify(news.members.map((m) => m.key).sort());
        // Someone this resource manages whom users.yaml no longer lists is a change even when the last refresh did
        // not show them in the group (then olds.members no longer holds them either): they are to be taken out.
        const wantedNow = new Set(idsOf(news.members));
        const managedDropped = (olds.managed ?? []).some((id) => !wantedNow.has(id.toLowerCase()));
        const changes = replaces.length > 0 || !sameSet(idsOf(olds.members), idsOf(news.members)) || renamed || managedDropped;
        return { changes, replaces, deleteBeforeReplace: false };
    },

    async create(inputs) {
        return { id: inputs.groupObjectId, outs: withoutUndefined(await converge(inputs, [])) };
    },

    async read(id, props) {
        if (!props) return GONE;
        let present: Set<string>;
        try {
            present = new Set(await listGroupMemberIds(graphProviderSession().client(), id));
        } catch (e) {
            if (graphErrorOf(e).statusCode === 404) return GONE;
            throw e;
        }
        // Someone users.yaml puts here but who was taken out by hand shows as drift; the next up puts them back.
        // `managed` stays what this resource added or took over: a listing that does not show someone yet (a
        // replica behind the add) must not make the program forget them, or a later removal would never happen.
        const members = props.members.filter((m) => present.has(m.objectId.toLowerCase()));
        return { id, props: withoutUndefined({ ...props, members }) };
    },

    async update(_id, olds, news) {
        return { outs: withoutUndefined(await converge(news, olds.managed)) };
    },

    async delete(id, props) {
        // The group left users.yaml (nobody is put in it any more): take out those users.yaml put there.
        try {
            await converge({ ...props, groupObjectId: id, members: [] }, props.managed);
        } catch (e) {
            if (e instanceof GroupGoneError || graphErrorOf(e).statusCode === 404) return; // the group is gone
            throw e;
        }
    },
};
