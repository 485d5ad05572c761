import { randomBytes } from "node:crypto";
import type { GraphState } from "./state";
import { KEY_VAULT_AUDIENCE, type TokenService } from "./tokens";

/** Where the emulator serves Key Vaults: {emulator}/keyvault/<vault> stands for https://<vault>.vault.azure.net. */
export const KEY_VAULT_PATH = /^\/keyvault\/([^/]+)(\/.*)?$/i;

interface Answer {
    status: number;
    headers?: Record<string, string>;
    body: unknown;
}

// Key Vault's error envelope (the REST reference's KeyVaultError): {"error": {"code", "message", "innererror"?}}.
const error = (status: number, code: string, message: string, extra: { headers?: Record<string, string>; inner?: string } = {}): Answer => ({
    status,
    headers: extra.headers,
    body: { error: { code, message, ...(extra.inner ? { innererror: { code: extra.inner } } : {}) } },
});

/**
 * A minimal Key Vault secrets API, for the service account's password (components/vaultedPassword/): Set Secret
 * only, as the REST reference describes it ("Set Secret", PUT {vaultBaseUrl}/secrets/{secret-name}?api-version=…):
 * a bearer token for https://vault.azure.net from the same tenant, the caller allowed to set secrets in that vault
 * (RBAC: Microsoft.KeyVault/vaults/secrets/setSecret/action), a name of letters, digits and hyphens, a JSON body
 * whose `value` is a string (contentType and tags optional); each call adds a version and answers 200 with the
 * secret bundle (value, id with the version, attributes).
 */
export function keyVaultAnswer(state: GraphState, tokens: TokenService, method: string, url: URL, authorization: string | undefined, contentType: string | undefined, raw: string, root: string): Answer {
    const [, vaultName, rest = ""] = KEY_VAULT_PATH.exec(url.pathname) ?? [];
    const vault = state.vaults.get(decodeURIComponent(vaultName).toLowerCase());
    // A vault that does not exist has no host name: the emulator answers 404 where a client would fail to connect.
    if (!vault) return error(404, "VaultNotFound", `The Key Vault emulator serves no vault named '${decodeURIComponent(vaultName)}'.`);
    if (!url.searchParams.get("api-version")) return error(400, "BadParameter", "The request URI contains an invalid or missing api-version query parameter.");

    const challenge = { "WWW-Authenticate": `Bearer authorization="${root}/${state.tenant.id}", resource="${KEY_VAULT_AUDIENCE}"` };
    if (!/^Bearer\s+\S+$/i.test(authorization ?? "")) return error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", { headers: challenge });
    let caller;
    try {
        caller = tokens.check(authorization, KEY_VAULT_AUDIENCE);
    } catch (e) {
        return error(401, "Unauthorized", `AKV10022: ${(e as Error).message} Expected ${KEY_VAULT_AUDIENCE}.`, { headers: challenge });
    }

    const secret = /^\/secrets\/([^/]+)$/i.exec(rest);
    if (!secret || method !== "PUT") return error(400, "BadParameter", `The Key Vault emulator answers PUT /secrets/{secret-name} only; got ${method} ${rest || "/"}.`);
    const name = decodeURIComponent(secret[1]);
    if (!/^[0-9a-zA-Z-]{1,127}$/.test(name)) return error(400, "BadParameter", `The secret name '${name}' is invalid: use 1-127 letters, digits and hyphens.`);
    if (!vault.vault.secretWriters.some((id) => id.toLowerCase() === caller.clientId.toLowerCase())) {
        return error(
            403,
            "Forbidden",
            `Caller is not authorized to perform action on resource.\r\nCaller: appid=${caller.clientId};oid=${caller.servicePrincipalId}\r\nAction: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'\r\nVault: ${vault.vault.name}\r\n`,
            { inner: "ForbiddenByRbac" },
        );
    }

    let body: { value?: unknown; contentType?: unknown; tags?: unknown };
    try {
        if (!/^application\/json\b/i.test(contentType ?? "")) throw new Error();
        body = JSON.parse(raw);
    } catch {
        return error(400, "BadParameter", "The request body is not valid JSON.");
    }
    if (typeof body !== "object" || body === null || typeof body.value !== "string") return error(400, "BadParameter", "The parameter 'value' is required and must be a string.");
    if (body.contentType !== undefined && typeof body.contentType !== "string") return error(400, "BadParameter", "The parameter 'contentType' must be a string.");
    const tags = body.tags;
    if (tags !== undefined && (typeof tags !== "object" || tags === null || Object.values(tags).some((v) => typeof v !== "string"))) return error(400, "BadParameter", "The parameter 'tags' must map names to strings.");

    const versions = vault.secrets.get(name.toLowerCase()) ?? [];
    vault.secrets.set(name.toLowerCase(), versions);
    const created = Math.floor(Date.now() / 1000);
    const stored = { version: randomBytes(16).toString("hex"), value: body.value, contentType: body.contentType as string | undefined, tags: tags as Record<string, string> | undefined, created };
    versions.push(stored);
    return {
        status: 200,
        body: {
            value: stored.value,
            ...(stored.contentType !== undefined ? { contentType: stored.contentType } : {}),
            id: `${root}/keyvault/${vault.vault.name}/secrets/${name}/${stored.version}`,
            attributes: { enabled: true, created, updated: created, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 },
            ...(stored.tags ? { tags: stored.tags } : {}),
        },
    };
}
