import { relative, resolve } from "node:path";
import { loadSeed, startEmulator, type CallRecord, type Emulator, type PlatformQuirks } from "../emulator";
import { CommandIO, parseCommandArgs, runAsProcess, UsageError } from "./io";

export const DEFAULT_SEED = resolve(__dirname, "../emulator/seed.example.yaml");
export const EMULATOR_USAGE =
    "usage: npm run emulator -- [--port N] [--seed FILE] [--quirk limit-total|lower-case-user-names|401-in-envelope ...]   (default: a free port, emulator/seed.example.yaml, no quirk)";

/** `--quirk` values: readings of undocumented platform behaviour to play (see PlatformQuirks in emulator/types.ts). */
const QUIRKS: Record<string, PlatformQuirks> = {
    "limit-total": { limit: "total" },
    "lower-case-user-names": { lowerCaseUserNames: true },
    "401-in-envelope": { unauthenticated: "envelope" },
};

/**
 * `npm run emulator -- [--port N] [--seed FILE]`: starts a local Practice Protect API on loopback, prints how to
 * point a client at it, and logs each call on one line. Returns the running emulator (undefined for --help).
 */
export async function startEmulatorCommand(argv: string[], io: CommandIO): Promise<Emulator | undefined> {
    const { values, positionals } = parseCommandArgs(argv, {
        allowPositionals: true,
        options: { port: { type: "string", short: "p" }, seed: { type: "string", short: "s" }, quirk: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
        io.out(EMULATOR_USAGE);
        return undefined;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals.join(" ")}`);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0-65535), got '${values.port}'`);
    const quirks: PlatformQuirks = {};
    for (const name of values.quirk ?? []) {
        if (!QUIRKS[name]) throw new UsageError(`unknown --quirk '${name}'; use one of: ${Object.keys(QUIRKS).join(", ")}`);
        Object.assign(quirks, QUIRKS[name]);
    }
    const seedFile = values.seed ?? DEFAULT_SEED;
    const seed = loadSeed(seedFile);

    const emulator = await startEmulator({ seed, port, quirks, onCall: (call) => io.out(formatCall(call)) });
    const shown = relative(process.cwd(), seedFile) || seedFile;
    io.out(`Practice Protect emulator listening on ${emulator.url}`);
    io.out(`  seed           ${shown}`);
    io.out(`  token          POST ${emulator.url}/oauth2/token/${encodeURIComponent(seed.oauth.appId)}`);
    io.out(`  app id         ${seed.oauth.appId}`);
    io.out(`  client id      ${seed.oauth.clientId}`);
    io.out(`  client secret  oauth.clientSecret in ${shown}`);
    if (seed.oauth.scope) io.out(`  scope          ${seed.oauth.scope}`);
    for (const user of seed.platformServiceUsers ?? []) io.out(`  platform user  ${user.clientId} (POST ${emulator.url}/oauth2/platformtoken; secret in ${shown})`);
    for (const name of values.quirk ?? []) io.out(`  quirk          ${name}`);
    for (const d of seed.directories) io.out(`  directory      ${d.displayName} (${d.service}, ${d.uuid})`);
    io.out("Ctrl-C stops it. Calls:");
    return emulator;
}

/** One line per call: time, method, path, status, and the start of the body (client secrets masked). */
export function formatCall(call: CallRecord): string {
    const time = new Date(call.at).toISOString().slice(11, 23);
    const target = call.query ? `${call.path}?${call.query}` : call.path;
    const body = call.body === undefined ? "" : JSON.stringify(call.body, (key, value) => (key === "client_secret" ? "***" : value));
    const shortBody = body.length > 160 ? `${body.slice(0, 159)}…` : body;
    return `${time} ${call.method} ${target} ${call.status === 0 ? "(hung)" : call.status} ${shortBody}`.trimEnd();
}


if (require.main === module) {
    runAsProcess(async (argv, io) => {
        const emulator = await startEmulatorCommand(argv, io);
        if (!emulator) return 0;
        await new Promise((stop) => process.once("SIGINT", stop));
        io.err("stopping");
        await emulator.close();
        return 0;
    }, EMULATOR_USAGE);
}
