import type { TokenCredential } from "@azure/identity";
import { AuthenticationHandler, Client, RedirectHandler, RetryHandler, TelemetryHandler } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { EmulatorHttpMessageHandler } from "./transport";

/**
 * A real @microsoft/microsoft-graph-client Client pointed at a Graph emulator: the library's default middleware
 * chain (authentication, RetryHandler honouring Retry-After, redirects, telemetry) with only the last link, the
 * HTTP transport, replaced so that it trusts the emulator's certificate.
 *
 * customHosts holds the host name without the port: the library compares it with the URL's host name
 * (GraphRequestUtil.isValidEndpoint), so "127.0.0.1:PORT" would never match and no token would be sent.
 */
export function emulatorGraphClient(emulatorUrl: string, credential: TokenCredential): Client {
    const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ["https://graph.microsoft.com/.default"] });
    return Client.initWithMiddleware({
        baseUrl: emulatorUrl,
        customHosts: new Set([new URL(emulatorUrl).hostname]),
        middleware: [new AuthenticationHandler(authProvider), new RetryHandler(), new RedirectHandler(), new TelemetryHandler(), new EmulatorHttpMessageHandler()],
    });
}
