import { WantedLicense } from "./licenseChange";
import { lookupLicense } from "./licenseSkus";

/**
 * users.yaml's licence names, made into the skuIds and service plan ids Graph takes, against the subscriptions
 * the tenant holds (`GET /subscribedSkus`). Pure: the program reads the subscriptions once at start.
 * Graph's subscribedSku has `skuPartNumber` but no product name, so a product name must be in the table
 * (model/licenseSkus.ts); a part number is matched against the tenant directly.
 */
export interface TenantSubscription {
    skuId: string;
    skuPartNumber: string;
    servicePlans: readonly { servicePlanId: string; servicePlanName: string }[];
}

export interface LicenseRequest {
    /** As written in users.yaml. */
    name: string;
    /** Service plans to switch off, by name (TEAMS1) or id, as written; undefined when users.yaml does not state them. */
    disabledPlans?: readonly string[];
    /** `users.yaml:12:7`, where the licence is written. */
    where: string;
}

export interface PersonLicenses {
    key: string;
    licenses: readonly LicenseRequest[];
}

export interface LicenseProblem {
    where: string;
    message: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function resolveLicenses(people: readonly PersonLicenses[], subscriptions: readonly TenantSubscription[]): { wanted: Map<string, WantedLicense[]>; problems: LicenseProblem[] } {
    const byId = new Map(subscriptions.map((s) => [s.skuId.toLowerCase(), s]));
    const byPart = new Map(subscriptions.map((s) => [s.skuPartNumber.toLowerCase(), s]));
    const held = subscriptions.map((s) => s.skuPartNumber).sort().join(", ") || "none";
    const problems: LicenseProblem[] = [];
    const reported = new Set<string>();
    const problem = (where: string, message: string) => {
        if (!reported.has(`${where}\n${message}`)) problems.push({ where, message });
        reported.add(`${where}\n${message}`);
    };

    const wanted = new Map<string, WantedLicense[]>();
    for (const person of people) {
        const list: WantedLicense[] = [];
        for (const request of person.licenses) {
            const known = lookupLicense(request.name);
            const sub = known.kind === "unknown" ? byPart.get(request.name.trim().toLowerCase()) : byId.get(known.sku.skuId);
            if (!sub) {
                const what = known.kind === "unknown" ? `'${request.name}' is not a product name this program knows nor a subscription of this tenant` : `the tenant has no ${known.sku.productName} (${known.sku.partNumber}) subscription`;
                problem(request.where, `${what}; its subscriptions are: ${held}. Write one of those part numbers, or buy the licence first.`);
                continue;
            }
            if (request.disabledPlans === undefined) {
                if (!list.some((l) => l.skuId === sub.skuId)) list.push({ skuId: sub.skuId });
                continue;
            }
            const disabledPlans: string[] = [];
            for (const plan of request.disabledPlans) {
                const found = sub.servicePlans.find((p) => (GUID.test(plan) ? p.servicePlanId.toLowerCase() === plan.toLowerCase() : p.servicePlanName.toLowerCase() === plan.toLowerCase()));
                if (found) disabledPlans.push(found.servicePlanId);
                else problem(request.where, `${sub.skuPartNumber} has no service plan '${plan}'; its plans are: ${sub.servicePlans.map((p) => p.servicePlanName).sort().join(", ")}`);
            }
            if (!list.some((l) => l.skuId === sub.skuId)) list.push({ skuId: sub.skuId, disabledPlans });
        }
        wanted.set(person.key, list);
    }
    return { wanted, problems };
}
