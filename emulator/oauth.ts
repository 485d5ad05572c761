import { randomBytes } from "node:crypto";
import type { EmulatorSeed } from "./types";

export type OAuthSettings = EmulatorSeed["oauth"];

export interface TokenAnswer {
    status: number;
    body: Record<string, unknown>;
    headers?: Record<string, string>;
}

/** Issues and checks opaque bearer tokens for the one OAuth2 client app the seed describes. */
export class TokenIssuer {
    private readonly tokens = new Map<string, number /* expires at, ms epoch */>();

    constructor(private readonly settings: OAuthSettings) {}

    get lifetimeSeconds(): number {
        return this.settings.tokenLifetimeSeconds ?? 3600;
    }

    check(token: string): "valid" | "expired" | "unknown" {
        const expiresAt = this.tokens.get(token);
        if (expiresAt === undefined) return "unknown";
        return Date.now() < expiresAt ? "valid" : "expired";
    }

    revokeAll(): void {
        this.tokens.clear();
    }

    /** POST /oauth2/token/{appId}, form-encoded, client credentials by Basic auth or in the body (H). */
    answer(appId: string, contentType: string | undefined, authorization: string | undefined, rawBody: string): TokenAnswer {
        if (appId !== this.settings.appId) return error(400, "invalid_client", `Unknown OAuth2 client application '${appId}'.`);
        if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? "")) {
            return error(400, "invalid_request", "The token request must be application/x-www-form-urlencoded.");
        }
        const form = new URLSearchParams(rawBody);
        const grant = form.get("grant_type");
        if (grant === null) return error(400, "invalid_request", "Missing grant_type.");
        if (grant !== "client_credentials") return error(400, "unsupported_grant_type", `Unsupported grant_type '${grant}'.`);

        const credentials: { id: string; secret: string }[] = [];
        const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? "");
        if (basic) {
            const decoded = Buffer.from(basic[1], "base64").toString("utf8");
            const colon = decoded.indexOf(":");
            if (colon < 0) return error(401, "invalid_client", "Malformed Basic credentials.", true);
            credentials.push({ id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) });
        }
        if (form.has("client_id") || form.has("client_secret")) credentials.push({ id: form.get("client_id") ?? "", secret: form.get("client_secret") ?? "" });
        if (credentials.length === 0) return error(401, "invalid_client", "No client credentials: use Basic authentication or client_id/client_secret.", true);
        if (!credentials.every((c) => this.matches(c))) return error(401, "invalid_client", "Client authentication failed.", basic !== null);

        const scope = form.get("scope");
        const allowed = this.settings.scope;
        if (allowed !== undefined && scope !== null && scope !== "" && !scope.split(" ").every((s) => s === allowed)) {
            return error(400, "invalid_scope", `Scope '${scope}' is not allowed for this client.`);
        }

        const token = randomBytes(32).toString("base64url");
        this.tokens.set(token, Date.now() + this.lifetimeSeconds * 1000);
        return {
            status: 200,
            headers: { "Cache-Control": "no-store", Pragma: "no-cache" },
            body: { access_token: token, token_type: "Bearer", expires_in: Math.ceil(this.lifetimeSeconds), scope: allowed ?? scope ?? "" },
        };
    }

    private matches(c: { id: string; secret: string }): boolean {
        // RFC 6749 form-encodes id and secret inside Basic; most callers do not: accept both.
        const decode = (s: string) => {
            try {
                return decodeURIComponent(s.replace(/\+/g, " "));
            } catch {
                return s;
            }
        };
        const { clientId, clientSecret } = this.settings;
        return (c.id === clientId || decode(c.id) === clientId) && (c.secret === clientSecret || decode(c.secret) === clientSecret);
    }
}

function error(status: number, code: string, description: string, basicChallenge = false): TokenAnswer {
    return {
        status,
        headers: basicChallenge ? { "WWW-Authenticate": 'Basic realm="oauth2"' } : undefined,
        body: { error: code, error_description: description },
    };
}
