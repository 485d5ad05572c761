import { SETTING_KEYS } from "../../components/settings";
import { nearest } from "../suggest";
import type { ConfigEntry, ConfigProblem, ResolvedConfig } from "./resolve";

/**
 * What committed Pulumi.yaml and Pulumi.<stack>.yaml may set. A pull request can change both files, and Pulumi
 * hands every key to the providers, so a key that moves a provider's sign-in (azuread:metadataHost,
 * azuread:oidcRequestUrl, ...) would send the deploy job's OIDC request token, or a client secret, wherever the
 * pull request says. Only the settings this program documents are allowed; identity, endpoint and credential
 * keys belong in the environment, which the protected GitHub environment (or the person running Pulumi) holds.
 */

/** This program's own settings (docs/deploying.md "Stack settings"). */
export const PROGRAM_SETTING_KEYS = SETTING_KEYS;

/**
 * The `practiceprotect:*` settings docs/practice-protect-setup.md documents that are not credentials
 * (practiceprotect/settings.ts SETTING_NAMES without clientId and clientSecret). url, signIn and scope are
 * also pinned by the environment (pinned.ts).
 */
export const PORTAL_SETTING_KEYS = ["url", "signIn", "oauthAppId", "directory", "scope", "lookupTimeoutSeconds", "pageSize", "requestTimeoutSeconds", "callBudgetSeconds"] as const;

/**
 * Keys of other namespaces a committed file may set. `azuread:tenantId` names the firm's tenant, which
 * docs/ci-and-permissions.md has MSPs set per stack (one multi-tenant app serving many firms); a changed tenant
 * only sends GitHub's token to Microsoft's own sign-in for that tenant, and the review shows the change.
 */
export const OTHER_ALLOWED_KEYS = ["azuread:tenantId"] as const;

/**
 * Where each refused identity, endpoint or credential key belongs. The azuread provider reads each from these
 * variables when config leaves it unset (hashicorp/terraform-provider-azuread internal/provider/provider.go,
 * `EnvDefaultFunc`/`EnvVarNames`; Pulumi's azuread provider maps its camelCase keys onto them).
 */
const AZURE_ENVIRONMENT: Record<string, string> = {
    clientId: "ARM_CLIENT_ID",
    clientIdFilePath: "ARM_CLIENT_ID_FILE_PATH",
    clientSecret: "ARM_CLIENT_SECRET",
    clientSecretFilePath: "ARM_CLIENT_SECRET_FILE_PATH",
    clientCertificate: "ARM_CLIENT_CERTIFICATE",
    clientCertificatePassword: "ARM_CLIENT_CERTIFICATE_PASSWORD",
    clientCertificatePath: "ARM_CLIENT_CERTIFICATE_PATH",
    environment: "ARM_ENVIRONMENT",
    metadataHost: "ARM_METADATA_HOSTNAME",
    msiEndpoint: "ARM_MSI_ENDPOINT",
    oidcRequestToken: "ARM_OIDC_REQUEST_TOKEN",
    oidcRequestUrl: "ARM_OIDC_REQUEST_URL",
    oidcToken: "ARM_OIDC_TOKEN",
    oidcTokenFilePath: "ARM_OIDC_TOKEN_FILE_PATH",
    adoPipelineServiceConnectionId: "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID",
    useOidc: "ARM_USE_OIDC",
    useMsi: "ARM_USE_MSI",
    useCli: "ARM_USE_CLI",
    useAksWorkloadIdentity: "ARM_USE_AKS_WORKLOAD_IDENTITY",
    subscriptionId: "ARM_SUBSCRIPTION_ID",
    tenantId: "ARM_TENANT_ID",
    auxiliaryTenantIds: "ARM_AUXILIARY_TENANT_IDS",
    partnerId: "ARM_PARTNER_ID",
    disableTerraformPartnerId: "ARM_DISABLE_TERRAFORM_PARTNER_ID",
    location: "ARM_LOCATION",
};

/** The namespaces whose keys configure Azure sign-in: azuread, azure-native (the Key Vault) and the classic azure. */
const AZURE_NAMESPACES = ["azuread", "azure-native", "azure"];

const PORTAL_CREDENTIALS: Record<string, string> = { clientId: "PRACTICEPROTECT_CLIENT_ID", clientSecret: "PRACTICEPROTECT_CLIENT_SECRET" };

