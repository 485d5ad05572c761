import type { Client } from "@microsoft/microsoft-graph-client";
import { graphClient } from "./client";
import { Environment, graphCredential, GraphCredentialError } from "./credential";
import { LocalClientCredential } from "./localCredential";

/** Set to a local Graph emulator's root URL (http://127.0.0.1:PORT) to talk to it instead of Microsoft Graph. */
export const GRAPH_EMULATOR_VARIABLE = "USERS_AS_CODE_GRAPH_URL";

/**
 * A Graph client signed in as the azuread provider would be, from the environment at the time of the call:
 * Microsoft Graph, or the local emulator when USERS_AS_CODE_GRAPH_URL is set (then ARM_CLIENT_ID and
 * ARM_CLIENT_SECRET are the emulator's client credentials).
 */
export function graphFromEnvironment(env: Environment, tenantId: string | undefined = env.ARM_TENANT_ID): Client {
    const emulator = env[GRAPH_EMULATOR_VARIABLE];
    if (!emulator) return graphClient(graphCredential(env, tenantId));
    const root = emulator.replace(/\/+$/, "");
    if (!tenantId || !env.ARM_CLIENT_ID || !env.ARM_CLIENT_SECRET) {
        throw new GraphCredentialError(`${GRAPH_EMULATOR_VARIABLE} is set: the emulator needs ARM_TENANT_ID (or azuread:tenantId), ARM_CLIENT_ID and ARM_CLIENT_SECRET`);
    }
    return graphClient(new LocalClientCredential(root, tenantId, env.ARM_CLIENT_ID, env.ARM_CLIENT_SECRET), { baseUrl: `${root}/` });
}
