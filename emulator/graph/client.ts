import type { TokenCredential } from "@azure/identity";
import { Client } from "@microsoft/microsoft-graph-client";
import { GRAPH_RETRY_POLICY, graphMiddleware, GraphRetryPolicy } from "../../graph/client";
import { EmulatorHttpMessageHandler } from "./transport";

/**
 * A real @microsoft/microsoft-graph-client Client pointed at a Graph emulator: the program's middleware chain
 * (graph/client.ts: authentication, RetryHandler honouring Retry-After with GRAPH_RETRY_POLICY, redirects,
 * telemetry) with only the last link, the HTTP transport, replaced so that it trusts the emulator's certificate.
 *
 * customHosts holds the host name without the port: the library compares it with the URL's host name
 * (GraphRequestUtil.isValidEndpoint), so "127.0.0.1:PORT" would never match and no token would be sent.
 */
export function emulatorGraphClient(emulatorUrl: string, credential: TokenCredential, retries: GraphRetryPolicy = GRAPH_RETRY_POLICY): Client {
    return Client.initWithMiddleware({
        baseUrl: emulatorUrl,
        customHosts: new Set([new URL(emulatorUrl).hostname]),
        middleware: graphMiddleware(credential, retries, new EmulatorHttpMessageHandler()),
    });
}
