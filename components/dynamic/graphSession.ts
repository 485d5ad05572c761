import type { TokenCredential } from "@azure/identity";
import type { Client } from "@microsoft/microsoft-graph-client";
import { graphConnectionFromEnvironment } from "../../graph/environment";
import { graphErrorOf } from "../../graph/licenses";
import { DEFAULT_USER_LOOKUP_TIMEOUT_SECONDS, readStackSettings } from "../settings";

/** The project's stack settings namespace (Pulumi.yaml name): the provider host gets keys with it. */
const NAMESPACE = "practiceprotect-users";

/**
 * What the licence providers keep in their process: the tenant and time budget from stack config (given to
 * `configure`), and one Graph client signed in from the environment, as the azuread provider signs in. Like the
 * Practice Protect session it lives on `globalThis` under a string key, so both providers share it, and nothing
 * of it is serialized with the provider or written to state.
 */
export class GraphProviderSession {
    private tenantId?: string;
    private current?: { key: string; client: Client; credential: TokenCredential };
    userLookupTimeoutSeconds = DEFAULT_USER_LOOKUP_TIMEOUT_SECONDS;

    configure(config: { get(key: string): string | undefined }): void {
        this.tenantId = config.get("azuread:tenantId") || undefined;
        // The same reader as the program's, over the whole stack config the host is given.
        this.userLookupTimeoutSeconds = readStackSettings({ get: (key) => config.get(`${NAMESPACE}:${key}`) }, NAMESPACE).userLookupTimeoutSeconds;
    }

    /** The Graph client for the credentials in the environment now (a rotated secret gets a new client). */
    client(): Client {
        return this.connection().client;
    }

    /** The client and its credential (which also signs in to Key Vault: vaultedPasswordProvider.ts). */
    connection(): { client: Client; credential: TokenCredential } {
        const env = process.env;
        const tenantId = this.tenantId ?? env.ARM_TENANT_ID;
        const key = JSON.stringify([tenantId, env.ARM_CLIENT_ID, env.ARM_USE_OIDC, env.ARM_CLIENT_SECRET, env.USERS_AS_CODE_GRAPH_URL]);
        if (this.current?.key !== key) this.current = { key, ...graphConnectionFromEnvironment(env, tenantId) };
        return this.current;
    }

    /**
     * Runs `attempt`, again and again (1 s, doubling to 15 s) while Graph does not know a just-created object yet,
     * up to userLookupTimeoutSeconds. Entra is eventually consistent ("Designing for eventual consistency"): a
     * user created a moment ago answers 404 Request_ResourceNotFound, and adding it to a group can answer 400 "The
     * source resource object or one of the objects being referenced do not exist." ("Add members").
     */
    async whenVisible<T>(attempt: () => Promise<T>, who: string): Promise<T> {
        const deadline = Date.now() + this.userLookupTimeoutSeconds * 1000;
        for (let delay = 1000; ; delay = Math.min(delay * 2, 15_000)) {
            try {
                return await attempt();
            } catch (e) {
                const { statusCode, code, message } = graphErrorOf(e);
                const notYet = (statusCode === 404 && code === "Request_ResourceNotFound") || (statusCode === 400 && /objects being referenced do not exist/i.test(message));
                if (!notYet) throw e;
                if (Date.now() + delay > deadline) {
                    throw new NotVisibleError(`${who} is still unknown to Microsoft Graph after ${this.userLookupTimeoutSeconds} s; run pulumi up again, or raise practiceprotect-users:userLookupTimeoutSeconds`);
                }
                await new Promise((resolve) => setTimeout(resolve, delay));
            }
        }
    }
}

/** A person Graph still did not show when the wait ran out (its message says what to do). */
export class NotVisibleError extends Error {
    constructor(message: string) {
        super(message);
        this.message = message;
        this.name = "NotVisibleError";
    }
}

export function graphProviderSession(): GraphProviderSession {
    const holder = globalThis as unknown as { __usersAsCodeGraphSession?: GraphProviderSession };
    return (holder.__usersAsCodeGraphSession ??= new GraphProviderSession());
}
