import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { loadGraphSeed, startGraphEmulator, type CallRecord, type GraphEmulator } from "../emulator/graph";
import { CommandIO, parseCommandArgs, runAsProcess, UsageError } from "./io";

export const DEFAULT_GRAPH_SEED = resolve(__dirname, "../emulator/graph/seed.example.yaml");
export const GRAPH_EMULATOR_USAGE =
    "usage: npm run graph-emulator -- [--port N] [--seed FILE] [--cert FILE]   (default: a free port, emulator/graph/seed.example.yaml, the certificate in the temp directory)";

/**
 * Starts a local Microsoft Graph on loopback (HTTPS, with a certificate made for this run and written to --cert),
 * prints how to point a client at it, and logs each call on one line. Returns the running emulator (undefined for --help).
 */
export async function startGraphEmulatorCommand(argv: string[], io: CommandIO): Promise<GraphEmulator | undefined> {
    const { values, positionals } = parseCommandArgs(argv, {
        allowPositionals: true,
        options: { port: { type: "string", short: "p" }, seed: { type: "string", short: "s" }, cert: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
        io.out(GRAPH_EMULATOR_USAGE);
        return undefined;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals.join(" ")}`);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0-65535), got '${values.port}'`);
    const seedFile = values.seed ?? DEFAULT_GRAPH_SEED;
    const seed = loadGraphSeed(seedFile);

    const emulator = await startGraphEmulator({ seed, port, onCall: (call) => io.out(formatGraphCall(call)) });
    const certFile = values.cert ?? join(tmpdir(), `graph-emulator-${new URL(emulator.url).port}.pem`);
    writeFileSync(certFile, emulator.certificate);
    const shown = relative(process.cwd(), seedFile) || seedFile;
    io.out(`Microsoft Graph emulator listening on ${emulator.url}`);
    io.out(`  seed         ${shown}`);
    io.out(`  tenant       ${seed.tenant.id} (${seed.tenant.displayName})`);
    io.out(`  graph        ${emulator.graphUrl}`);
    io.out(`  token        POST ${emulator.url}/${seed.tenant.id}/oauth2/v2.0/token (client credentials, scope https://graph.microsoft.com/.default)`);
    io.out(`  certificate  ${certFile} (made for this run: NODE_EXTRA_CA_CERTS=${certFile}, or curl --cacert ${certFile})`);
    for (const app of seed.apps) io.out(`  app          ${app.displayName ?? app.clientId}: client id ${app.clientId}, secret in ${shown}; roles ${app.roles.join(", ") || "(none)"}`);
    for (const vault of seed.vaults ?? []) io.out(`  key vault    ${vault.name}: ${emulator.url}/keyvault/${vault.name} (USERS_AS_CODE_KEYVAULT_URL=${emulator.url}/keyvault); secrets set by ${vault.secretWriters.join(", ") || "(nobody)"}`);
    io.out(`  program      USERS_AS_CODE_GRAPH_URL=${emulator.url} NODE_EXTRA_CA_CERTS=${certFile} ARM_TENANT_ID=${seed.tenant.id} ARM_CLIENT_ID=<an app above> ARM_CLIENT_SECRET=<its secret> (licences and look-ups)`);
    io.out("Ctrl-C stops it. Calls:");
    return emulator;
}

/** One line per call: time, method, path and query, status, the calling app. Tokens and secrets are never in a call record. */
export function formatGraphCall(call: CallRecord): string {
    const time = new Date(call.at).toISOString().slice(11, 23);
    const target = call.query ? `${call.path}?${call.query}` : call.path;
    return `${time} ${call.method} ${target} ${call.status}${call.clientId ? ` (${call.clientId})` : ""}`;
}

if (require.main === module) {
    runAsProcess(async (argv, io) => {
        const emulator = await startGraphEmulatorCommand(argv, io);
        if (!emulator) return 0;
        await new Promise((stop) => process.once("SIGINT", stop));
        io.err("stopping");
        await emulator.close();
        return 0;
    }, GRAPH_EMULATOR_USAGE);
}
