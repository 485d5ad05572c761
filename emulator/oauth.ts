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
    private readonly tokens = new Map<string, { expiresAt: number /* ms epoch */; allowedRest?: RegExp[] }>();

    constructor(
        private readonly settings: OAuthSettings,
        private readonly platformServiceUsers: NonNullable<EmulatorSeed["platformServiceUsers"]> = [],
    ) {}

    get lifetimeSeconds(): number {
        return this.settings.tokenLifetimeSeconds ?? 3600;
    }

    check(token: string): "valid" | "expired" | "unknown" {
        const issued = this.tokens.get(token);
        if (issued === undefined) return "unknown";
        return Date.now() < issued.expiresAt ? "valid" : "expired";
    }

    /**
     * Whether the token's scope allows a REST path: each of the scope's regexes is matched against the whole path,
     * ignoring case and the leading slash (callers' examples write "/RedRock/query" for /Redrock/query: L). Tokens
     * issued without a scope list (platform service users, apps whose seed sets no allowedRest) may call any path.
     */
    allows(token: string, path: string): boolean {
        const allowed = this.tokens.get(token)?.allowedRest;
        if (!allowed) return true;
        const bare = path.replace(/^\//, "");
        return allowed.some((re) => re.test(bare));
    }

    revokeAll(): void {
        this.tokens.clear();
    }

    /** POST /oauth2/token/{appId}, form-encoded, client credentials by Basic auth or in the body (H). */
    answer(appId: string, contentType: string | undefined, authorization: string | undefined, rawBody: string): TokenAnswer {
        if (appId !== this.settings.appId) return error(400, "invalid_client", `Unknown OAuth2 client application '${appId}'.`);
        const request = this.clientCredentials(contentType, authorization, rawBody);
        if ("status" in request) return request;
        if (!request.credentials.every((c) => this.matches(c, this.settings))) return error(401, "invalid_client", "Client authentication failed.", request.basic);

        const scope = request.form.get("scope");
        const allowed = this.settings.scope;
        if (allowed !== undefined && scope !== null && scope !== "" && !scope.split(" ").every((s) => s === allowed)) {
            return error(400, "invalid_scope", `Scope '${scope}' is not allowed for this client.`);
        }
        return this.issue(allowed ?? scope ?? "", this.settings.allowedRest);
    }

    /**
     * POST /oauth2/platformtoken: an Identity Security Platform service user signs in with no app id, grant_type
     * and client_id/client_secret in the form body (H: CyberArk's ISPSS scripts, SIEM connectors, a Go client;
     * one caller sends Basic credentials instead, accepted too). Callers send scope "api", "all" or none: any is
     * accepted (what the platform does with it is not published).
     */
    platformAnswer(contentType: string | undefined, authorization: string | undefined, rawBody: string): TokenAnswer {
        const request = this.clientCredentials(contentType, authorization, rawBody);
        if ("status" in request) return request;
        const user = this.platformServiceUsers.find((u) => request.credentials.every((c) => this.matches(c, u)));
        if (!user) return error(401, "invalid_client", "invalid client creds", request.basic);
        return this.issue(request.form.get("scope") ?? "");
    }

    /** The form and the client credentials of a token request, or the OAuth error it earns. */
    private clientCredentials(contentType: string | undefined, authorization: string | undefined, rawBody: string): TokenAnswer | { form: URLSearchParams; credentials: { id: string; secret: string }[]; basic: boolean } {
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
        return { form, credentials, basic: basic !== null };
    }

    private issue(scope: string, allowedRest?: readonly string[]): TokenAnswer {
        const token = randomBytes(32).toString("base64url");
        const patterns = allowedRest?.map((r) => new RegExp(`^(?:${r.replace(/^\//, "")})$`, "i"));
        this.tokens.set(token, { expiresAt: Date.now() + this.lifetimeSeconds * 1000, allowedRest: patterns });
        return {
            status: 200,
            headers: { "Cache-Control": "no-store", Pragma: "no-cache" },
            body: { access_token: token, token_type: "Bearer", expires_in: Math.ceil(this.lifetimeSeconds), scope },
        };
    }

    private matches(c: { id: string; secret: string }, expected: { clientId: string; clientSecret: string }): boolean {
        // RFC 6749 form-encodes id and secret inside Basic; most callers do not: accept both.
        const decode = (s: string) => {
            try {
                return decodeURIComponent(s.replace(/\+/g, " "));
            } catch {
                return s;
            }
        };
        const { clientId, clientSecret } = expected;
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
