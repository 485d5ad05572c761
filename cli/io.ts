import { parseArgs, ParseArgsConfig } from "node:util";

/** Where a command writes; tests pass buffers, the bin passes the process's streams. */
export interface CommandIO {
    out(line: string): void;
    err(line: string): void;
    env: NodeJS.ProcessEnv;
}

export const processIO: CommandIO = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
};

/** A mistake in how the command was called: printed with usage, exit code 2. */
export class UsageError extends Error {}

/** node:util's parseArgs for a command line: an unknown flag or a missing value is a usage error (exit 2). */
export function parseCommandArgs<const T extends Omit<ParseArgsConfig, "args">>(argv: string[], config: T): ReturnType<typeof parseArgs<T>> {
    try {
        return parseArgs<T>({ ...config, args: argv });
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
}

/** Runs a command as a process: maps its result or a UsageError to an exit code. */
export function runAsProcess(command: (argv: string[], io: CommandIO) => Promise<number> | number, usage: string): void {
    Promise.resolve()
        .then(() => command(process.argv.slice(2), processIO))
        .then(
            (code) => (process.exitCode = code),
            (e) => {
                if (e instanceof UsageError) {
                    processIO.err(`error: ${e.message}\n${usage}`);
                    process.exitCode = 2;
                } else {
                    processIO.err(e instanceof Error ? e.message : String(e));
                    process.exitCode = 1;
                }
            },
        );
}
