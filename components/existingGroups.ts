import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { ExistingGroupRef } from "../model";
import { whyMembersCannotBeAdded, whyRoleAssignableIsRefused } from "../model/groupMembership";

/** An existing Entra group users.yaml puts people in, as read once at deploy time. */
export interface ExistingGroup {
    name: string;
    /** The group's display name as Entra spells it (stable whatever letter case users.yaml uses). */
    displayName: string;
    objectId: string;
    /** Object ids of its direct members when looked up, lower-cased (the plan marks these people "already a member"). */
    members: ReadonlySet<string>;
    /** isAssignableToRole: its members hold the directory roles assigned to it (only with users.yaml's grantsRoles). */
    assignableToRole: boolean;
}

export { GroupKind, whyMembersCannotBeAdded, whyRoleAssignableIsRefused } from "../model/groupMembership";

/**
 * Finds the Entra groups users.yaml refers to but does not create, by exact display name (ignoring case, as
 * Entra does), and reads each once (`getGroup`, which returns its kind and members): not one call per user.
 * One call lists the tenant's groups: `getGroups` by display name fails outright when two groups share a name,
 * and we want to report every missing, ambiguous or unusable group at once, with where it is written.
 * Runs before any resource is declared, so a bad group stops the deployment before anything changes.
 *
 * A role-assignable group (`assignableToRole`, Graph's isAssignableToRole, which the provider's data source reads:
 * terraform-provider-azuread group_data_source.go `assignable_to_role`) is refused unless users.yaml acknowledges it
 * (`existingGroups.<name>.grantsRoles: true`): putting someone in it grants them every directory role assigned to it.
 */
export async function lookupExistingGroups(groups: readonly ExistingGroupRef[]): Promise<Map<string, ExistingGroup>> {
    const found = new Map<string, ExistingGroup>();
    if (groups.length === 0) return found;
    const all = await azuread.getGroups({ returnAll: true });
    const idsByName = new Map<string, string[]>();
    all.displayNames.forEach((name, i) => {
        const key = name.toLowerCase();
        idsByName.set(key, [...(idsByName.get(key) ?? []), all.objectIds[i]]);
    });
    const problems: string[] = [];
    const unique: [ExistingGroupRef, string][] = [];
    for (const group of groups) {
        const ids = idsByName.get(group.name.toLowerCase()) ?? [];
        if (ids.length === 1) unique.push([group, ids[0]]);
        else if (ids.length === 0) {
            problems.push(`${group.where}: error: group '${group.name}' does not exist in Entra ID; add it under groups: to create it, or correct the name to an existing group's display name`);
        } else {
            problems.push(`${group.where}: error: ${ids.length} Entra groups are named '${group.name}' (object ids ${ids.join(", ")}); rename one in Entra so the name is unambiguous`);
        }
    }
    const read = await Promise.all(unique.map(([, objectId]) => azuread.getGroup({ objectId })));
    unique.forEach(([group, objectId], i) => {
        const more = group.uses - group.usedAt.length;
        const also = group.uses > 1 ? ` (used at ${group.usedAt.join(", ")}${more > 0 ? ` and ${more} more ${more === 1 ? "place" : "places"}` : ""})` : "";
        const why = whyMembersCannotBeAdded(read[i]) ?? whyRoleAssignableIsRefused(group, read[i].assignableToRole === true);
        if (why) {
            problems.push(`${group.where}: error: group '${group.name}' ${why}${also}`);
            return;
        }
        if (group.grantsRoles && read[i].assignableToRole !== true) {
            // isAssignableToRole is set when a group is made and never changes ("group resource type"): harmless, but it misleads the reviewer.
            void pulumi.log.warn(`${group.where}: warning: existingGroups.${group.name}.grantsRoles says group '${group.name}' grants directory roles, but it is not role-assignable; remove the acknowledgement`);
        }
        found.set(group.name.toLowerCase(), {
            name: group.name,
            displayName: read[i].displayName,
            objectId,
            members: new Set((read[i].members ?? []).map((m) => m.toLowerCase())),
            assignableToRole: read[i].assignableToRole === true,
        });
    });
    if (problems.length) throw new pulumi.RunError(`users.yaml refers to groups that cannot be used; nothing was changed:\n${problems.join("\n")}`);
    return found;
}
