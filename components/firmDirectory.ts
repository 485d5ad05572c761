import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { FirmModel, ResolvedUser } from "../model";
import { managerRef } from "../model/resolve";
import type { ExistingGroup } from "./existingGroups";
import type { ExistingRoleAssignments } from "./existingRoleAssignments";
import { FirmUser } from "./firmUser";

export interface FirmDirectoryArgs {
    model: FirmModel;
    /** The existing groups users.yaml refers to, by lower-cased display name. */
    existingGroups: ReadonlyMap<string, ExistingGroup>;
    /** Admin role assignments adopted users already hold. */
    existingRoleAssignments: ExistingRoleAssignments;
    deleteRemovedUsers: boolean;
    deleteRemovedGroups: boolean;
}

/** Everything users.yaml declares in Entra ID: one FirmUser per person and the groups it creates, with their members. */
export class FirmDirectory extends pulumi.ComponentResource {
    /** Every user by users.yaml key. */
    public readonly users: Record<string, FirmUser> = {};

    constructor(name: string, args: FirmDirectoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("firm:entra:Directory", name, {}, opts);

        const createdGroups = new Set(args.model.managedGroups.map((g) => g.name.toLowerCase()));
        // Managers first, so a manager named by key has an object id to give (validation refuses circles).
        const byKey = new Map(args.model.users.map((u) => [u.key, u]));
        const built = new Map<string, FirmUser>();
        const build = (user: ResolvedUser): FirmUser => {
            const done = built.get(user.key);
            if (done) return done;
            const ref = user.manager === undefined ? undefined : managerRef({ users: Object.fromEntries(byKey) }, user.manager);
            const managerObjectId = ref === undefined ? undefined : "objectId" in ref ? ref.objectId : build(byKey.get(ref.key)!).objectId;
            const firmUser = new FirmUser(
                user.key,
                {
                    user,
                    existingGroups: args.existingGroups,
                    createdGroups,
                    managerObjectId,
                    existingRoleAssignments: args.existingRoleAssignments,
                    deleteWhenRemoved: args.deleteRemovedUsers,
                },
                { parent: this },
            );
            built.set(user.key, firmUser);
            return firmUser;
        };
        for (const user of args.model.users) this.users[user.key] = build(user);

        // The groups this program creates own their member lists (azuread.Group.members is authoritative): one
        // resource per group instead of one per person, and people added by hand are removed, as users.yaml says.
        for (const group of args.model.managedGroups) {
            const members = args.model.users.filter((u) => u.groups.some((g) => g.toLowerCase() === group.name.toLowerCase())).map((u) => this.users[u.key].objectId);
            new azuread.Group(
                group.name.toLowerCase(),
                {
                    displayName: group.name,
                    description: group.description,
                    securityEnabled: true,
                    mailEnabled: false,
                    preventDuplicateNames: true,
                    members,
                },
                {
                    parent: this,
                    retainOnDelete: !args.deleteRemovedGroups,
                    // Named from the lower-cased name, so a change of letter case or a rename (with the old name under
                    // aliases) updates the same group; the aliases are every name it may have had, as spelled.
                    aliases: [...new Set([group.name, ...group.aliases, ...group.aliases.map((a) => a.toLowerCase())])].filter((a) => a !== group.name.toLowerCase()).map((a) => ({ name: a })),
                },
            );
        }
        this.registerOutputs({});
    }
}
