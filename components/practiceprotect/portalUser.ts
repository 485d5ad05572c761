import * as pulumi from "@pulumi/pulumi";
import { loadedProvider } from "../dynamic/loadedProvider";
import type { PortalUserInputs, PortalUserOutputs } from "./portalUserProvider";

export interface PortalUserArgs {
    /** The user's UPN, as in Entra (the directory source's SystemName). */
    userName: pulumi.Input<string>;
    /** Send the invitation e-mail (default true); false adds the account without one. */
    sendInvite?: pulumi.Input<boolean>;
    /** Remove the portal account when this resource is deleted (default true). */
    removeOnDelete?: pulumi.Input<boolean>;
    /** Entra's mobile number (E.164), to check the portal shows the same (the seed's step 9). */
    expectedMobileNumber?: pulumi.Input<string | undefined>;
}

/**
 * What the engine runs for a PortalUser: portalUserImplementation (./portalUserProvider.ts), loaded from the
 * project at run time, so the state carries a few hundred bytes per resource instead of the provider's code.
 */
export const portalUserProvider = loadedProvider<PortalUserInputs, PortalUserOutputs>("components/practiceprotect/portalUserProvider", "portalUserImplementation");

/** A user's Practice Protect portal account (`pulumi-nodejs:dynamic/practiceprotect:PortalUser`). */
export class PortalUser extends pulumi.dynamic.Resource {
    // `declare`: a plain field would be re-initialised after super() (ES2022 class fields) and hide the outputs.
    declare public readonly userName: pulumi.Output<string>;
    declare public readonly sendInvite: pulumi.Output<boolean>;
    declare public readonly removeOnDelete: pulumi.Output<boolean>;
    declare public readonly uuid: pulumi.Output<string>;
    declare public readonly status: pulumi.Output<string>;
    declare public readonly directoryServiceUuid: pulumi.Output<string>;
    declare public readonly mobileNumber: pulumi.Output<string>;
    declare public readonly mobileNumberNote: pulumi.Output<string>;

    constructor(name: string, args: PortalUserArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            portalUserProvider,
            name,
            { uuid: undefined, status: undefined, directoryServiceUuid: undefined, mobileNumber: undefined, mobileNumberNote: undefined, ...args },
            opts,
            "practiceprotect",
            "PortalUser",
        );
    }
}
