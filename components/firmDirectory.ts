import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { FirmModel, ResolvedUser } from "../model";
import { managerRef } from "../model/resolve";
import type { ExistingGroup } from "./existingGroups";
import type { ExistingRoleAssignments } from "./existingRoleAssignments";
import { FirmUser, UserGroup } from "./firmUser";

export interface FirmDirectoryArgs {
    model: FirmModel;
    /** The existing groups users.yaml refers to, by lower-cased display name. */
    existingGroups: ReadonlyMap<string, ExistingGroup>;
    /** Admin role assignments adopted users already hold. */
    existingRoleAssignments: ExistingRoleAssignments;
    deleteRemovedUsers: boolean;
    deleteRemovedGroups: boolean;
}

/** Everything users.yaml declares in Entra ID: the groups it creates and one FirmUser per person. */
export class FirmDirectory extends pulumi.ComponentResource {
    /** Every user by users.yaml key. */
    public readonly users: Record<string, FirmUser> = {};

    constructor(name: string, args: FirmDirectoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("firm:entra:Directory", name, {}, opts);

        const groups = new Map<string, UserGroup>([...args.existingGroups].map(([key, g]) => [key, { objectId: g.objectId, existingMembers: g.members }]));
        for (const group of args.model.managedGroups) {
            const created = new azuread.Group(
                group.name,
                {
                    displayName: group.name,
                    description: group.description,
                    securityEnabled: true,
                    mailEnabled: false,
                    preventDuplicateNames: true,
                },
                { parent: this, retainOnDelete: !args.deleteRemovedGroups },
            );
            groups.set(group.name.toLowerCase(), { objectId: created.objectId });
        }

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
                { user, groups, managerObjectId, existingRoleAssignments: args.existingRoleAssignments, deleteWhenRemoved: args.deleteRemovedUsers },
                { parent: this },
            );
            built.set(user.key, firmUser);
            return firmUser;
        };
        for (const user of args.model.users) this.users[user.key] = build(user);
        this.registerOutputs({});
    }
}
