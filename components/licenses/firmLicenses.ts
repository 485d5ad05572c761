import * as pulumi from "@pulumi/pulumi";
import type { WantedLicense } from "../../model/licenseChange";
import type { ResolvedUser } from "../../model";
import { SignInRevocation } from "./signInRevocation";
import { UserLicenses } from "./userLicenses";

export interface FirmLicensesArgs {
    users: readonly ResolvedUser[];
    /** The Entra users, by users.yaml key. */
    entraUsers: Readonly<Record<string, { objectId: pulumi.Output<string>; userPrincipalName: pulumi.Output<string> }>>;
    /** From the look-up at start: the licences each person gets, by skuId (see lookupTenantLicenses). */
    wanted: ReadonlyMap<string, WantedLicense[]>;
    /** Like the users: a person removed from users.yaml keeps their licences unless removed users are deleted. */
    deleteRemovedUsers: boolean;
}

/**
 * Licences (seed step 5) and offboarding's sign-in revocation, for the whole firm. Once users.yaml gives anyone a
 * licence, every person gets a UserLicenses (an empty one for someone with none, so taking a person's last
 * licence away removes it); an offboarded person gets a SignInRevocation, which ends their sessions once.
 */
export class FirmLicenses extends pulumi.ComponentResource {
    public readonly licenses: Record<string, UserLicenses> = {};
    public readonly revocations: Record<string, SignInRevocation> = {};

    constructor(name: string, args: FirmLicensesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("practiceprotect-users:entra:FirmLicenses", name, {}, opts);
        const usesLicenses = args.wanted.size > 0;
        for (const user of args.users) {
            const entra = args.entraUsers[user.key];
            if (usesLicenses) {
                this.licenses[user.key] = new UserLicenses(
                    `${user.key}-licenses`,
                    { userId: entra.objectId, userPrincipalName: entra.userPrincipalName, licenses: args.wanted.get(user.key) ?? [] },
                    { parent: this, retainOnDelete: !args.deleteRemovedUsers },
                );
            }
            if (!user.enabled) {
                this.revocations[user.key] = new SignInRevocation(`${user.key}-sign-in-revocation`, { userId: entra.objectId, userPrincipalName: entra.userPrincipalName }, { parent: this });
            }
        }
        this.registerOutputs({});
    }
}
