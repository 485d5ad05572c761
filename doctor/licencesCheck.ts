import type { SubscribedSku, UserLicenses } from "../graph";
import type { ResolvedUser } from "../model";
import { describeShortage, licensesAgainstTenant } from "../model/licensesAgainstTenant";
import type { Check } from "./check";

/**
 * Every licence users.yaml gives resolves to one of the tenant's subscriptions (and its service plans), and each
 * subscription has the free seats the change needs: the program's own start-up check (components/tenantLicenses.ts),
 * made with the same pure function (model/licensesAgainstTenant.ts), from the same two reads.
 */
export function licencesCheck(users: readonly ResolvedUser[], subscriptions: readonly SubscribedSku[], current: readonly UserLicenses[], removeOnOffboarding: boolean): Check {
    const base = { id: "entra.licences", section: "Entra ID" as const, title: "Licences and seats" };
    const licensed = users.filter((u) => u.licenses.length > 0);
    if (licensed.length === 0) return { ...base, verdict: "pass", detail: "users.yaml gives no licences" };
    const { problems, seats: use, shortages } = licensesAgainstTenant(users, subscriptions, current, removeOnOffboarding);
    if (problems.length) {
        return {
            ...base,
            verdict: "fail",
            detail: problems.map((p) => `${p.where}: ${p.message}`).join("; "),
            advice: ["Write a licence the tenant has (its part number, e.g. SPB), or buy the subscription first (Microsoft 365 admin center > Billing > Purchase services)."],
        };
    }
    if (shortages.length) {
        return {
            ...base,
            verdict: "fail",
            detail: `not enough seats: ${shortages.map(describeShortage).join("; ")}`,
            advice: ["Buy more seats (Microsoft 365 admin center > Billing > Your products), or take the licence off someone in users.yaml."],
        };
    }
    const seats = use.length ? `; new seats: ${use.map((s) => `${s.skuPartNumber} ${s.needed} of ${s.free} free`).join(", ")}` : "; no new seat needed";
    return { ...base, verdict: "pass", detail: `${licensed.length} licensed users, every licence a subscription of the tenant${seats}` };
}
