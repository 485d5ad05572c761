/**
 * Stack settings (`pulumi config set KEY VALUE`), read once in index.ts and passed down: components never read
 * configuration themselves. Takes anything with `get`, so it can be checked without Pulumi.
 */
export interface StackSettings {
    /** Path of the users file, relative to the project. */
    usersFile: string;
    /** Delete users removed from users.yaml instead of only ceasing to manage them. */
    deleteRemovedUsers: boolean;
    /** Delete groups removed from the groups: section instead of only ceasing to manage them. */
    deleteRemovedGroups: boolean;
    serviceAccount?: ServiceAccountSettings;
    /** Keep offboarded users' Practice Protect accounts (without roles) instead of removing them. */
    keepOffboardedPortalAccounts: boolean;
    /**
     * Take users.yaml's licences off offboarded users. Off by default: removing Exchange's licence deletes the
     * mailbox 30 days later.
     */
    removeLicensesOnOffboarding: boolean;
    /** How long the licence step waits for Microsoft Graph to know a just-created user. */
    userLookupTimeoutSeconds: number;
}

export const DEFAULT_USER_LOOKUP_TIMEOUT_SECONDS = 300;

export interface ServiceAccountSettings {
    /** full = Global Administrator (API, mail transport rules, email integration); mail = Exchange Administrator. */
    access: "full" | "mail";
    /** Overrides the tenant's initial onmicrosoft.com domain. */
    domain?: string;
    /** Where to store the credentials for the onboarding team, if anywhere. */
    keyVault?: { resourceGroupName: string; vaultName: string };
}

export interface ConfigSource {
    get(key: string): string | undefined;
}

/** Thrown for a setting that cannot be used; the message names the key and the fix. */
export class SettingsError extends Error {}

export const SETTING_KEYS = [
    "usersFile",
    "deleteRemovedUsers",
    "deleteRemovedGroups",
    "serviceAccountAccess",
    "serviceAccountDomain",
    "serviceAccountKeyVaultId",
    "keepOffboardedPortalAccounts",
    "removeLicensesOnOffboarding",
    "userLookupTimeoutSeconds",
] as const;

export function readStackSettings(config: ConfigSource, namespace: string): StackSettings {
    const problems: string[] = [];
    const flag = (key: string): boolean => {
        const value = config.get(key);
        if (value === undefined || value === "false") return false;
        if (value === "true") return true;
        problems.push(`${namespace}:${key} is '${value}'; set it to true or false`);
        return false;
    };
    const settings: StackSettings = {
        usersFile: config.get("usersFile") ?? "users.yaml",
        deleteRemovedUsers: flag("deleteRemovedUsers"),
        deleteRemovedGroups: flag("deleteRemovedGroups"),
        keepOffboardedPortalAccounts: flag("keepOffboardedPortalAccounts"),
        removeLicensesOnOffboarding: flag("removeLicensesOnOffboarding"),
        userLookupTimeoutSeconds: DEFAULT_USER_LOOKUP_TIMEOUT_SECONDS,
    };
    const lookup = config.get("userLookupTimeoutSeconds");
    if (lookup !== undefined) {
        if (Number.isFinite(Number(lookup)) && Number(lookup) >= 0 && lookup.trim() !== "") settings.userLookupTimeoutSeconds = Number(lookup);
        else problems.push(`${namespace}:userLookupTimeoutSeconds is '${lookup}'; use a number of seconds (how long the licence step waits for Graph to know a new user; default ${DEFAULT_USER_LOOKUP_TIMEOUT_SECONDS})`);
    }

    const access = config.get("serviceAccountAccess");
    if (access !== undefined && access !== "full" && access !== "mail") {
        problems.push(`${namespace}:serviceAccountAccess is '${access}'; use full (Global Administrator) or mail (Exchange Administrator), or remove it to manage no service account`);
    }
    const domain = config.get("serviceAccountDomain");
    if (domain !== undefined && !/^[a-z0-9-]+\.onmicrosoft\.com$/i.test(domain)) {
        problems.push(`${namespace}:serviceAccountDomain is '${domain}'; the service account must use the tenant's onmicrosoft.com domain (e.g. examplefirm.onmicrosoft.com), or remove the setting to look it up`);
    }
    const vaultId = config.get("serviceAccountKeyVaultId");
    const vault = vaultId === undefined ? undefined : parseKeyVaultId(vaultId);
    if (vaultId !== undefined && !vault) {
        problems.push(`${namespace}:serviceAccountKeyVaultId is '${vaultId}'; use the vault's resource id, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name> (Azure portal: the vault's Properties > Resource ID)`);
    }
    if ((domain !== undefined || vaultId !== undefined) && access === undefined) {
        problems.push(`${namespace}:serviceAccountDomain or serviceAccountKeyVaultId is set but serviceAccountAccess is not; set serviceAccountAccess to full or mail to create the service account`);
    }
    if (problems.length) throw new SettingsError(`stack settings:\n  ${problems.join("\n  ")}`);

    if (access === "full" || access === "mail") settings.serviceAccount = { access, domain, keyVault: vault };
    return settings;
}

function parseKeyVaultId(id: string): { resourceGroupName: string; vaultName: string } | undefined {
    const match = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([A-Za-z0-9-]{3,24})$/i.exec(id);
    return match ? { resourceGroupName: match[1], vaultName: match[2] } : undefined;
}
