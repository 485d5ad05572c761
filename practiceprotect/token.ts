import { PracticeProtectError } from "./errors";
import type { PracticeProtectSettings } from "./settings";
import { fetchWithRetry, RetryPolicy } from "./transport";
import { NATIVE_CLIENT_HEADERS } from "./headers";

type TokenSettings = Pick<PracticeProtectSettings, "url" | "signIn" | "oauthAppId" | "clientId" | "clientSecret" | "scope">;

/**
 * An OAuth2 client-credentials token, fetched once and reused until shortly before it expires
 * (reference, Authentication). `invalidate()` after a 401 makes the next call fetch a new one.
 */
export class TokenSource {
    private token?: { value: string; expiresAt: number };
    /** The scope the platform says the last token was issued for (its answer's `scope`), if it said. */
    grantedScope?: string;
    private pending?: Promise<string>;

    constructor(
        private readonly settings: TokenSettings,
        private readonly policy: RetryPolicy,
    ) {}

    async get(): Promise<string> {
        if (this.token && Date.now() < this.token.expiresAt) return this.token.value;
        // Concurrent callers share one token request.
        this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
        return this.pending;
    }

    invalidate(): void {
        this.token = undefined;
    }

    private async fetchToken(): Promise<string> {
        const { endpoint, url, init, check } = tokenRequest(this.settings);
        const response = await fetchWithRetry(endpoint, url, init, this.policy);
        const text = await response.text();
        let json: { access_token?: string; expires_in?: number; scope?: string; error?: string; error_description?: string } | undefined;
        try {
            json = JSON.parse(text);
        } catch {
            throw new PracticeProtectError(endpoint, `answered HTTP ${response.status} with ${describeBody(text)}, not OAuth JSON; check ${check.address}`, { status: response.status });
        }
        if (!response.ok || !json?.access_token) {
            const why = json?.error ? `${json.error}${json.error_description ? `: ${json.error_description}` : ""}` : `HTTP ${response.status}`;
            throw new PracticeProtectError(endpoint, `token refused (${why}); check ${check.credentials}`, { status: response.status });
        }
        this.grantedScope = typeof json.scope === "string" ? json.scope : undefined;
        const lifetime = (json.expires_in ?? 300) * 1000;
        // Renew a minute early (or at 90% of a short lifetime) so that no call carries a token about to expire.
        this.token = { value: json.access_token, expiresAt: Date.now() + Math.max(lifetime - 60_000, lifetime * 0.9) };
        return json.access_token;
    }
}

/**
 * The token request for the configured sign-in method, and which settings to check when it fails.
 *  - oauth2-client: POST /oauth2/token/{appId}, client id and secret as Basic credentials (reference,
 *    Authentication; ark-sdk-golang pkg/auth/identity/ark_identity_service_user.go posts to OAuth2/Token/{app}).
 *  - platform-service-user: POST /oauth2/platformtoken, grant_type, client_id and client_secret in the form body
 *    and no app id, as the public callers of that endpoint send them (CyberArk's ISPSS scripts, a Go API client,
 *    SIEM connectors; some add `scope`, one sends Basic credentials instead).
 */
function tokenRequest(settings: TokenSettings): { endpoint: string; url: string; init: RequestInit; check: { address: string; credentials: string } } {
    const { url, signIn, oauthAppId, clientId, clientSecret, scope } = settings;
    const headers = { ...NATIVE_CLIENT_HEADERS, "Content-Type": "application/x-www-form-urlencoded" };
    if (signIn === "platform-service-user") {
        const body = new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, ...(scope ? { scope } : {}) });
        return {
            endpoint: "/oauth2/platformtoken",
            url: `${url}/oauth2/platformtoken`,
            init: { method: "POST", headers, body },
            check: {
                address: "practiceprotect:url (platform service users sign in at the tenant's Identity URL)",
                credentials: "practiceprotect:clientId and practiceprotect:clientSecret (the platform service user's name and secret)",
            },
        };
    }
    const body = new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) });
    return {
        endpoint: "/oauth2/token",
        url: `${url}/oauth2/token/${encodeURIComponent(oauthAppId)}`,
        init: { method: "POST", headers: { ...headers, Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}` }, body },
        check: {
            address: "practiceprotect:url and practiceprotect:oauthAppId",
            credentials: "practiceprotect:clientId, practiceprotect:clientSecret and the OAuth2 client app",
        },
    };
}

/** "an HTML page" or a short excerpt, for errors about answers that are not JSON. */
export function describeBody(text: string): string {
    if (/^\s*</.test(text)) return "an HTML page";
    const excerpt = text.trim().slice(0, 80);
    return excerpt ? `'${excerpt}${text.trim().length > 80 ? "…" : ""}'` : "an empty body";
}
