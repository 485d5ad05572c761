import type * as pulumi from "@pulumi/pulumi";
import { assignLicense, graphErrorOf, readUserLicenses, UserLicenses as GraphUserLicenses } from "../../graph/licenses";
import { licenseChange, WantedLicense } from "../../model/licenseChange";
import { GONE, withoutUndefined } from "../dynamic/wire";
import { graphProviderSession, NotVisibleError } from "../dynamic/graphSession";

export interface UserLicensesInputs {
    userId: string;
    userPrincipalName: string;
    licenses: WantedLicense[];
}

export interface UserLicensesOutputs extends UserLicensesInputs {
    /** skuIds users.yaml manages for this user: the only licences a later change may remove. */
    managed: string[];
    /** Wanted licences the user holds through group-based licensing, left to the group. */
    heldByGroup: string[];
}

const isGuid = (v: unknown) => typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
/** The licences as one comparable text; unstated disabled plans (null) differ from a stated `[]`. */
const sorted = (licenses: readonly WantedLicense[]) =>
    JSON.stringify([...licenses].map((l) => [l.skuId.toLowerCase(), l.disabledPlans ? [...l.disabledPlans].map((p) => p.toLowerCase()).sort() : null]).sort());

/** A licence as inputs carry it: no `disabledPlans` key at all when users.yaml does not state them (a Struct has no undefined). */
const wantedLicense = (skuId: string, disabledPlans: readonly string[] | null | undefined): WantedLicense => (disabledPlans == null ? { skuId } : { skuId, disabledPlans: [...disabledPlans] });

/** Reads the user, waiting while Graph does not know a just-created user yet. */
const readWhenVisible = (userId: string, userPrincipalName: string): Promise<GraphUserLicenses> =>
    graphProviderSession().whenVisible(() => readUserLicenses(graphProviderSession().client(), userId), `${userPrincipalName} (${userId})`);

/** Applies the change, saying plainly what Graph refused and what to do about it. */
async function apply(inputs: UserLicensesInputs, current: GraphUserLicenses, managedBefore: string[]): Promise<UserLicensesOutputs> {
    const change = licenseChange(inputs.licenses, current.licenseAssignmentStates, managedBefore);
    if (change.add.length || change.remove.length) {
        const session = graphProviderSession();
        try {
            // Seen once is not seen everywhere: right after the read found a new user, assignLicense can still
            // reach a replica that answers 404 Request_ResourceNotFound, so it waits as the read does.
            await session.whenVisible(() => assignLicense(session.client(), inputs.userId, change.add, change.remove), `${inputs.userPrincipalName} (${inputs.userId})`);
        } catch (e) {
            if (e instanceof NotVisibleError) throw e;
            throw new Error(assignLicenseFailure(inputs.userPrincipalName, e));
        }
    }
    return { ...inputs, managed: inputs.licenses.map((l) => l.skuId), heldByGroup: change.heldByGroup };
}

/** Graph's refusal of an assignLicense call, as a sentence with its cause and the fix. */
export function assignLicenseFailure(userPrincipalName: string, e: unknown): string {
    const { statusCode, code, message } = graphErrorOf(e);
    const said = `Microsoft Graph refused the licence change for ${userPrincipalName}${statusCode ? ` (HTTP ${statusCode}${code ? ` ${code}` : ""})` : ""}: ${message}`;
    if (/usage location/i.test(message)) return `${said}. Give the user a usageLocation in users.yaml (or defaults.usageLocation).`;
    if (/available licen[cs]es|not enough licen[cs]es|insufficient/i.test(message)) return `${said}. Buy more seats of that subscription, or take the licence off someone in users.yaml.`;
    if (/service ?plan|disabledPlans|plan id/i.test(message)) return `${said}. Check disabledPlans in users.yaml against the subscription's service plans.`;
    if (/sku|subscription/i.test(message)) return `${said}. Check the licence name in users.yaml against the tenant's subscriptions.`;
    return said;
}

/**
 * What the engine runs for a UserLicenses (loaded from the project at run time, see loadedProvider).
 * The licences users.yaml gives one user (seed step 5), assigned and removed with Graph's assignLicense. Only
 * licences users.yaml manages are touched: one assigned by hand or inherited from a group is left alone, and a
 * licence the user already has is not assigned again. The id is the user's object id.
 */
export const userLicensesImplementation: pulumi.dynamic.ResourceProvider<UserLicensesInputs, UserLicensesOutputs> = {
    async configure(req) {
        graphProviderSession().configure(req.config);
    },

    async check(_olds, news) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (typeof news.userId !== "string" || news.userId === "") failures.push({ property: "userId", reason: "userId must be the user's object id" });
        const licenses = Array.isArray(news.licenses) ? news.licenses : [];
        if (!Array.isArray(news.licenses)) failures.push({ property: "licenses", reason: "licenses must be a list" });
        for (const l of licenses) {
            if (!isGuid(l?.skuId)) failures.push({ property: "licenses", reason: `skuId must be a GUID, got ${JSON.stringify(l?.skuId)}` });
            for (const p of l?.disabledPlans ?? []) if (!isGuid(p)) failures.push({ property: "licenses", reason: `disabledPlans must be service plan GUIDs, got ${JSON.stringify(p)}` });
        }
        return { inputs: { ...news, licenses: licenses.map((l) => wantedLicense(l.skuId, l.disabledPlans)) }, failures };
    },

    async diff(_id, olds, news) {
        const replaces = olds.userId !== news.userId ? ["userId"] : [];
        const changes = replaces.length > 0 || sorted(olds.licenses) !== sorted(news.licenses) || olds.userPrincipalName !== news.userPrincipalName;
        return { changes, replaces, deleteBeforeReplace: false };
    },

    async create(inputs) {
        const current = await readWhenVisible(inputs.userId, inputs.userPrincipalName);
        return { id: inputs.userId, outs: withoutUndefined(await apply(inputs, current, [])) };
    },

    async read(id, props) {
        if (!props) return GONE;
        let current: GraphUserLicenses;
        try {
            current = await readUserLicenses(graphProviderSession().client(), id);
        } catch (e) {
            if (graphErrorOf(e).statusCode === 404) return GONE;
            throw e;
        }
        // What the user still holds of what users.yaml wants: a licence taken off by hand shows as drift, and so do
        // other disabled plans where users.yaml states them (where it does not, the plans are not ours to compare).
        const held = new Map(current.licenseAssignmentStates.map((s) => [s.skuId.toLowerCase(), s]));
        const licenses = props.licenses.flatMap((l) => {
            const state = held.get(l.skuId.toLowerCase());
            if (!state) return [];
            return [state.assignedByGroup || l.disabledPlans === undefined ? l : wantedLicense(l.skuId, state.disabledPlans ?? [])];
        });
        return { id, props: withoutUndefined({ ...props, licenses }) };
    },

    async update(_id, olds, news) {
        const current = await readWhenVisible(news.userId, news.userPrincipalName);
        return { outs: withoutUndefined(await apply(news, current, olds.managed)) };
    },

    async delete(id, props) {
        // Pulumi deletes this only when the user leaves users.yaml with deleteRemovedUsers, or is replaced:
        // take back what users.yaml assigned; a user already gone has nothing left to take.
        let current: GraphUserLicenses;
        try {
            current = await readUserLicenses(graphProviderSession().client(), id);
        } catch (e) {
            if (graphErrorOf(e).statusCode === 404) return;
            throw e;
        }
        await apply({ ...props, licenses: [] }, current, props.managed);
    },
};

