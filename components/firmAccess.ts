import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_ROLE_TEMPLATE_IDS, FirmModel } from "../model";
import type { ExistingGroup } from "./existingGroups";
import { ExistingRoleAssignments, roleAssignmentImportId, roleAssignmentKey } from "./existingRoleAssignments";
import type { EntraPerson } from "./firmDirectory";
import { ExistingGroupMembers } from "./groupMembers";

export interface FirmAccessArgs {
    model: FirmModel;
    /** Every person's Entra user, by users.yaml key. */
    people: Readonly<Record<string, EntraPerson>>;
    /** The existing groups users.yaml refers to, by lower-cased display name (looked up at start). */
    existingGroups: ReadonlyMap<string, ExistingGroup>;
    /** Admin role assignments adopted users already hold: imported rather than created. */
    existingRoleAssignments: ExistingRoleAssignments;
    /**
     * Per person created in this run, a resource that finishes only once Microsoft Graph shows them (their
     * UserLicenses waits for that). The azuread provider does not wait: adding a user Graph does not know yet
     * to a group or a role fails (hashicorp/terraform-provider-azuread#1035, #1810), so those wait for it. Without
     * one (no licences in users.yaml), the existing groups the person is put in stand in for it.
     */
    visibleAfter: Readonly<Record<string, pulumi.Resource>>;
    deleteRemovedGroups: boolean;
}

/**
 * What people can reach in Entra (`firm:entra:Access`): the groups this program creates, with their members;
 * memberships of existing groups, one resource per group; and admin roles, one assignment per person and role.
 */
export class FirmAccess extends pulumi.ComponentResource {
    /** Per users.yaml key, the resources that give that person their groups and roles (a portal invite waits for them). */
    public readonly byPerson: Record<string, pulumi.Resource[]> = {};

    constructor(name: string, args: FirmAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("firm:entra:Access", name, {}, opts);
        const { model, people } = args;
        const grants = (keys: readonly string[], resource: pulumi.Resource) => {
            for (const key of keys) (this.byPerson[key] ??= []).push(resource);
        };
        // What shows that Graph knows a person created in this run: their UserLicenses; in a users.yaml without
        // licences, the existing groups they are put in (ExistingGroupMembers waits for them too), declared first.
        const waitFor = (keys: readonly string[]) =>
            keys.flatMap((k) => (!people[k].created ? [] : args.visibleAfter[k] ? [args.visibleAfter[k]] : (this.byPerson[k] ?? []).filter((r) => r instanceof ExistingGroupMembers)));
        const adoptedObjectIds = new Map(model.users.flatMap((u) => (u.objectId ? [[u.key, u.objectId.toLowerCase()] as const] : [])));
        const membersOf = (groupName: string) => model.users.filter((u) => u.groups.some((g) => g.toLowerCase() === groupName.toLowerCase())).map((u) => u.key);

        // Existing groups: only the people users.yaml puts there are added or taken out; nobody else is touched.
        // Named by the group's object id, never its name: a rename in Entra, or another letter case in users.yaml,
        // must not replace the resource (a replacement would take everyone out as it deletes the old one).
        for (const group of args.existingGroups.values()) {
            const members = membersOf(group.name);
            const existing = new ExistingGroupMembers(
                `members-of-${group.objectId}`,
                {
                    groupObjectId: group.objectId,
                    groupName: group.displayName,
                    members: members.map((k) => ({ key: k, objectId: people[k].objectId })),
                    alreadyMembers: members.filter((k) => {
                        const objectId = adoptedObjectIds.get(k);
                        return objectId !== undefined && group.members.has(objectId);
                    }),
                },
                { parent: this },
            );
            grants(members, existing);
        }

        // The groups this program creates own their member lists (azuread.Group.members is authoritative): one
        // resource per group, and people added by hand are removed, as users.yaml says.
        for (const group of model.managedGroups) {
            const members = membersOf(group.name);
            const created = new azuread.Group(
                group.name.toLowerCase(),
                {
                    displayName: group.name,
                    description: group.description,
                    securityEnabled: true,
                    mailEnabled: false,
                    preventDuplicateNames: true,
                    members: members.map((k) => people[k].objectId),
                },
                {
                    parent: this,
                    retainOnDelete: !args.deleteRemovedGroups,
                    dependsOn: waitFor(members),
                    // Named from the lower-cased name, so a change of letter case or a rename (with the old name under
                    // aliases) updates the same group; the aliases are every name it may have had, as spelled.
                    aliases: [...new Set([group.name, ...group.aliases, ...group.aliases.map((a) => a.toLowerCase())])].filter((a) => a !== group.name.toLowerCase()).map((a) => ({ name: a })),
                },
            );
            grants(members, created);
        }

        for (const user of model.users) {
            const objectId = user.objectId?.toLowerCase();
            for (const role of user.adminRoles) {
                const roleId = ADMIN_ROLE_TEMPLATE_IDS[role];
                const existing = objectId === undefined ? undefined : args.existingRoleAssignments.get(roleAssignmentKey(objectId, roleId));
                const assignment = new azuread.DirectoryRoleAssignment(
                    `${user.key}-as-${role}`,
                    { roleId, principalObjectId: people[user.key].objectId },
                    { parent: this, dependsOn: waitFor([user.key]), import: existing === undefined ? undefined : roleAssignmentImportId(existing) },
                );
                grants([user.key], assignment);
            }
        }
        this.registerOutputs({});
    }
}
