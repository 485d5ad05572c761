import { licenseKey } from "./licenseSkus";
import type { Path } from "./locate";
import type { LicenseEntry, ProfileEntry, UserEntry, UsersFile } from "./schema";

/** A licence as users.yaml gives it to one person, with where it is written (for errors found at deploy time). */
export interface UserLicense {
    /** As written: a product name or part number. */
    name: string;
    /** Service plans to switch off, by name or id, as written. */
    disabledPlans: string[];
    /** `users.yaml:12:7`. */
    where: string;
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
            const license = { name: licenseNameOf(entry), disabledPlans: typeof entry === "string" ? [] : [...(entry.disabledPlans ?? [])], where: where([...path, i]) };
            const id = licenseKey(license.name);
            const earlier = merged.get(id);
            // A later, more specific place replaces an earlier one, but a plain name does not undo disabledPlans.
            if (!earlier || typeof entry !== "string" || earlier.disabledPlans.length === 0) merged.set(id, earlier ? { ...license, name: earlier.name } : license);
        });
    }
    return [...merged.values()];
}
