import * as pulumi from "@pulumi/pulumi";
import type { DirectoryReader } from "../graph";
import type { SubscribedSku, UserLicenses } from "../graph/licenses";
import { lookupLicense } from "../model/licenseSkus";
import { WantedLicense } from "../model/licenseChange";
import type { SeatUse } from "../model/licenseSeats";
import { describeShortage, licensesAgainstTenant } from "../model/licensesAgainstTenant";
import type { ResolvedUser } from "../model";

export interface TenantLicenses {
    /** Per users.yaml key: the licences to give, by skuId (empty for someone whose licences are to be removed). */
    wanted: ReadonlyMap<string, WantedLicense[]>;
    /** Per subscription: the seats this deployment takes and how many are free (for the plan); none offline. */
    seats: SeatUse[];
}

/**
 * Seats before changes (seed step 5): reads the tenant's subscriptions and everyone's licences once, turns
 * users.yaml's licence names into skuIds, and refuses the whole run, before anything is declared, when a name is
 * not a subscription of the tenant or a subscription has fewer free seats than the change needs. `pulumi preview`
 * runs this too, so a reviewer sees it before approving.
 *
 * @param removeOnOffboarding offboarded users are to lose users.yaml's licences (stack setting)
 */
export async function lookupTenantLicenses(reader: DirectoryReader, users: readonly ResolvedUser[], removeOnOffboarding: boolean): Promise<TenantLicenses> {
    const licensed = users.filter((u) => u.licenses.length > 0);
    if (licensed.length === 0) return { wanted: new Map(), seats: [] };
    if (reader.offline) return offlineLicenses(licensed, removeOnOffboarding);

    let subscriptions: SubscribedSku[];
    let current: UserLicenses[];
    try {
        [subscriptions, current] = await Promise.all([reader.subscribedSkus(), reader.usersLicenses()]);
    } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new pulumi.RunError(
            `cannot read the tenant's licences; nothing was changed: ${why}\n` +
                "The deploying identity needs the Graph application permissions Organization.Read.All (subscriptions) and User.Read.All (who holds what), with the same credentials as the azuread provider.",
        );
    }

    const { wanted, problems, seats, shortages } = licensesAgainstTenant(users, subscriptions, current, removeOnOffboarding);
    if (problems.length) {
        throw new pulumi.RunError(`licences in users.yaml that the tenant cannot give; nothing was changed:\n${problems.map((p) => `${p.where}: error: ${p.message}`).join("\n")}`);
    }
    if (shortages.length) {
        throw new pulumi.RunError(
            `not enough licences; nothing was changed:\n  ${shortages.map(describeShortage).join("\n  ")}\nBuy more seats (Microsoft 365 admin center > Billing > Your products), or take the licence off someone in users.yaml.`,
        );
    }
    return { wanted, seats };
}

/**
 * Without a tenant (`npm run plan`): the licences the table of common licences knows, with their service plans
 * as written; names it does not know are left out here (the validator has warned) and checked when deploying.
 */
function offlineLicenses(licensed: readonly ResolvedUser[], removeOnOffboarding: boolean): TenantLicenses {
    const wanted = new Map<string, WantedLicense[]>();
    for (const u of licensed) {
        const known = u.licenses.flatMap((l) => {
            const found = lookupLicense(l.name);
            return found.kind === "unknown" ? [] : [{ skuId: found.sku.skuId, ...(l.disabledPlans ? { disabledPlans: l.disabledPlans } : {}) }];
        });
        wanted.set(u.key, !u.enabled && removeOnOffboarding ? [] : known);
    }
    return { wanted, seats: [] };
}
