import type { Document } from "yaml";
import type { Diagnostic, SourceFile } from "../diagnostics";
import type { UserEntry } from "../schema";

/** What the importer takes and reports, and its working shapes. */

export interface ImportOptions {
    /** The CSV's name, for the report and the comment above the new entries. */
    csvName: string;
    /** The users.yaml path, for diagnostics (FILE:LINE:COL). */
    usersPath: string;
}

/** Something to tell about one CSV row (the header is row 1). */
export interface RowNote {
    row: number;
    /** true: the row was not imported; false: it was, or it is already in users.yaml, and this is worth knowing. */
    skipped: boolean;
    message: string;
}

export interface ImportedUser {
    row: number;
    key: string;
    userPrincipalName: string;
    /** Adopted by pulumi up (import) rather than created. */
    objectId?: string;
    enabled: boolean;
}

export interface ImportResult {
    /** No users.yaml existed: the text is a whole new file. */
    created: boolean;
    /** The users.yaml to write; undefined when there is nothing to add or the result does not validate. */
    text?: string;
    /** What would be added, as YAML: the new entries as they appear in the file, or the whole new file. */
    addedYaml: string;
    added: ImportedUser[];
    /** CSV rows that are already in users.yaml (matched by UPN or objectId); they are left untouched. */
    alreadyPresent: number;
    /** Data rows in the CSV (not counting the header and empty lines). */
    rows: number;
    notes: RowNote[];
    /** Errors that stop the write: positions in `source` (the existing file, or the new file). */
    diagnostics: Diagnostic[];
    source: SourceFile;
}

/** users.yaml's own fields as the importer writes them: values only (it never writes null, which clears). */
type Written<T> = { [K in keyof T]: Exclude<T[K], null> };

/** One user to add, with users.yaml's own fields, so the importer can only write what the schema knows. */
export interface Entry
    extends Written<
        Pick<
            UserEntry,
            | "userPrincipalName"
            | "displayName"
            | "givenName"
            | "surname"
            | "mailNickname"
            | "mobilePhone"
            | "jobTitle"
            | "department"
            | "companyName"
            | "officeLocation"
            | "streetAddress"
            | "city"
            | "state"
            | "postalCode"
            | "country"
            | "employeeId"
            | "businessPhones"
            | "faxNumber"
            | "usageLocation"
            | "licenses"
            | "objectId"
        >
    > {
    row: number;
    key: string;
    /** Why mailNickname is set (written as a comment beside it). */
    mailNicknameComment?: string;
    enabled: boolean;
}

/** A row that can be imported, before keys and the default country are settled. */
export interface Candidate extends Omit<Entry, "key" | "mobilePhone"> {
    mobileWritten: string;
    locationWritten: string;
}

export interface ExistingUser {
    key: string;
    userPrincipalName?: string;
    objectId?: string;
    mailNickname?: string;
}

export interface Existing {
    /** The text without a byte-order mark. */
    text: string;
    bom: string;
    document: Document.Parsed;
    users: ExistingUser[];
    defaultUsageLocation?: string;
}

