import type { Check, Probed } from "./check";

/** What the Pulumi CLI said, or that it is not installed. */
export type PulumiFacts =
    | { present: false }
    | {
          present: true;
          /** `pulumi whoami` as JSON: the backend the CLI is logged in to */
          whoami: Probed<{ user: string; url: string }>;
          /** `pulumi stack ls` as JSON: the stacks' names in that backend (for this project) */
          stacks: Probed<string[]>;
      };

/** What Pulumi.<stack>.yaml records about its secrets. */
export interface StackFileSecrets {
    exists: boolean;
    /** `secretsprovider:` e.g. azurekeyvault://vault.vault.azure.net/keys/key; absent for Pulumi Cloud's default */
    secretsProvider?: string;
    /** `encryptionsalt:` is there: the passphrase secrets provider */
    passphrase: boolean;
}

const NOT_INSTALLED = "pulumi is not on PATH, so the backend and the secrets provider were not checked; install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/) to check them";

type Backend = "cloud" | "azblob" | "other";

function backendOf(url: string): Backend {
    if (/^azblob:\/\//i.test(url)) return "azblob";
    if (/^https:\/\/(api|app)\.pulumi\.com\b/i.test(url) || /^https:\/\//i.test(url)) return "cloud";
    return "other";
}

/**
 * The CLI is logged in to the backend docs/state-and-backends.md describes (Pulumi Cloud, or azblob:// with
 * AZURE_STORAGE_ACCOUNT), the one PULUMI_BACKEND_URL names when set, and the stack exists there.
 */
export function pulumiBackendCheck(stack: string, facts: PulumiFacts, env: { PULUMI_BACKEND_URL?: string; AZURE_STORAGE_ACCOUNT?: string }): Check {
    const base = { id: "pulumi.backend", section: "Pulumi" as const, title: "State backend" };
    if (!facts.present) return { ...base, verdict: "skip", detail: NOT_INSTALLED };
    if (!facts.whoami.ok) {
        return {
            ...base,
            verdict: "fail",
            detail: `the Pulumi CLI is not logged in to a backend: ${facts.whoami.error}`,
            advice: ["Pulumi Cloud: set PULUMI_ACCESS_TOKEN (or run pulumi login). Azure Storage: az login, then pulumi login azblob://<container> with AZURE_STORAGE_ACCOUNT set (docs/state-and-backends.md)."],
        };
    }
    const { url, user } = facts.whoami.value;
    const wanted = env.PULUMI_BACKEND_URL?.replace(/\/+$/, "");
    if (wanted && wanted.toLowerCase() !== url.replace(/\/+$/, "").toLowerCase()) {
        return { ...base, verdict: "fail", detail: `logged in to ${url}, but PULUMI_BACKEND_URL is ${wanted}`, advice: [`pulumi login ${wanted}`] };
    }
    const kind = backendOf(url);
    if (kind === "other") {
        return {
            ...base,
            verdict: "warn",
            detail: `logged in to ${url} as ${user}: not a backend docs/state-and-backends.md describes (Pulumi Cloud, or azblob://)`,
            advice: ["CI reaches only Pulumi Cloud or an azblob:// container; a local file backend is for trying things out."],
        };
    }
    if (kind === "azblob" && !env.AZURE_STORAGE_ACCOUNT) {
        return { ...base, verdict: "fail", detail: `logged in to ${url}, but AZURE_STORAGE_ACCOUNT is not set`, advice: ["export AZURE_STORAGE_ACCOUNT=<account> (in CI: the repository variable AZURE_STORAGE_ACCOUNT)."] };
    }
    if (!facts.stacks.ok) return { ...base, verdict: "fail", detail: `logged in to ${url} as ${user}, but the stacks could not be listed: ${facts.stacks.error}`, advice: ["Check the identity can read the stack (Pulumi Cloud: Stack Read; azblob: Storage Blob Data Reader on the container)."] };
    const exists = facts.stacks.value.some((name) => name.split("/").pop()!.toLowerCase() === stack.toLowerCase());
    if (!exists) {
        return {
            ...base,
            verdict: "fail",
            detail: `logged in to ${url} as ${user}, but it has no stack '${stack}' (it has: ${facts.stacks.value.join(", ") || "none"})`,
            advice: [kind === "azblob" ? `pulumi stack init ${stack} --secrets-provider "azurekeyvault://<vault>.vault.azure.net/keys/<key>"` : `pulumi stack init ${stack}`],
        };
    }
    return { ...base, verdict: "pass", detail: `stack '${stack}' in ${kind === "cloud" ? "Pulumi Cloud" : "Azure Storage"} (${url}), as ${user}` };
}

/**
 * The stack's secrets provider is the one docs/state-and-backends.md pairs with the backend: Pulumi Cloud's own (no
 * `secretsprovider:` in the stack file), or Azure Key Vault (`azurekeyvault://...`) with an azblob backend. A
 * passphrase would need PULUMI_CONFIG_PASSPHRASE in every workflow, which none provides.
 */
export function pulumiSecretsCheck(stack: string, facts: PulumiFacts, file: StackFileSecrets): Check {
    const base = { id: "pulumi.secrets", section: "Pulumi" as const, title: "Secrets provider" };
    if (!facts.present) return { ...base, verdict: "skip", detail: NOT_INSTALLED };
    if (!facts.whoami.ok) return { ...base, verdict: "skip", detail: "not checked: the CLI is not logged in to a backend (see the line above)" };
    const kind = backendOf(facts.whoami.value.url);
    const change = `pulumi stack change-secrets-provider --stack ${stack} "azurekeyvault://<vault>.vault.azure.net/keys/<key>"`;
    if (!file.exists) return { ...base, verdict: "fail", detail: `Pulumi.${stack}.yaml does not exist`, advice: [`Create the stack (pulumi stack init ${stack}) and commit Pulumi.${stack}.yaml.`] };
    if (file.passphrase && !file.secretsProvider) {
        return {
            ...base,
            verdict: "fail",
            detail: `Pulumi.${stack}.yaml uses a passphrase (encryptionsalt), which no workflow can supply`,
            advice: [kind === "azblob" ? change : `pulumi stack change-secrets-provider --stack ${stack} default (Pulumi Cloud's own)`],
        };
    }
    const provider = file.secretsProvider;
    if (kind === "azblob") {
        if (provider && /^azurekeyvault:\/\//i.test(provider)) return { ...base, verdict: "pass", detail: `Azure Key Vault (${provider})` };
        return { ...base, verdict: "fail", detail: `the state is in Azure Storage but Pulumi.${stack}.yaml records ${provider ? `the secrets provider ${provider}` : "no secrets provider"}; docs/state-and-backends.md pairs azblob:// with Azure Key Vault`, advice: [change] };
    }
    if (!provider || /^(default|service)$/i.test(provider)) return { ...base, verdict: "pass", detail: "Pulumi Cloud's own secrets provider" };
    if (/^azurekeyvault:\/\//i.test(provider)) return { ...base, verdict: "pass", detail: `Azure Key Vault (${provider})` };
    return { ...base, verdict: "warn", detail: `Pulumi.${stack}.yaml records the secrets provider ${provider}, which docs/state-and-backends.md does not describe`, advice: ["Every workflow must be able to use it; docs/state-and-backends.md describes Pulumi Cloud's own or Azure Key Vault."] };
}
