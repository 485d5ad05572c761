import * as pulumi from "@pulumi/pulumi";
import { loadedProvider } from "../dynamic/loadedProvider";
import type { RoleMembersInputs, RoleMembersOutputs } from "./roleMembersProvider";

export interface RoleMembersArgs {
    /** The portal role's name, e.g. "Portal Users - AU". */
    role: pulumi.Input<string>;
    /** Members by user name (UPN). */
    members: pulumi.Input<pulumi.Input<string>[]>;
    /** false (default): manage only these members and leave others alone; true: the role holds exactly these users. */
    exclusive?: pulumi.Input<boolean>;
}

/**
 * What the engine runs for a RoleMembers: roleMembersImplementation (./roleMembersProvider.ts), loaded from the
 * project at run time (see loadedProvider).
 */
export const roleMembersProvider = loadedProvider<RoleMembersInputs, RoleMembersOutputs>("components/practiceprotect/roleMembersProvider", "roleMembersImplementation");

/** The members of one Practice Protect portal role (`pulumi-nodejs:dynamic/practiceprotect:RoleMembers`). */
export class RoleMembers extends pulumi.dynamic.Resource {
    declare public readonly role: pulumi.Output<string>;
    declare public readonly members: pulumi.Output<string[]>;
    declare public readonly exclusive: pulumi.Output<boolean>;
    declare public readonly roleId: pulumi.Output<string>;
    declare public readonly unexpectedMembers: pulumi.Output<string[]>;

    constructor(name: string, args: RoleMembersArgs, opts?: pulumi.CustomResourceOptions) {
        super(roleMembersProvider, name, { roleId: undefined, memberIds: undefined, unexpectedMembers: undefined, ...args }, opts, "practiceprotect", "RoleMembers");
    }
}
