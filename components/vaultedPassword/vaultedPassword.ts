import * as pulumi from "@pulumi/pulumi";
import { loadedProvider } from "../dynamic/loadedProvider";
import type { VaultedPasswordInputs, VaultedPasswordOutputs } from "./vaultedPasswordProvider";

export interface VaultedPasswordArgs {
    userId: pulumi.Input<string>;
    userPrincipalName: pulumi.Input<string>;
    vaultName: pulumi.Input<string>;
    secretName: pulumi.Input<string>;
}

/** vaultedPasswordImplementation (./vaultedPasswordProvider.ts), loaded from the project at run time. */
export const vaultedPasswordProvider = loadedProvider<VaultedPasswordInputs, VaultedPasswordOutputs>("components/vaultedPassword/vaultedPasswordProvider", "vaultedPasswordImplementation");

/**
 * Replaces a just-created user's password with one generated in the provider and kept only in a Key Vault
 * (`pulumi-nodejs:dynamic/entra:VaultedPassword`): the state holds where it is and when, never the password.
 */
export class VaultedPassword extends pulumi.dynamic.Resource {
    declare public readonly secretVersionId: pulumi.Output<string | undefined>;
    declare public readonly passwordSetAt: pulumi.Output<string | undefined>;
    declare public readonly kept: pulumi.Output<string | undefined>;

    constructor(name: string, args: VaultedPasswordArgs, opts?: pulumi.CustomResourceOptions) {
        super(vaultedPasswordProvider, name, { secretVersionId: undefined, passwordSetAt: undefined, kept: undefined, ...args }, opts, "entra", "VaultedPassword");
    }
}
