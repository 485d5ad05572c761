import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { GraphError, insufficientPrivileges } from "./errors";
import type { GraphState } from "./state";

/** Graph's resource: client-credential tokens are asked for with scope "<resource>/.default". */
const GRAPH_RESOURCES = ["https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000"];
/** Key Vault's resource (Set Secret's security section: scope https://vault.azure.net/.default). */
export const KEY_VAULT_AUDIENCE = "https://vault.azure.net";
export const GRAPH_AUDIENCE = "https://graph.microsoft.com";

export interface TokenAnswer {
    status: number;
    body: Record<string, unknown>;
}

/** What a valid access token says about its caller. */
export interface Caller {
    clientId: string;
    roles: string[];
    /** the app's service principal (the token's `oid`): the principal of its directory role assignments */
    servicePrincipalId: string;
}

/**
 * The Microsoft identity platform's client-credentials token endpoint for one tenant, and the check Graph makes of
 * the bearer token on every call. Tokens are JWTs (HS256 with a key of this emulator run, where Entra uses RS256)
 * whose payload carries what Graph reads: `roles` (application permissions), `tid`, `appid`, `oid`, `exp`.
 */
export class TokenService {
    private readonly key = randomBytes(32);
    /** `uti` of the tokens still good: expireAll empties it */
    private readonly live = new Set<string>();

    constructor(
        private readonly state: GraphState,
        private readonly lifetimeSeconds = 3599,
    ) {}

    /** Every token issued so far now fails as expired (new ones work). */
    expireAll(): void {
        this.live.clear();
    }

