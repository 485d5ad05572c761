import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { request } from "node:https";

type HeaderInput = ConstructorParameters<typeof Headers>[0];

/** Certificates of the emulators running in this process, by origin (https://127.0.0.1:PORT). */
const trusted = new Map<string, string>();

export function trustEmulator(origin: string, certificate: string): void {
    trusted.set(origin, certificate);
}

export function untrustEmulator(origin: string): void {
    trusted.delete(origin);
}

/**
 * fetch() for a Graph emulator running in this process: over node:https, trusting that emulator's self-signed
 * certificate and nothing else (Node 20's global fetch cannot be given a CA per request). Any other URL is refused,
 * so nothing meant for the emulator leaks elsewhere.
 */
export async function emulatorFetch(input: string | URL, init: { method?: string; headers?: HeaderInput; body?: unknown } = {}): Promise<Response> {
    const url = new URL(String(input));
    const ca = trusted.get(url.origin);
    if (!ca) throw new Error(`${url.origin} is not a Graph emulator running in this process`);
    const headers = Object.fromEntries(new Headers(init.headers ?? {}).entries());
    const body = init.body === undefined || init.body === null ? undefined : typeof init.body === "string" || Buffer.isBuffer(init.body) ? init.body : String(init.body);
    return new Promise<Response>((resolve, reject) => {
        const req = request(url, { method: init.method ?? "GET", headers, ca }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("error", reject);
            res.on("end", () => {
                const status = res.statusCode ?? 0;
                const responseHeaders = new Headers();
                for (const [name, value] of Object.entries(res.headers)) {
                    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
                }
                const payload = [204, 205, 304].includes(status) ? null : Buffer.concat(chunks);
                resolve(new Response(payload, { status, headers: responseHeaders }));
            });
        });
        req.on("error", reject);
        req.end(body);
    });
}

/**
 * The last link of a Graph client's middleware chain, in place of the library's HTTPMessageHandler (which calls the
 * global fetch): sends the request to the emulator with emulatorFetch.
 */
export class EmulatorHttpMessageHandler implements Middleware {
    async execute(context: Context): Promise<void> {
        const target = typeof context.request === "string" ? context.request : context.request.url;
        const options = context.options ?? {};
        context.response = await emulatorFetch(target, { method: options.method, headers: options.headers as HeaderInput, body: options.body });
    }
}
