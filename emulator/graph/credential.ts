import type { AccessToken, TokenCredential } from "@azure/identity";
import { emulatorFetch } from "./transport";

/**
 * A TokenCredential (@azure/identity's interface) that gets client-credentials tokens from a Graph emulator's token
 * endpoint, as ClientSecretCredential gets them from Entra: `POST {url}/{tenantId}/oauth2/v2.0/token`. Like MSAL it
 * keeps a token until five minutes before it expires. Errors carry Entra's error and description, never the secret.
 */
export function emulatorCredential(url: string, tenantId: string, clientId: string, clientSecret: string): TokenCredential {
    let cached: AccessToken | undefined;
    return {
        async getToken(scopes: string | string[]): Promise<AccessToken> {
            if (cached && cached.expiresOnTimestamp - Date.now() > 5 * 60_000) return cached;
            const form = new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: [scopes].flat().join(" ") });
            const response = await emulatorFetch(`${url.replace(/\/$/, "")}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
                method: "POST",
                headers: { "Content-Type": "application/x-www-form-urlencoded" },
                body: form.toString(),
            });
            const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
            if (!response.ok || !body.access_token) throw new Error(`emulator token request failed: HTTP ${response.status} ${body.error ?? ""}: ${body.error_description ?? ""}`.trim());
            cached = { token: body.access_token, expiresOnTimestamp: Date.now() + (body.expires_in ?? 0) * 1000 };
            return cached;
        },
    };
}