    /**
     * POST /{tenant}/oauth2/v2.0/token, form-encoded: grant_type=client_credentials, client_id, client_secret, scope.
     * Error codes and wording follow the AADSTS error reference (Microsoft Entra authentication and authorization error codes).
     */
    answer(tenant: string, contentType: string | undefined, rawBody: string): TokenAnswer {
        if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? "")) return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
        if (!sameTenant(tenant, this.state.tenant)) {
            return aadError(400, "invalid_request", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
        }
        const form = new URLSearchParams(rawBody);
        const grant = form.get("grant_type");
        if (!grant) return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
        if (grant !== "client_credentials") return aadError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`);
        const clientId = form.get("client_id") ?? "";
        if (!clientId) return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
        const app = this.state.apps.get(clientId.toLowerCase());
        if (!app) {
            return aadError(
                400,
                "unauthorized_client",
                700016,
                `Application with identifier '${clientId}' was not found in the directory '${this.state.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
            );
        }
        const secret = form.get("client_secret");
        if (secret === null || secret === "") return aadError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        if (!equalSecrets(secret, app.clientSecret)) {
            return aadError(401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
        }
        const scope = form.get("scope") ?? "";
        const isVault = scope.toLowerCase() === `${KEY_VAULT_AUDIENCE}/.default`;
        if (!isVault && !GRAPH_RESOURCES.some((r) => scope.toLowerCase() === `${r.toLowerCase()}/.default`)) {
            return aadError(
                400,
                "invalid_scope",
                1002012,
                `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
            );
        }
        return { status: 200, body: { token_type: "Bearer", expires_in: this.lifetimeSeconds, ext_expires_in: this.lifetimeSeconds, access_token: this.issue(app.clientId, isVault ? KEY_VAULT_AUDIENCE : GRAPH_AUDIENCE) } };
    }

    /**
     * GET /{tenant}/v2.0/.well-known/openid-configuration: what MSAL (under @azure/identity's ClientSecretCredential)
     * reads first to find the token endpoint when its authorityHost is this emulator.
     */
    openIdConfiguration(tenant: string, root: string): TokenAnswer {
        if (!sameTenant(tenant, this.state.tenant)) {
            return aadError(400, "invalid_tenant", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
        }
        const base = `${root}/${this.state.tenant.id}`;
        return {
            status: 200,
            body: {
                token_endpoint: `${base}/oauth2/v2.0/token`,
                token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
                jwks_uri: `${base}/discovery/v2.0/keys`,
                response_modes_supported: ["query", "fragment", "form_post"],
                subject_types_supported: ["pairwise"],
                id_token_signing_alg_values_supported: ["RS256"],
                response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
                scopes_supported: ["openid", "profile", "email", "offline_access"],
                issuer: `${base}/v2.0`,
                authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
                end_session_endpoint: `${base}/oauth2/v2.0/logout`,
                tenant_region_scope: "OC",
                cloud_instance_name: "microsoftonline.com",
                msgraph_host: "graph.microsoft.com",
            },
        };
    }

    /**
     * The caller a bearer token for `audience` stands for; a 401 InvalidAuthenticationToken as Graph words it
     * otherwise (Key Vault words its own: keyVault.ts).
     */
    check(authorization: string | undefined, audience = GRAPH_AUDIENCE): Caller {
        const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
        if (!token) throw invalidToken("Access token is empty.");
        const parts = token.split(".");
        if (parts.length !== 3) throw invalidToken("IDX14100: JWT is not well formed, there are no dots (.).");
        const expected = createHmac("sha256", this.key).update(`${parts[0]}.${parts[1]}`).digest();
        const given = Buffer.from(parts[2], "base64url");
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidToken("Access token validation failure. Invalid audience.");
        const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as { appid: string; aud: string; oid: string; roles?: string[]; exp: number; uti: string };
        if (claims.exp * 1000 <= Date.now() || !this.live.has(claims.uti)) throw invalidToken("Lifetime validation failed, the token is expired.");
        if (claims.aud !== audience) throw invalidToken("Access token validation failure. Invalid audience.");
        return { clientId: claims.appid, roles: claims.roles ?? [], servicePrincipalId: claims.oid };
    }

    private issue(clientId: string, audience: string): string {
        const app = this.state.apps.get(clientId.toLowerCase())!;
        const now = Math.floor(Date.now() / 1000);
        const servicePrincipalId = app.servicePrincipalId ?? uuidFrom(`sp:${app.clientId}`);
        const uti = randomUUID();
        this.live.add(uti);
        const header = { typ: "JWT", alg: "HS256" };
        const payload = {
            aud: audience,
            iss: `https://sts.windows.net/${this.state.tenant.id}/`,
            iat: now,
            nbf: now,
            exp: now + this.lifetimeSeconds,
            app_displayname: app.displayName ?? app.clientId,
            appid: app.clientId,
            appidacr: "1",
            idtyp: "app",
            oid: servicePrincipalId,
            sub: servicePrincipalId,
            // Application permissions are Graph's; a Key Vault token carries none (Key Vault authorizes by RBAC).
            ...(app.roles.length > 0 && audience === GRAPH_AUDIENCE ? { roles: [...app.roles] } : {}),
            tid: this.state.tenant.id,
            uti,
            ver: "1.0",
        };
        const unsigned = `${base64url(header)}.${base64url(payload)}`;
        return `${unsigned}.${createHmac("sha256", this.key).update(unsigned).digest("base64url")}`;
    }
}

/** A 403 unless the caller holds one of `permissions` (the endpoint's documented application permissions). */
export function requireOneOf(caller: Caller, permissions: readonly string[]): void {
    const held = new Set(caller.roles.map((r) => r.toLowerCase()));
    if (!permissions.some((p) => held.has(p.toLowerCase()))) throw insufficientPrivileges();
}

function invalidToken(message: string): GraphError {
    return new GraphError(401, "InvalidAuthenticationToken", message, {
        "WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    });
}

function aadError(status: number, error: string, code: number, description: string): TokenAnswer {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
    return {
        status,
        body: {
            error,
            error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
            error_codes: [code],
            timestamp,
            trace_id: traceId,
            correlation_id: correlationId,
            error_uri: `https://login.microsoftonline.com/error?code=${code}`,
        },
    };
}

const sameTenant = (given: string, tenant: GraphState["tenant"]) => [tenant.id, tenant.initialDomain, ...(tenant.domains ?? [])].some((t) => t.toLowerCase() === given.toLowerCase());

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function equalSecrets(a: string, b: string): boolean {
    const x = createHash("sha256").update(a).digest();
    const y = createHash("sha256").update(b).digest();
    return timingSafeEqual(x, y);
}

/** A stable UUID-shaped id from a name, for ids the seed leaves out. */
export function uuidFrom(name: string): string {
    const h = createHash("sha256").update(name).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
