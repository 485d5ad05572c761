import type { Document } from "yaml";
import type { Diagnostic, SourceFile } from "../diagnostics";
import { locate, Path } from "../locate";
import { memoisedMobileNormaliser } from "../mobilePhone";
import type { UserEntry, UsersFile } from "../schema";

/** What every rule gets: the schema-valid data, and a way to report a problem at a path in the file. */
export class RuleContext {
    readonly diagnostics: Diagnostic[] = [];
    /** Shared with the resolver, so each number is parsed once per check. */
    readonly normaliseMobile = memoisedMobileNormaliser();
    private userEntries?: [string, UserEntry][];

    constructor(
        readonly data: UsersFile,
        private readonly document: Document.Parsed,
        private readonly source: SourceFile,
        /** Global Administrators that are not in users.yaml (the service account with access: full). */
        readonly externalGlobalAdmins: readonly string[] = [],
        /** Some users had schema errors and are left out: "nothing uses X" cannot be known. */
        readonly partial = false,
    ) {}

    users(): [string, UserEntry][] {
        return (this.userEntries ??= Object.entries(this.data.users));
    }

    error(code: string, path: Path, message: string, target: "value" | "key" = "value"): void {
        this.diagnostics.push({ severity: "error", code, message, range: locate(this.document, path, target) });
    }

    warning(code: string, path: Path, message: string, target: "value" | "key" = "value"): void {
        this.diagnostics.push({ severity: "warning", code, message, range: locate(this.document, path, target) });
    }

    /** The line a path is on, for pointing from one place to another ("also used by 'bob' on line 12"). */
    lineOf(path: Path, target: "value" | "key" = "value"): number {
        return this.source.position(locate(this.document, path, target)[0]).line;
    }
}

export type Rule = (ctx: RuleContext) => void;
