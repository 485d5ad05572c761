import type { TokenCredential } from "@azure/identity";
import { Client, PageCollection, PageIterator } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";

export interface GraphClientOptions {
    /** For tests: another root than https://graph.microsoft.com (the library sends the token to https hosts only). */
    baseUrl?: string;
}

/**
 * A Microsoft Graph client with the library's default middleware: authentication from the credential, and its
 * RetryHandler, which retries 429/503/504 and waits as long as Graph's Retry-After header says.
 */
export function graphClient(credential: TokenCredential, options: GraphClientOptions = {}): Client {
    const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ["https://graph.microsoft.com/.default"] });
    return Client.initWithMiddleware({
        authProvider,
        ...(options.baseUrl ? { baseUrl: options.baseUrl, customHosts: new Set([new URL(options.baseUrl).hostname]) } : {}),
    });
}

/** Every item of a collection, following @odata.nextLink with the library's PageIterator. */
export async function allPages<T>(client: Client, first: PageCollection): Promise<T[]> {
    const items: T[] = [];
    await new PageIterator(client, first, (item: T) => {
        items.push(item);
        return true;
    }).iterate();
    return items;
}
