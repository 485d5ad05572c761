import type { GraphState } from "./state";
import type { Fault } from "./types";

interface Pending {
    fault: Fault;
    remaining: number;
    path?: RegExp;
}

/**
 * Faults set by tests at run time. Transient answers (429, 503) wait in a queue, first injected first served, and
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
