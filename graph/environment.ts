import { ClientSecretCredential, type TokenCredential } from "@azure/identity";
import type { Client } from "@microsoft/microsoft-graph-client";
import { graphClient } from "./client";
import { Environment, graphCredential, GraphCredentialError } from "./credential";

/**
 * Set to a local Graph emulator's root URL (https://127.0.0.1:PORT) to talk to it instead of Microsoft Graph;
 * start Node with NODE_EXTRA_CA_CERTS naming the emulator's certificate (it serves HTTPS, as the Graph client
 * library only sends tokens to https hosts).
 */
export const GRAPH_EMULATOR_VARIABLE = "USERS_AS_CODE_GRAPH_URL";

/**
 * A Graph client signed in as the azuread provider would be, from the environment at the time of the call:
 * Microsoft Graph, or the local emulator when USERS_AS_CODE_GRAPH_URL is set (then ARM_CLIENT_ID and
 * ARM_CLIENT_SECRET are the emulator's client credentials, and the emulator is both the token authority and
 * Graph; instance discovery is off so that nothing asks login.microsoftonline.com).
 */
export function graphFromEnvironment(env: Environment, tenantId: string | undefined = env.ARM_TENANT_ID): Client {
    return graphConnectionFromEnvironment(env, tenantId).client;
}

/** The client and the credential behind it (the doctor reads the token's claims: what Graph will allow). */
export function graphConnectionFromEnvironment(env: Environment, tenantId: string | undefined = env.ARM_TENANT_ID): { client: Client; credential: TokenCredential } {
    const emulator = env[GRAPH_EMULATOR_VARIABLE];
    if (!emulator) {
        const credential = graphCredential(env, tenantId);
        return { client: graphClient(credential), credential };
    }
    const root = emulator.replace(/\/+$/, "");
    if (!tenantId || !env.ARM_CLIENT_ID || !env.ARM_CLIENT_SECRET) {
        throw new GraphCredentialError(`${GRAPH_EMULATOR_VARIABLE} is set: the emulator needs ARM_TENANT_ID (or azuread:tenantId), ARM_CLIENT_ID and ARM_CLIENT_SECRET`);
    }
    const credential = new ClientSecretCredential(tenantId, env.ARM_CLIENT_ID, env.ARM_CLIENT_SECRET, { authorityHost: root, disableInstanceDiscovery: true });
    return { client: graphClient(credential, { baseUrl: `${root}/` }), credential };
}
