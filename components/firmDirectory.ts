import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { FirmModel } from "../model";
import { FirmUser } from "./firmUser";

export interface FirmDirectoryArgs {
    model: FirmModel;
    /** Object ids of the existing groups users.yaml refers to, by lower-cased display name. */
    existingGroupObjectIds: ReadonlyMap<string, string>;
    deleteRemovedUsers: boolean;
    deleteRemovedGroups: boolean;
}

/** Everything users.yaml declares in Entra ID: the groups it creates and one FirmUser per person. */
export class FirmDirectory extends pulumi.ComponentResource {
    /** Every user by users.yaml key. */
    public readonly users: Record<string, FirmUser> = {};

    constructor(name: string, args: FirmDirectoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("firm:entra:Directory", name, {}, opts);

        const groupObjectIds = new Map<string, pulumi.Input<string>>(args.existingGroupObjectIds);
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
            groupObjectIds.set(group.name.toLowerCase(), created.objectId);
        }

        for (const user of args.model.users) {
            this.users[user.key] = new FirmUser(
                user.key,
                { user, groupObjectIds, deleteWhenRemoved: args.deleteRemovedUsers },
                { parent: this },
            );
        }
        this.registerOutputs({});
    }
}
