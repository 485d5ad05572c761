import { execFileSync } from "node:child_process";
import { dirname, relative, resolve, sep } from "node:path";
import { MAX_FILE_BYTES } from "../model/parse";
import { UsageError } from "./io";

// Room for the largest file the checks accept (a users.yaml of 5,000 people is about 2 MB; execFileSync's own
// limit, 1 MiB, would read such a file as missing), and a little over, so a larger one fails the size check.
const git = (args: string[], cwd: string) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: MAX_FILE_BYTES + 1024 * 1024 });

/**
 * The text of a file as it is at a git revision, or `undefined` when it does not exist there. A revision git
 * does not know is a usage error that names it (in CI: fetch the base, e.g. actions/checkout fetch-depth: 0).
 */
export function readAtRevision(revision: string, file: string): string | undefined {
    const path = resolve(file);
    const dir = dirname(path);
    let top: string;
    try {
        top = git(["rev-parse", "--show-toplevel"], dir).trim();
    } catch {
        throw new UsageError(`--base ${revision}: ${dir} is not inside a git repository`);
    }
    try {
        git(["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], top);
    } catch {
        throw new UsageError(`--base ${revision}: git does not know this revision; fetch it first (in GitHub Actions, actions/checkout with fetch-depth: 0)`);
    }
    const inRepo = relative(top, path).split(sep).join("/");
    try {
        return git(["show", `${revision}:${inRepo}`], top);
    } catch {
        return undefined;
    }
}

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
