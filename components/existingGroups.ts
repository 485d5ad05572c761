import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { ExistingGroupRef } from "../model";

/**
 * Finds the Entra groups users.yaml refers to but does not create, by exact display name (ignoring case, as
 * Entra does). One call lists the tenant's groups: `getGroups` by display name fails outright when two groups
 * share a name, and we want to report every missing or ambiguous name at once, with where it is written.
 * Runs before any resource is declared, so a missing group stops the deployment before anything changes.
 */
export async function lookupExistingGroups(groups: readonly ExistingGroupRef[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (groups.length === 0) return found;
    const all = await azuread.getGroups({ returnAll: true });
    const idsByName = new Map<string, string[]>();
    all.displayNames.forEach((name, i) => {
        const key = name.toLowerCase();
        idsByName.set(key, [...(idsByName.get(key) ?? []), all.objectIds[i]]);
    });
    const problems: string[] = [];
    for (const group of groups) {
        const ids = idsByName.get(group.name.toLowerCase()) ?? [];
        if (ids.length === 1) found.set(group.name.toLowerCase(), ids[0]);
        else if (ids.length === 0) {
            problems.push(`${group.where}: error: group '${group.name}' does not exist in Entra ID; add it under groups: to create it, or correct the name to an existing group's display name`);
        } else {
            problems.push(`${group.where}: error: ${ids.length} Entra groups are named '${group.name}' (object ids ${ids.join(", ")}); rename one in Entra so the name is unambiguous`);
        }
    }
    if (problems.length) throw new pulumi.RunError(`users.yaml refers to groups that cannot be used; nothing was changed:\n${problems.join("\n")}`);
    return found;
}
