import { licenseKey } from "./licenseSkus";
import type { Path } from "./locate";
import type { LicenseEntry, ProfileEntry, UserEntry, UsersFile } from "./schema";

/** A licence as users.yaml gives it to one person, with where it is written (for errors found at deploy time). */
export interface UserLicense {
    /** As written: a product name or part number. */
    name: string;
    /**
     * Service plans to switch off, by name or id, as written: exactly these (`[]`: every plan on). Absent when
     * users.yaml does not state them: the plans of a licence the user holds are left as they are in Entra (an
     * administrator may have switched some off by hand), and a newly assigned licence gets Graph's default.
     */
    disabledPlans?: string[];
    /** `users.yaml:12:7`. */
    where: string;
}

/**
 * How a licence's service plans read in the plan and the review: left as they are, or exactly the ones stated.
 * @param disabledPlans as users.yaml states them (names or ids), or undefined when it does not
 */
export function describePlans(disabledPlans: readonly string[] | undefined): string {
    if (disabledPlans === undefined) return "plans as in Entra";
    return disabledPlans.length ? `exactly: ${disabledPlans.join(", ")} off` : "exactly: every plan on";
}

/** The licence a `licenses:` entry names (a string, or the `name` of `{ name, disabledPlans }`). */
export const licenseNameOf = (entry: LicenseEntry): string => (typeof entry === "string" ? entry : entry.name);

/**
 * defaults ∪ profiles ∪ the user's own `licenses`, one entry per licence (a product name and its part number
 * are one licence). The most specific place wins for disabledPlans: the user's own entry, else the last profile
 * that lists the licence, else defaults.
 */
export function licensesOf(file: UsersFile, key: string, user: UserEntry, profiles: readonly [string, ProfileEntry][], where: (path: Path) => string): UserLicense[] {
    const sources: [Path, LicenseEntry[] | undefined][] = [
        [["defaults", "licenses"], file.defaults?.licenses],
        ...profiles.map(([name, p]): [Path, LicenseEntry[] | undefined] => [["profiles", name, "licenses"], p.licenses]),
        [["users", key, "licenses"], user.licenses],
    ];
    const merged = new Map<string, UserLicense>();
    for (const [path, entries] of sources) {
        (entries ?? []).forEach((entry, i) => {
            const stated = typeof entry === "string" ? undefined : entry.disabledPlans;
            const license: UserLicense = { name: licenseNameOf(entry), ...(stated ? { disabledPlans: [...stated] } : {}), where: where([...path, i]) };
            const id = licenseKey(license.name);
            const earlier = merged.get(id);
            // A later, more specific place replaces an earlier one, but one that does not state disabledPlans does
            // not undo an earlier statement (even `[]`).
            if (!earlier || stated !== undefined || earlier.disabledPlans === undefined) merged.set(id, earlier ? { ...license, name: earlier.name } : license);
        });
    }
    return [...merged.values()];
}
