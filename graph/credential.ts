import { AzureCliCredential, ClientAssertionCredential, ClientSecretCredential, TokenCredential } from "@azure/identity";
import { readFileSync } from "node:fs";

/** The audience Entra expects on a federated (OIDC) token, as the azuread provider requests it from GitHub. */
const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** Thrown when the environment does not say how to sign in; the message names the variables to set. */
export class GraphCredentialError extends Error {}

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A credential for Microsoft Graph from the same settings the azuread provider reads
 * (terraform-provider-azuread internal/provider/provider.go), so one identity serves both:
 *
 * - `ARM_USE_OIDC=true` with `ARM_CLIENT_ID`: a federated token exchanged for an access token. The token is
 *   `ARM_OIDC_TOKEN`, or the file `ARM_OIDC_TOKEN_FILE_PATH`, or requested from GitHub Actions
 *   (`ARM_OIDC_REQUEST_URL`/`ACTIONS_ID_TOKEN_REQUEST_URL` with `ARM_OIDC_REQUEST_TOKEN`/`ACTIONS_ID_TOKEN_REQUEST_TOKEN`).
 * - `ARM_CLIENT_SECRET` with `ARM_CLIENT_ID`: a client secret.
 * - otherwise the Azure CLI's signed-in account (`az login`), as the provider does by default (`ARM_USE_CLI`).
 *
 * `tenantId` is `azuread:tenantId` from stack config when set, else `ARM_TENANT_ID`.
 */
export function graphCredential(env: Environment, tenantId: string | undefined = env.ARM_TENANT_ID): TokenCredential {
    const clientId = env.ARM_CLIENT_ID;
    const useOidc = env.ARM_USE_OIDC?.toLowerCase() === "true";
    const need = (what: string) => new GraphCredentialError(`reading Entra ID through Microsoft Graph needs ${what}; set it in the environment (as for the azuread provider) or sign in with az login`);
    if (useOidc || env.ARM_CLIENT_SECRET) {
        if (!tenantId) throw need("the tenant: azuread:tenantId or ARM_TENANT_ID");
        if (!clientId) throw need("ARM_CLIENT_ID");
    }
    if (useOidc) return new ClientAssertionCredential(tenantId!, clientId!, () => federatedToken(env));
    if (env.ARM_CLIENT_SECRET) return new ClientSecretCredential(tenantId!, clientId!, env.ARM_CLIENT_SECRET);
    if (env.ARM_USE_CLI?.toLowerCase() === "false") throw need("ARM_USE_OIDC=true or ARM_CLIENT_SECRET (ARM_USE_CLI is false)");
    return new AzureCliCredential(tenantId ? { tenantId } : {});
}

/** The federated token, fetched afresh each time the credential needs one (GitHub's tokens are short-lived). */
async function federatedToken(env: Environment): Promise<string> {
    if (env.ARM_OIDC_TOKEN) return env.ARM_OIDC_TOKEN;
    if (env.ARM_OIDC_TOKEN_FILE_PATH) return readFileSync(env.ARM_OIDC_TOKEN_FILE_PATH, "utf8").trim();
    const url = env.ARM_OIDC_REQUEST_URL ?? env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = env.ARM_OIDC_REQUEST_TOKEN ?? env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer) {
        throw new GraphCredentialError(
            "ARM_USE_OIDC is true but there is no OIDC token: set ARM_OIDC_TOKEN or ARM_OIDC_TOKEN_FILE_PATH, or in GitHub Actions give the job `permissions: id-token: write`",
        );
    }
    // GitHub's documented request for an OIDC token (the same the azuread provider and azure/login make).
    const request = new URL(url);
    request.searchParams.set("audience", TOKEN_EXCHANGE_AUDIENCE);
    const response = await fetch(request, { headers: { Authorization: `Bearer ${bearer}`, Accept: "application/json" } });
    if (!response.ok) throw new GraphCredentialError(`GitHub Actions refused an OIDC token: HTTP ${response.status}; does the job have permissions: id-token: write?`);
    const body = (await response.json()) as { value?: unknown };
    if (typeof body.value !== "string") throw new GraphCredentialError("GitHub Actions answered the OIDC token request without a token");
    return body.value;
}
