import { licenseNameOf } from "../licenses";
import { licenseKey, licenseNames, lookupLicense } from "../licenseSkus";
import { profilesOf, usageLocationOf } from "../resolve";
import type { LicenseEntry } from "../schema";
import { didYouMean } from "../suggest";
import { Rule } from "./context";

/** Every `licenses:` list in the file, with its path. */
function licenseLists(ctx: Parameters<Rule>[0]): [(string | number)[], LicenseEntry[]][] {
    const { data } = ctx;
    return [
        [["defaults", "licenses"], data.defaults?.licenses ?? []],
        ...Object.entries(data.profiles ?? {}).map(([name, p]): [(string | number)[], LicenseEntry[]] => [["profiles", name, "licenses"], p.licenses ?? []]),
        ...ctx.users().map(([key, u]): [(string | number)[], LicenseEntry[]] => [["users", key, "licenses"], u.licenses ?? []]),
    ];
}

/**
 * Licence names offline: the table of common licences (model/licenseSkus.ts) knows product names and part
 * numbers; anything else may still be a part number of one of the tenant's own subscriptions, which only the
 * deployment can check, so it is a warning here. A former product name is a warning too: "Office 365 Business
 * Premium" is today's Business Standard, not Business Premium.
 */
export const licenseNamesAreKnown: Rule = (ctx) => {
    for (const [path, entries] of licenseLists(ctx)) {
        const seen = new Map<string, number>();
        entries.forEach((entry, i) => {
            const name = licenseNameOf(entry);
            const at = typeof entry === "string" ? [...path, i] : [...path, i, "name"];
            const found = lookupLicense(name);
            if (found.kind === "unknown") {
                ctx.warning(
                    "unknown-license",
                    at,
                    `licence '${name}' is not one of the common licences this program knows${didYouMean(name, licenseNames())}; it is looked up among the tenant's subscriptions by part number when deploying (see the Licenses page of the Microsoft 365 admin center)`,
                );
            } else if (found.kind === "former") {
                ctx.warning("former-license-name", at, `'${name}' is the former name of ${found.sku.productName} (${found.sku.partNumber}); write '${found.sku.productName}' or '${found.sku.partNumber}' so nobody reads it as another product`);
            }
            const key = licenseKey(name);
            const earlier = seen.get(key);
            if (earlier !== undefined) ctx.warning("repeated-license", at, `licence '${name}' is already listed at ${[...path].join(".")}[${earlier}]`);
            else seen.set(key, i);
        });
    }
};

/** Graph refuses to assign a licence to a user without a usage location ("invalid usage location"). */
export const licensedUsersHaveAUsageLocation: Rule = (ctx) => {
    const { data } = ctx;
    for (const [key, user] of ctx.users()) {
        const names = [data.defaults?.licenses, ...profilesOf(data, user).map((p) => p.licenses), user.licenses].flatMap((list) => (list ?? []).map(licenseNameOf));
        if (names.length === 0 || usageLocationOf(data, user)) continue;
        ctx.error(
            "license-without-usage-location",
            ["users", key],
            `user '${key}' gets licences (${[...new Set(names)].join(", ")}) but has no usageLocation, and Microsoft Graph refuses to assign a licence without one; set usageLocation on the user, a profile or defaults (e.g. usageLocation: AU)`,
            "key",
        );
    }
};
