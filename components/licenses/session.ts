import type { Client } from "@microsoft/microsoft-graph-client";
import { graphFromEnvironment } from "../../graph/environment";

export const DEFAULT_USER_LOOKUP_TIMEOUT_SECONDS = 300;

/**
 * What the licence providers keep in their process: the tenant and time budget from stack config (given to
 * `configure`), and one Graph client signed in from the environment, as the azuread provider signs in. Like the
 * Practice Protect session it lives on `globalThis` under a string key, so both providers share it, and nothing
 * of it is serialized with the provider or written to state.
 */
export class GraphProviderSession {
    private tenantId?: string;
    private current?: { key: string; client: Client };
    userLookupTimeoutSeconds = DEFAULT_USER_LOOKUP_TIMEOUT_SECONDS;

    configure(config: { get(key: string): string | undefined }): void {
        this.tenantId = config.get("azuread:tenantId") || undefined;
        const timeout = config.get("practiceprotect-users:userLookupTimeoutSeconds");
        if (timeout !== undefined && timeout !== "") {
            const seconds = Number(timeout);
            if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`practiceprotect-users:userLookupTimeoutSeconds is '${timeout}'; use a number of seconds`);
            this.userLookupTimeoutSeconds = seconds;
        }
    }

    /** The Graph client for the credentials in the environment now (a rotated secret gets a new client). */
    client(): Client {
        const env = process.env;
        const tenantId = this.tenantId ?? env.ARM_TENANT_ID;
        const key = JSON.stringify([tenantId, env.ARM_CLIENT_ID, env.ARM_USE_OIDC, env.ARM_CLIENT_SECRET, env.USERS_AS_CODE_GRAPH_URL]);
        if (this.current?.key !== key) this.current = { key, client: graphFromEnvironment(env, tenantId) };
        return this.current.client;
    }
}

export function graphProviderSession(): GraphProviderSession {
    const holder = globalThis as unknown as { __usersAsCodeGraphSession?: GraphProviderSession };
    return (holder.__usersAsCodeGraphSession ??= new GraphProviderSession());
}
