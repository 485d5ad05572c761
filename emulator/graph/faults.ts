import type { GraphState } from "./state";
import type { Fault } from "./types";

interface Pending {
    fault: Fault;
    remaining: number;
    path?: RegExp;
}

/**
 * Faults set by tests at run time. Transient answers (429, 503, a lagging 404) wait in a queue, first injected first served, and
 * apply to Graph calls only (not the token endpoint); each answered call uses up one count. The others change state.
 */
export class GraphFaults {
    private readonly pending: Pending[] = [];

    constructor(private readonly state: GraphState) {}

    /** The next `count` Graph calls (whose path matches) answer 429 Too Many Requests with Retry-After. */
    throttle(count: number, options: { path?: RegExp; retryAfterSeconds?: number } = {}): void {
        this.add({ kind: "throttle", retryAfterSeconds: options.retryAfterSeconds ?? 1 }, count, options.path);
    }

    /** The next `count` Graph calls (whose path matches) answer 503 Service Unavailable with Retry-After. */
    unavailable(count: number, options: { path?: RegExp; retryAfterSeconds?: number } = {}): void {
        this.add({ kind: "unavailable", retryAfterSeconds: options.retryAfterSeconds ?? 1 }, count, options.path);
    }

    /**
     * The next `count` Graph calls (whose path matches) answer 404 Request_ResourceNotFound for the path's first id,
     * as a replica that does not know an object the caller has just seen elsewhere ("404 error when managing objects
     * using Microsoft Graph", MicrosoftDocs/SupportArticles-docs: replication to every data centre takes a while).
     */
    notFound(count: number, options: { path?: RegExp } = {}): void {
        this.add({ kind: "notFound" }, count, options.path);
    }

    /**
     * The group is deleted in Entra (by hand, in the admin centre): every call naming it answers 404
     * Request_ResourceNotFound "Resource '<id>' ..." (state.group), as Graph answers for an id it does not know.
     */
    deleteGroup(id: string): void {
        const at = this.state.groups.findIndex((g) => g.id.toLowerCase() === id.toLowerCase());
        if (at < 0) throw new Error(`unknown group '${id}'`);
        this.state.groups.splice(at, 1);
    }

    /**
     * The next `listings` listings of the group's members show it as it is now, whatever is added or removed
     * meanwhile, even the group's deletion: a replica behind the one that took the change ("Designing for eventual
     * consistency"; the same support article), as a refresh right after an add can see.
     */
    lagMemberList(groupId: string, listings: number): void {
        if (!Number.isInteger(listings) || listings < 1) throw new Error(`listings must be a positive integer, got ${listings}`);
        const group = this.state.group(groupId);
        this.state.laggingMemberLists.set(group.id.toLowerCase(), { members: [...group.members], listings });
    }

    /** The user answers 404 Request_ResourceNotFound to the next `requests` calls naming it, as just after creation. */
    hideUser(idOrUpn: string, requests: number): void {
        const user = [...this.state.users.values()].find((u) => u.id.toLowerCase() === idOrUpn.toLowerCase() || u.userPrincipalName.toLowerCase() === idOrUpn.toLowerCase());
        if (!user) throw new Error(`unknown user '${idOrUpn}'`);
        user.hiddenForRequests = requests;
    }

    /** No seat left: the SKU's prepaidUnits.enabled becomes its consumedUnits. */
    exhaustSeats(skuIdOrPartNumber: string): void {
        const sku = this.state.sku(skuIdOrPartNumber) ?? [...this.state.skus.values()].find((s) => s.skuPartNumber.toLowerCase() === skuIdOrPartNumber.toLowerCase());
        if (!sku) throw new Error(`unknown SKU '${skuIdOrPartNumber}'`);
        sku.prepaidUnits.enabled = sku.consumedUnits;
    }

    /** The transient fault for a Graph call to `path`, if any, counting it as used. */
    take(path: string): Fault | undefined {
        const index = this.pending.findIndex((p) => !p.path || testOnce(p.path, path));
        if (index < 0) return undefined;
        const entry = this.pending[index];
        if (--entry.remaining === 0) this.pending.splice(index, 1);
        return entry.fault;
    }

    private add(fault: Fault, count: number, path?: RegExp): void {
        if (!Number.isInteger(count) || count < 1) throw new Error(`fault count must be a positive integer, got ${count}`);
        this.pending.push({ fault, remaining: count, path });
    }
}

// A /g or /y RegExp keeps lastIndex between test() calls: reset it so every call is matched from the start.
function testOnce(re: RegExp, text: string): boolean {
    re.lastIndex = 0;
    return re.test(text);
}
