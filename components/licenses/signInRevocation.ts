import * as pulumi from "@pulumi/pulumi";
import { loadedProvider } from "../dynamic/loadedProvider";
import type { SignInRevocationInputs, SignInRevocationOutputs } from "./signInRevocationProvider";

export interface SignInRevocationArgs {
    /** The offboarded user's object id. */
    userId: pulumi.Input<string>;
    /** For messages only. */
    userPrincipalName: pulumi.Input<string>;
}

/** signInRevocationImplementation (./signInRevocationProvider.ts), loaded from the project at run time. */
export const signInRevocationProvider = loadedProvider<SignInRevocationInputs, SignInRevocationOutputs>("components/licenses/signInRevocationProvider", "signInRevocationImplementation");

/** Revokes an offboarded user's sessions once (`pulumi-nodejs:dynamic/entra:SignInRevocation`). */
export class SignInRevocation extends pulumi.dynamic.Resource {
    declare public readonly revokedAt: pulumi.Output<string>;

    constructor(name: string, args: SignInRevocationArgs, opts?: pulumi.CustomResourceOptions) {
        super(signInRevocationProvider, name, { revokedAt: undefined, ...args }, opts, "entra", "SignInRevocation");
    }
}
