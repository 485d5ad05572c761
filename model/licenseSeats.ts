/**
 * Seats before changes: how many seats of each subscription the deployment would take, against what is free
 * (`prepaidUnits.enabled - consumedUnits`, Graph's subscribedSku resource). Pure: the program reads the
 * subscriptions and the users' current licences once, at start, and fails before declaring anything when a
 * subscription is short.
 */
export interface Subscription {
    skuId: string;
    skuPartNumber: string;
    enabled: number;
    consumed: number;
}

export interface LicensedPerson {
    /** The users.yaml key, for the report. */
    key: string;
    /** skuIds users.yaml gives this person. */
    wanted: readonly string[];
    /** skuIds the person holds now, directly or through a group (none for a person not yet in Entra). */
    held: readonly string[];
}

export interface SeatUse {
    skuId: string;
    skuPartNumber: string;
    needed: number;
    free: number;
    keys: string[];
}

/** Per subscription that someone needs a new seat of: how many, how many are free, and for whom. */
export function seatUse(people: readonly LicensedPerson[], subscriptions: readonly Subscription[]): SeatUse[] {
    const out: SeatUse[] = [];
    for (const sub of subscriptions) {
        const id = sub.skuId.toLowerCase();
        const keys = people.filter((p) => p.wanted.some((w) => w.toLowerCase() === id) && !p.held.some((h) => h.toLowerCase() === id)).map((p) => p.key);
        if (keys.length) out.push({ skuId: sub.skuId, skuPartNumber: sub.skuPartNumber, needed: keys.length, free: Math.max(0, sub.enabled - sub.consumed), keys });
    }
    return out;
}

/** The subscriptions the deployment would run out of. */
export function seatShortages(people: readonly LicensedPerson[], subscriptions: readonly Subscription[]): SeatUse[] {
    return seatUse(people, subscriptions).filter((u) => u.needed > u.free);
}
