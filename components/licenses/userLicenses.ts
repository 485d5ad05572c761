import * as pulumi from "@pulumi/pulumi";
import type { WantedLicense } from "../../model/licenseChange";
import { loadedProvider } from "../dynamic/loadedProvider";
import type { UserLicensesInputs, UserLicensesOutputs } from "./userLicensesProvider";

export interface UserLicensesArgs {
    /** The Entra user's object id. */
    userId: pulumi.Input<string>;
    /** For messages only. */
    userPrincipalName: pulumi.Input<string>;
    /** The licences users.yaml gives the user now, by skuId, with service plans switched off (by id). */
    licenses: pulumi.Input<pulumi.Input<WantedLicense>[]>;
}

/** userLicensesImplementation (./userLicensesProvider.ts), loaded from the project at run time: the state stays small. */
export const userLicensesProvider = loadedProvider<UserLicensesInputs, UserLicensesOutputs>("components/licenses/userLicensesProvider", "userLicensesImplementation");

/** A user's licences (`pulumi-nodejs:dynamic/entra:UserLicenses`). */
export class UserLicenses extends pulumi.dynamic.Resource {
    declare public readonly licenses: pulumi.Output<WantedLicense[]>;
    declare public readonly managed: pulumi.Output<string[]>;
    declare public readonly heldByGroup: pulumi.Output<string[]>;

    constructor(name: string, args: UserLicensesArgs, opts?: pulumi.CustomResourceOptions) {
        super(userLicensesProvider, name, { managed: undefined, heldByGroup: undefined, ...args }, opts, "entra", "UserLicenses");
    }
}
