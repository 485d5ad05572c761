import { execFileSync } from "node:child_process";
import type { CommandIO } from "../../cli/io";

/** A CommandIO that keeps what a command printed, for assertions. */
export function captureIO(env: NodeJS.ProcessEnv = {}): CommandIO & { stdout: string[]; stderr: string[] } {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return { stdout, stderr, env, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/** Runs git in `dir` as a throwaway identity (tests make their own repositories). */
export const git = (dir: string, ...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, stdio: "pipe" });

/** Makes `dir` a git repository (branch main) whose one commit holds everything in it. */
export function commitEverything(dir: string): void {
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "base");
}

/** Runs `fn` with `dir` as the working directory (commands read files relative to it), then goes back. */
export async function inDir<T>(dir: string, fn: () => Promise<T> | T): Promise<T> {
    const was = process.cwd();
    process.chdir(dir);
    try {
        return await fn();
    } finally {
        process.chdir(was);
    }
}
