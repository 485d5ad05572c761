import * as azuread from "@pulumi/azuread";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_ROLE_TEMPLATE_IDS, AdminRoleName } from "../model";
import { generatedPassword, KEEP_PASSWORD_AFTER_CREATE } from "./initialPassword";
import { keepWhatIsNotStated } from "./userArguments";
import { VaultedPassword } from "./vaultedPassword";

export interface ServiceAccountArgs {
    /** full = Global Administrator (API configuration, mail transport rules, email integration); mail = Exchange Administrator. */
    access: "full" | "mail";
    /** The tenant's onmicrosoft.com domain; looked up (the initial domain) when not given. */
    domain?: string;
    /** Country for the account (the seed's step 6), usually the firm's default usageLocation. */
    usageLocation?: string;
    /**
     * Keep the first password in this Key Vault, and out of the state and the outputs: the onboarding team is
     * granted read access to the vault's secret instead.
     */
    keyVault?: { resourceGroupName: string; vaultName: string };
}

/** The Key Vault secrets the account's sign-in goes to. */
export const SERVICE_ACCOUNT_SECRETS = {
    username: "practiceprotect-service-account-username",
    password: "practiceprotect-service-account-initial-password",
};

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
    /**
     * Without a Key Vault: the password it was created with (a secret output), for handing over securely; anyone who
     * can read the stack can decrypt it, until the first sign-in replaces it. With a vault: none.
     */
    public readonly password?: pulumi.Output<string>;
    /** With a Key Vault: the secret version holding the first password (not the password). */
    public readonly passwordSecretId?: pulumi.Output<string | undefined>;

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

        // With a vault, the password the user was created with (which the azuread provider keeps in the state) is
        // replaced, before the account becomes an admin, by one that only the vault holds.
        const vaulted = args.keyVault
            ? new VaultedPassword(
                  `${name}-vaulted-password`,
                  { userId: user.objectId, userPrincipalName: user.userPrincipalName, vaultName: args.keyVault.vaultName, secretName: SERVICE_ACCOUNT_SECRETS.password },
                  { parent: this },
              )
            : undefined;
        if (args.keyVault) {
            new keyvault.Secret(
                `${name}-username`,
                {
                    resourceGroupName: args.keyVault.resourceGroupName,
                    vaultName: args.keyVault.vaultName,
                    secretName: SERVICE_ACCOUNT_SECRETS.username,
                    properties: { value: user.userPrincipalName, contentType: "text/plain" },
                },
                { parent: this },
            );
        }

        const role = SERVICE_ACCOUNT_ROLES[args.access];
        new azuread.DirectoryRoleAssignment(
            `${name}-as-${role}`,
            { roleId: ADMIN_ROLE_TEMPLATE_IDS[role], principalObjectId: user.objectId },
            { parent: this, dependsOn: vaulted ? [vaulted] : [] },
        );

        this.userPrincipalName = user.userPrincipalName;
        this.objectId = user.objectId;
        if (vaulted) {
            this.passwordSecretId = vaulted.secretVersionId;
        } else {
            // The password it was created with: the user resource keeps it (ignoreChanges) and holds it as a secret.
            this.password = pulumi.secret(user.password);
        }
        this.registerOutputs({ userPrincipalName: this.userPrincipalName, objectId: this.objectId });
    }
}

function initialDomainName(domains: azuread.types.output.GetDomainsDomain[]): string {
    const initial = domains.find((d) => d.initial) ?? domains[0];
    if (!initial) throw new Error("Entra returned no initial (onmicrosoft.com) domain; set serviceAccountDomain to the tenant's onmicrosoft.com domain");
    return initial.domainName;
}