/** Every committed key this program refuses, each at its file:line:col, with where it belongs. */
export function checkAllowList(config: ResolvedConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const entry of config.written) {
        const message = refusal(entry, config.project);
        if (message) problems.push({ source: entry.source, diagnostic: { severity: "error", code: "config-not-allowed", range: entry.range, message } });
        else if (entry.secret) {
            problems.push({
                source: entry.source,
                diagnostic: {
                    severity: "error",
                    code: "config-secret",
                    range: entry.valueRange,
                    message: `${entry.key} is encrypted (secure:), which hides its value from validate, the plan and the reviewers; none of this program's settings is a secret: set it in plain text`,
                },
            });
        } else if (entry.key === `${config.project}:usersFile` && !(insideProject(entry.value) && USERS_FILE_NAME.test(entry.value))) {
            problems.push({
                source: entry.source,
                diagnostic: {
                    severity: "error",
                    code: "config-users-file",
                    range: entry.valueRange,
                    message: `${entry.key} is '${entry.value}'; use a path inside the project (relative, without ..) to a file named users*.yaml, e.g. firms/acme/users.yaml: the pull-request workflows' paths filter runs the checks and the plan for such names only`,
                },
            });
        }
    }
    if (config.stackFile && config.stackFields.environment !== undefined) {
        const at = config.stackFile.text.search(/^environment\s*:/m);
        problems.push({
            source: config.stackFile,
            diagnostic: {
                severity: "error",
                code: "config-environment",
                range: [Math.max(0, at), Math.max(0, at) + "environment".length],
                message: `environment: imports Pulumi ESC environments, whose configuration is not in the repository, so validate, the plan and the reviewers cannot see it; remove it and set what it holds in the stack file (settings) or the environment (credentials)`,
            },
        });
    }
    return problems;
}

/** Why a key may not be committed, or undefined when it may. */
export function refusal(entry: Pick<ConfigEntry, "key" | "namespace" | "name">, project: string): string | undefined {
    const { key, namespace, name } = entry;
    if (namespace === project) {
        if ((PROGRAM_SETTING_KEYS as readonly string[]).includes(name)) return undefined;
        const near = nearest(name, PROGRAM_SETTING_KEYS);
        return `${key} is not a setting of this program${near ? ` (did you mean '${near}'?)` : ""}; the settings are ${PROGRAM_SETTING_KEYS.join(", ")} (docs/deploying.md, "Stack settings")`;
    }
    if (namespace === "practiceprotect") {
        if ((PORTAL_SETTING_KEYS as readonly string[]).includes(name)) return undefined;
        if (PORTAL_CREDENTIALS[name]) {
            return `${key} is a credential: committed files are read by everyone who can open a pull request; remove it and set ${PORTAL_CREDENTIALS[name]} in the environment instead (in CI a secret of the stack's GitHub environment; docs/ci-and-permissions.md)`;
        }
        const near = nearest(name, [...PORTAL_SETTING_KEYS, ...Object.keys(PORTAL_CREDENTIALS)]);
        return `${key} is not a Practice Protect setting${near ? ` (did you mean 'practiceprotect:${near}'?)` : ""}; see docs/practice-protect-setup.md`;
    }
    if ((OTHER_ALLOWED_KEYS as readonly string[]).includes(key)) return undefined;
    if (AZURE_NAMESPACES.includes(namespace)) {
        const variable = AZURE_ENVIRONMENT[name];
        return (
            `${key} configures how the ${namespace} provider signs in or which endpoint it trusts, which a pull request must not choose; ` +
            `remove it and set ${variable ?? "the provider's ARM_* variable"} in the environment instead (in CI the stack's GitHub environment; docs/ci-and-permissions.md)` +
            (namespace === "azuread" ? `. Of the azuread keys only azuread:tenantId may be committed` : "")
        );
    }
    return `${key} is not a setting this program documents, and a committed file may set only those (docs/deploying.md, "Stack settings"); remove it, or set what it configures in the environment`;
}

/** The users files the workflows' shared paths filter sees: users.yaml, or users*.yaml in any folder. */
const USERS_FILE_NAME = /(^|[\\/])users[^\\/]*\.yaml$/;

function insideProject(path: string): boolean {
    return path !== "" && !/^([a-z]:)?[\\/]/i.test(path) && !path.split(/[\\/]/).includes("..");
}
