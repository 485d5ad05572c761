import type { CommandIO } from "../../cli/io";

/** A CommandIO that keeps what a command printed, for assertions. */
export function captureIO(env: NodeJS.ProcessEnv = {}): CommandIO & { stdout: string[]; stderr: string[] } {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return { stdout, stderr, env, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}
