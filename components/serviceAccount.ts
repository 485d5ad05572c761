import * as azuread from "@pulumi/azuread";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_ROLE_TEMPLATE_IDS, AdminRoleName } from "../model";
import { generatedPassword, KEEP_PASSWORD_AFTER_CREATE } from "./initialPassword";
import { keepWhatIsNotStated } from "./userArguments";

export interface ServiceAccountArgs {
    /** full = Global Administrator (API configuration, mail transport rules, email integration); mail = Exchange Administrator. */
    access: "full" | "mail";
    /** The tenant's onmicrosoft.com domain; looked up (the initial domain) when not given. */
    domain?: string;
    /** Country for the account (the seed's step 6), usually the firm's default usageLocation. */
    usageLocation?: string;
    /** Store the credentials in this Key Vault so the onboarding team can be granted read access to them. */
    keyVault?: { resourceGroupName: string; vaultName: string };
}

export const SERVICE_ACCOUNT_ROLES: Record<ServiceAccountArgs["access"], AdminRoleName> = {
    full: "Global Administrator",
    mail: "Exchange Administrator",
};

/**
 * The `practiceprotect` service account Practice Protect's onboarding team signs in with
 * (seeds/delegate-service-account-office365.txt): practiceprotect@<tenant>.onmicrosoft.com, no licence,
 * a generated password changed at first sign-in, and Global or Exchange Administrator. It may carry the
 * tenant's federation with Practice Protect, so it is protected: Pulumi refuses to delete it.
 */
export class PracticeProtectServiceAccount extends pulumi.ComponentResource {
    public readonly userPrincipalName: pulumi.Output<string>;
    public readonly objectId: pulumi.Output<string>;
    /** The first password (a secret), for handing over securely. */
    public readonly password: pulumi.Output<string>;

    constructor(name: string, args: ServiceAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        super("firm:entra:ServiceAccount", name, {}, opts);

        const domain = args.domain ?? azuread.getDomainsOutput({ onlyInitial: true }, { parent: this }).domains.apply(initialDomainName);
        const userArgs: azuread.UserArgs = {
            userPrincipalName: pulumi.interpolate`practiceprotect@${domain}`,
            displayName: "Practice Protect",
            givenName: "Practice",
            surname: "Protect",
            usageLocation: args.usageLocation,
            password: generatedPassword(),
            forcePasswordChange: true,
        };
        // What the onboarding team sets on the account by hand (a phone for MFA, say) is left as it is.
        const user = new azuread.User(name, userArgs, {
            parent: this,
            protect: true,
            ignoreChanges: [...new Set([...KEEP_PASSWORD_AFTER_CREATE, ...keepWhatIsNotStated(userArgs)])],
        });

        const role = SERVICE_ACCOUNT_ROLES[args.access];
        new azuread.DirectoryRoleAssignment(
            `${name}-as-${role}`,
            { roleId: ADMIN_ROLE_TEMPLATE_IDS[role], principalObjectId: user.objectId },
            { parent: this },
        );

        if (args.keyVault) {
            const secret = (suffix: string, value: pulumi.Input<string>) =>
                new keyvault.Secret(
                    `${name}-${suffix}`,
                    {
                        resourceGroupName: args.keyVault!.resourceGroupName,
                        vaultName: args.keyVault!.vaultName,
                        secretName: `practiceprotect-service-account-${suffix}`,
                        properties: { value: pulumi.secret(value), contentType: "text/plain" },
                    },
                    { parent: this },
                );
            secret("username", user.userPrincipalName);
            secret("password", user.password);
        }

        this.userPrincipalName = user.userPrincipalName;
        this.objectId = user.objectId;
        // The password it was created with: the user resource keeps it (ignoreChanges) and holds it as a secret.
        this.password = pulumi.secret(user.password);
        this.registerOutputs({ userPrincipalName: this.userPrincipalName, objectId: this.objectId });
    }
}

function initialDomainName(domains: azuread.types.output.GetDomainsDomain[]): string {
    const initial = domains.find((d) => d.initial) ?? domains[0];
    if (!initial) throw new Error("Entra returned no initial (onmicrosoft.com) domain; set serviceAccountDomain to the tenant's onmicrosoft.com domain");
    return initial.domainName;
}
