import type { TokenCredential } from "@azure/identity";

/**
 * Set to a local emulator's Key Vault root (https://127.0.0.1:PORT/keyvault, served by the Graph emulator) to write
 * secrets there instead of to https://<vault>.vault.azure.net.
 */
export const KEY_VAULT_EMULATOR_VARIABLE = "USERS_AS_CODE_KEYVAULT_URL";

/** Key Vault's data-plane API version used here (Set Secret, GA since 2023). */
const API_VERSION = "7.4";

/** The vault's base URL: Azure's public cloud, or the emulator when USERS_AS_CODE_KEYVAULT_URL is set. */
export function keyVaultUrl(vaultName: string, env: Readonly<Record<string, string | undefined>>): string {
    const emulator = env[KEY_VAULT_EMULATOR_VARIABLE];
    return emulator ? `${emulator.replace(/\/+$/, "")}/${vaultName}` : `https://${vaultName}.vault.azure.net`;
}

/** What Key Vault says about a stored secret, without its value. */
export interface SecretVersion {
    /** the secret's id with its version: {vaultBaseUrl}/secrets/{name}/{version} */
    id: string;
    version: string;
    /** when it was set (ISO 8601) */
    created: string;
}

/** Key Vault refused the call; the message carries its status and error code, never the secret. */
export class KeyVaultError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
    ) {
        super(message);
        this.name = "KeyVaultError";
    }
}

/**
 * Stores `value` as a new version of the secret `name` ("Set Secret": PUT {vaultBaseUrl}/secrets/{secret-name}
 * ?api-version=7.4, body {value, contentType}, bearer token for https://vault.azure.net/.default; the caller needs
 * Microsoft.KeyVault/vaults/secrets/setSecret/action, e.g. Key Vault Secrets Officer). One REST call with the
 * credential the Graph client already uses, rather than @azure/keyvault-secrets: no new dependency, and no
 * challenge handshake (that SDK first sends the request unauthenticated and requires the challenge's resource to be
 * a *.vault.azure.net host) to emulate. The answer echoes the value; only the id and dates are returned.
 */
export async function setKeyVaultSecret(
    credential: TokenCredential,
    vaultBaseUrl: string,
    name: string,
    value: string,
    options: { contentType?: string; tags?: Record<string, string>; fetch?: typeof fetch } = {},
): Promise<SecretVersion> {
    const token = await credential.getToken("https://vault.azure.net/.default");
    if (!token) throw new KeyVaultError(401, "NoToken", "no access token for Key Vault (https://vault.azure.net) from the deploying identity's credential");
    const url = `${vaultBaseUrl}/secrets/${encodeURIComponent(name)}?api-version=${API_VERSION}`;
    const response = await (options.fetch ?? fetch)(url, {
        method: "PUT",
        headers: { Authorization: `Bearer ${token.token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ value, contentType: options.contentType, tags: options.tags }),
    });
    const body = (await response.json().catch(() => ({}))) as { id?: string; attributes?: { created?: number }; error?: { code?: string; message?: string } };
    if (!response.ok) {
        const code = body.error?.code ?? "Unknown";
        throw new KeyVaultError(response.status, code, `Key Vault refused to set the secret ${name} in ${vaultBaseUrl} (HTTP ${response.status} ${code}): ${body.error?.message ?? response.statusText}`);
    }
    if (typeof body.id !== "string") throw new KeyVaultError(response.status, "NoId", `Key Vault answered setting ${name} in ${vaultBaseUrl} without the secret's id`);
    return { id: body.id, version: body.id.split("/").pop() ?? "", created: new Date((body.attributes?.created ?? Math.floor(Date.now() / 1000)) * 1000).toISOString() };
}
