import type { AccessToken, TokenCredential } from "@azure/identity";

/**
 * Client credentials against a local Graph emulator's token endpoint (`POST {root}/{tenant}/oauth2/v2.0/token`,
 * the same request Entra takes). @azure/identity's own credentials refuse an authority that is not https, so
 * the emulator needs this one; it is chosen only when USERS_AS_CODE_GRAPH_URL names an emulator (see
 * graphFromEnvironment).
 */
export class LocalClientCredential implements TokenCredential {
    constructor(
        private readonly root: string,
        private readonly tenantId: string,
        private readonly clientId: string,
        private readonly clientSecret: string,
    ) {}

    async getToken(scopes: string | string[]): Promise<AccessToken> {
        const body = new URLSearchParams({ grant_type: "client_credentials", client_id: this.clientId, client_secret: this.clientSecret, scope: ([] as string[]).concat(scopes).join(" ") });
        const response = await fetch(`${this.root}/${encodeURIComponent(this.tenantId)}/oauth2/v2.0/token`, { method: "POST", body });
        const answer = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error_description?: string };
        if (!response.ok || !answer.access_token) throw new Error(`the Graph emulator at ${this.root} refused a token: HTTP ${response.status} ${answer.error_description ?? ""}`.trim());
        return { token: answer.access_token, expiresOnTimestamp: Date.now() + (answer.expires_in ?? 3600) * 1000 };
    }
}
