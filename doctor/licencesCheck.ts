import type { SubscribedSku, UserLicenses } from "../graph";
import type { ResolvedUser } from "../model";
import { resolveLicenses } from "../model/licenseResolution";
import { seatShortages, seatUse } from "../model/licenseSeats";
import type { Check } from "./check";

/**
 * Every licence users.yaml gives resolves to one of the tenant's subscriptions (and its service plans), and each
 * subscription has the free seats the change needs: the program's own start-up check (components/tenantLicenses.ts),
 * made with the same pure core, from the same two reads.
 */
export function licencesCheck(users: readonly ResolvedUser[], subscriptions: readonly SubscribedSku[], current: readonly UserLicenses[], removeOnOffboarding: boolean): Check {
    const base = { id: "entra.licences", section: "Entra ID" as const, title: "Licences and seats" };
    const licensed = users.filter((u) => u.licenses.length > 0);
    if (licensed.length === 0) return { ...base, verdict: "pass", detail: "users.yaml gives no licences" };
    const { wanted, problems } = resolveLicenses(
        licensed.map((u) => ({ key: u.key, licenses: u.licenses })),
        subscriptions.map((s) => ({ skuId: s.skuId, skuPartNumber: s.skuPartNumber, servicePlans: s.servicePlans })),
    );
    if (problems.length) {
        return {
            ...base,
            verdict: "fail",
            detail: problems.map((p) => `${p.where}: ${p.message}`).join("; "),
            advice: ["Write a licence the tenant has (its part number, e.g. SPB), or buy the subscription first (Microsoft 365 admin center > Billing > Purchase services)."],
        };
    }
    for (const u of licensed) if (!u.enabled && removeOnOffboarding) wanted.set(u.key, []);
    const byId = new Map(current.map((c) => [c.id.toLowerCase(), c]));
    const byUpn = new Map(current.map((c) => [c.userPrincipalName.toLowerCase(), c]));
    const people = licensed.map((u) => {
        const entra = (u.objectId && byId.get(u.objectId.toLowerCase())) || byUpn.get(u.userPrincipalName.toLowerCase());
        return { key: u.key, wanted: (wanted.get(u.key) ?? []).map((w) => w.skuId), held: (entra?.licenseAssignmentStates ?? []).map((s) => s.skuId) };
    });
    const subs = subscriptions.map((s) => ({ skuId: s.skuId, skuPartNumber: s.skuPartNumber, enabled: s.prepaidUnits.enabled, consumed: s.consumedUnits }));
    const short = seatShortages(people, subs);
    if (short.length) {
        return {
            ...base,
            verdict: "fail",
            detail: `not enough seats: ${short.map((s) => `${s.skuPartNumber}: ${s.needed} needed, ${s.free} free, for ${s.keys.join(", ")}`).join("; ")}`,
            advice: ["Buy more seats (Microsoft 365 admin center > Billing > Your products), or take the licence off someone in users.yaml."],
        };
    }
    const use = seatUse(people, subs);
    const seats = use.length ? `; new seats: ${use.map((s) => `${s.skuPartNumber} ${s.needed} of ${s.free} free`).join(", ")}` : "; no new seat needed";
    return { ...base, verdict: "pass", detail: `${licensed.length} licensed users, every licence a subscription of the tenant${seats}` };
}
