import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { FirmModel } from "../model";
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

        for (const user of args.model.users) {
            this.users[user.key] = new FirmUser(
                user.key,
                { user, groups, existingRoleAssignments: args.existingRoleAssignments, deleteWhenRemoved: args.deleteRemovedUsers },
                { parent: this },
            );
        }
        this.registerOutputs({});
    }
}
