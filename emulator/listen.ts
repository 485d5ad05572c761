import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Server } from "node:net";

/** An emulator's request handler: an error it throws answers 500 with the error's text. */
export const guarded =
    (handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>) =>
    (req: IncomingMessage, res: ServerResponse): void => {
        handle(req, res).catch((e) => {
            if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
            res.end(String(e));
        });
    };

/** Starts an emulator's server (HTTP or HTTPS) on loopback (a free port unless one is given) and returns host:port for its URL. */
export async function listenOnLoopback(server: Server, port = 0, host = "127.0.0.1"): Promise<string> {
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    return `${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
}
