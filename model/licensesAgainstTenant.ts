import type { WantedLicense } from "./licenseChange";
import { LicenseProblem, resolveLicenses, TenantSubscription } from "./licenseResolution";
import { SeatUse, seatUse } from "./licenseSeats";
import type { ResolvedUser } from "./resolve";

/** A subscription as Graph's subscribedSku gives it: what the names resolve against, and its seats. */
export interface TenantSku extends TenantSubscription {
    prepaidUnits: { enabled: number };
    consumedUnits: number;
}

/** A user as Graph lists them with their licences (GET /users?$select=licenseAssignmentStates). */
export interface TenantUserLicenses {
    id: string;
    userPrincipalName: string;
    licenseAssignmentStates: readonly { skuId: string }[];
}

export interface LicensesAgainstTenant {
    /** Per users.yaml key: the licences to give, by skuId (empty for someone whose licences are to be removed). */
    wanted: Map<string, WantedLicense[]>;
    /** Names or plans the tenant cannot give, with where they are written: nothing else is judged then. */
    problems: LicenseProblem[];
    /** Per subscription someone needs a new seat of: how many, how many are free, for whom. */
    seats: SeatUse[];
    /** The subscriptions among `seats` with fewer free seats than needed. */
    shortages: SeatUse[];
}

/**
 * users.yaml's licences against the tenant, from the two reads made at start (subscriptions, everyone's licences):
 * names resolved to skuIds and plan ids, then the seats the change takes. A person is matched to their Entra
 * record by objectId, else by UPN. Pure; both `pulumi up` (components/tenantLicenses.ts) and the doctor judge
 * with it, so they cannot disagree.
 *
 * @param removeOnOffboarding offboarded users are to lose users.yaml's licences (stack setting)
 */
export function licensesAgainstTenant(
    users: readonly ResolvedUser[],
    subscriptions: readonly TenantSku[],
    current: readonly TenantUserLicenses[],
    removeOnOffboarding: boolean,
): LicensesAgainstTenant {
    const licensed = users.filter((u) => u.licenses.length > 0);
    const { wanted, problems } = resolveLicenses(
        licensed.map((u) => ({ key: u.key, licenses: u.licenses })),
        subscriptions.map((s) => ({ skuId: s.skuId, skuPartNumber: s.skuPartNumber, servicePlans: s.servicePlans })),
    );
    if (problems.length) return { wanted, problems, seats: [], shortages: [] };
    for (const u of licensed) if (!u.enabled && removeOnOffboarding) wanted.set(u.key, []);

    const byId = new Map(current.map((c) => [c.id.toLowerCase(), c]));
    const byUpn = new Map(current.map((c) => [c.userPrincipalName.toLowerCase(), c]));
    const people = licensed.map((u) => {
        const entra = (u.objectId && byId.get(u.objectId.toLowerCase())) || byUpn.get(u.userPrincipalName.toLowerCase());
        return { key: u.key, wanted: (wanted.get(u.key) ?? []).map((w) => w.skuId), held: (entra?.licenseAssignmentStates ?? []).map((s) => s.skuId) };
    });
    const seats = seatUse(
        people,
        subscriptions.map((s) => ({ skuId: s.skuId, skuPartNumber: s.skuPartNumber, enabled: s.prepaidUnits.enabled, consumed: s.consumedUnits })),
    );
    return { wanted, problems, seats, shortages: seats.filter((s) => s.needed > s.free) };
}

/** A shortage as one line: `SPB: 3 needed, 1 free, for a, b, c`. */
export const describeShortage = (s: SeatUse) => `${s.skuPartNumber}: ${s.needed} needed, ${s.free} free, for ${s.keys.join(", ")}`;
