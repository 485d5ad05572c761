import { execFileSync } from "node:child_process";
import { resolve, sep } from "node:path";
import { MAX_FILE_BYTES } from "../model/parse";
import { UsageError } from "./io";

// Room for the largest file the checks accept (a users.yaml of 5,000 people is about 2 MB; execFileSync's own
// limit, 1 MiB, would read such a file as missing), and a little over, so a larger one fails the size check.
const git = (args: string[], cwd: string) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: MAX_FILE_BYTES + 1024 * 1024 });

/**
 * A reader of the project's files as they are at a git revision, read as data with `git show` (nothing from
 * that revision runs). Paths are relative to the project directory (`REV:./path`, git's form for that). The
 * revision is checked once: one git does not know is a usage error naming `flag`.
 */
export function revisionReader(revision: string, flag: string, projectDir = "."): (path: string) => string | undefined {
    // git would read a leading dash as an option of its own (`git show --output=FILE`).
    if (revision.startsWith("-") || revision === "") throw new UsageError(`${flag} '${revision}': name a commit, branch or tag`);
    try {
        git(["rev-parse", "--show-toplevel"], projectDir);
    } catch {
        throw new UsageError(`${flag} ${revision}: ${resolve(projectDir)} is not inside a git repository`);
    }
    try {
        git(["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], projectDir);
    } catch {
        throw new UsageError(`${flag} ${revision}: git does not know this revision; fetch it first (in GitHub Actions, actions/checkout with fetch-depth: 0)`);
    }
    return (path) => {
        const spec = `${revision}:./${path.split(sep).join("/").replace(/^\.\//, "")}`;
        try {
            return git(["show", spec], projectDir);
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOBUFS") throw new UsageError(`${flag} ${revision}: ${path} is larger than ${MAX_FILE_BYTES} bytes at that revision: check it is the right file`);
            return undefined;
        }
    };
}

/**
 * The project's files that differ between two revisions (or a revision and the working tree), as paths relative
 * to the project directory: `git diff --name-only`, which compares trees and needs no history between them.
 */
export function changedFiles(base: string, head: string | undefined, projectDir = "."): string[] {
    const out = git(["diff", "--name-only", "--relative", "--no-renames", base, ...(head === undefined ? [] : [head]), "--"], projectDir);
    return out.split("\n").filter(Boolean);
}
