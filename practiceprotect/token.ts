import { PracticeProtectError } from "./errors";
import type { PracticeProtectSettings } from "./settings";
import { fetchWithRetry, RetryPolicy } from "./transport";
import { NATIVE_CLIENT_HEADERS } from "./headers";

/**
 * An OAuth2 client-credentials token, fetched once and reused until shortly before it expires
 * (reference, Authentication). `invalidate()` after a 401 makes the next call fetch a new one.
 */
export class TokenSource {
    private token?: { value: string; expiresAt: number };
    private pending?: Promise<string>;

    constructor(
        private readonly settings: Pick<PracticeProtectSettings, "url" | "oauthAppId" | "clientId" | "clientSecret" | "scope">,
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
        const endpoint = "/oauth2/token";
        const { url, oauthAppId, clientId, clientSecret, scope } = this.settings;
        const body = new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) });
        const response = await fetchWithRetry(endpoint, `${url}/oauth2/token/${encodeURIComponent(oauthAppId)}`, {
            method: "POST",
            headers: {
                ...NATIVE_CLIENT_HEADERS,
                "Content-Type": "application/x-www-form-urlencoded",
                Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
            },
            body,
        }, this.policy);
        const text = await response.text();
        let json: { access_token?: string; expires_in?: number; error?: string; error_description?: string } | undefined;
        try {
            json = JSON.parse(text);
        } catch {
            throw new PracticeProtectError(endpoint, `answered HTTP ${response.status} with ${describeBody(text)}, not OAuth JSON; check practiceprotect:url and practiceprotect:oauthAppId`, { status: response.status });
        }
        if (!response.ok || !json?.access_token) {
            const why = json?.error ? `${json.error}${json.error_description ? `: ${json.error_description}` : ""}` : `HTTP ${response.status}`;
            throw new PracticeProtectError(endpoint, `token refused (${why}); check practiceprotect:clientId, practiceprotect:clientSecret and the OAuth2 client app`, { status: response.status });
        }
        const lifetime = (json.expires_in ?? 300) * 1000;
        // Renew a minute early (or at 90% of a short lifetime) so that no call carries a token about to expire.
        this.token = { value: json.access_token, expiresAt: Date.now() + Math.max(lifetime - 60_000, lifetime * 0.9) };
        return json.access_token;
    }
}

/** "an HTML page" or a short excerpt, for errors about answers that are not JSON. */
export function describeBody(text: string): string {
    if (/^\s*</.test(text)) return "an HTML page";
    const excerpt = text.trim().slice(0, 80);
    return excerpt ? `'${excerpt}${text.trim().length > 80 ? "…" : ""}'` : "an empty body";
}
