import * as pulumi from "@pulumi/pulumi";
import { loadedProvider } from "../dynamic/loadedProvider";
import type { ExistingGroupMembersInputs, ExistingGroupMembersOutputs, GroupMemberRef } from "./existingGroupMembersProvider";

export interface ExistingGroupMembersArgs {
    groupObjectId: pulumi.Input<string>;
    groupName: pulumi.Input<string>;
    members: pulumi.Input<pulumi.Input<{ key: pulumi.Input<string>; objectId: pulumi.Input<string> }>[]>;
    /** Keys of people already in the group when the program looked (for the plan). */
    alreadyMembers: string[];
}

/** existingGroupMembersImplementation (./existingGroupMembersProvider.ts), loaded from the project at run time. */
export const existingGroupMembersProvider = loadedProvider<ExistingGroupMembersInputs, ExistingGroupMembersOutputs>(
    "components/groupMembers/existingGroupMembersProvider",
    "existingGroupMembersImplementation",
);

/**
 * The people users.yaml puts in a group that already exists in Entra (`pulumi-nodejs:dynamic/entra:ExistingGroupMembers`):
 * one resource per group. Not authoritative: members users.yaml does not name are left in the group.
 */
export class ExistingGroupMembers extends pulumi.dynamic.Resource {
    declare public readonly members: pulumi.Output<GroupMemberRef[]>;
    declare public readonly managed: pulumi.Output<string[]>;

    constructor(name: string, args: ExistingGroupMembersArgs, opts?: pulumi.CustomResourceOptions) {
        super(existingGroupMembersProvider, name, { managed: undefined, ...args }, opts, "entra", "ExistingGroupMembers");
    }
}
