import { parse as parseCsv } from "csv-parse/sync";
import * as countries from "i18n-iso-countries";
import english from "i18n-iso-countries/langs/en.json";
import { basename } from "node:path";
import { Document, isMap, isScalar, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { checkUsersYaml } from "./check";
import { Diagnostic, SourceFile } from "./diagnostics";
import { normaliseMobile } from "./mobilePhone";
import { mailNicknameOf } from "./rules/identity";

/**
 * Adopting an existing tenant: the Microsoft 365 admin center's user export (Active users → Export users)
 * → new users.yaml entries, merged into the firm's users.yaml without touching a byte of what is there.
 * Pure: CSV text and users.yaml text in, users.yaml text and a report out.
 */

countries.registerLocale(english as countries.LocaleData);

/** Nothing can be imported: the message says why. */
export class ImportError extends Error {}

/** The CSV cannot be read as a user export. */
export class CsvReadError extends ImportError {}

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

// ---------------------------------------------------------------------------------------------------------
// The CSV

type Field = "userPrincipalName" | "displayName" | "givenName" | "surname" | "mobilePhone" | "jobTitle" | "department" | "usageLocation" | "objectId" | "blockCredential" | "accountEnabled" | "userType";

/**
 * Column names, compared without case, spaces or punctuation. The admin center's names come first; the
 * Entra admin center's "Download users" and Graph/PowerShell spellings are accepted too. Every other column
 * ("Office", "City", "Licenses", "When created", ...) is ignored.
 */
const COLUMNS: Record<string, Field> = {
    userprincipalname: "userPrincipalName",
    displayname: "displayName",
    firstname: "givenName",
    givenname: "givenName",
    lastname: "surname",
    surname: "surname",
    mobilephone: "mobilePhone",
    mobile: "mobilePhone",
    title: "jobTitle",
    jobtitle: "jobTitle",
    department: "department",
    usagelocation: "usageLocation",
    objectid: "objectId",
    blockcredential: "blockCredential",
    accountenabled: "accountEnabled",
    usertype: "userType",
};

const columnName = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, "");

interface CsvRow {
    row: number;
    get(field: Field): string;
}

function readCsv(csvText: string): { rows: CsvRow[]; fields: Set<Field> } {
    let records: string[][];
    try {
        records = parseCsv(csvText, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
    } catch (e) {
        throw new CsvReadError(`the CSV cannot be read: ${(e as Error).message}`);
    }
    if (records.length === 0 || records[0].every((c) => c.trim() === "")) throw new CsvReadError("the CSV is empty: export the users from the Microsoft 365 admin center (Active users → Export users)");
    const header = records[0];
    const index = new Map<Field, number>();
    header.forEach((name, i) => {
        const field = COLUMNS[columnName(name)];
        if (field && !index.has(field)) index.set(field, i);
    });
    if (!index.has("userPrincipalName")) {
        throw new CsvReadError(
            `the CSV has no "User principal name" column (its header is: ${header.slice(0, 8).join(", ")}${header.length > 8 ? ", ..." : ""}); ` +
                "export the users from the Microsoft 365 admin center: Active users → Export users",
        );
    }
    const rows: CsvRow[] = [];
    records.slice(1).forEach((cells, i) => {
        if (cells.every((c) => c.trim() === "")) return; // an empty line
        rows.push({ row: i + 2, get: (field) => (index.has(field) ? (cells[index.get(field)!] ?? "").trim() : "") });
    });
    return { rows, fields: new Set(index.keys()) };
}

// ---------------------------------------------------------------------------------------------------------
// Values

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COUNTRY_CODES = new Set(Object.keys(countries.getAlpha2Codes()));

/** "AU", "au", "AUS", "Australia", "UK" → AU/AU/AU/AU/GB; undefined when it is not a country. */
export function countryCode(written: string): string | undefined {
    const value = written.trim();
    if (/^[A-Za-z]{2}$/.test(value) && COUNTRY_CODES.has(value.toUpperCase())) return value.toUpperCase();
    if (/^[A-Za-z]{3}$/.test(value)) {
        const alpha2 = countries.alpha3ToAlpha2(value.toUpperCase());
        if (alpha2) return alpha2;
    }
    const byName = countries.getSimpleAlpha2Code(value, "en");
    return byName && COUNTRY_CODES.has(byName) ? byName : undefined;
}

/**
 * A users.yaml key from a mail nickname: lower case, accents dropped ("zoë" → zoe), characters the key
 * rule does not allow removed ("o'neil" → oneil), starting with a letter or digit, at most 64 characters.
 */
export function keyFromNickname(nickname: string): string {
    const key = nickname
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, "")
        .replace(/^[._-]+/, "")
        .slice(0, 64);
    return key || "user";
}

/** base, base-2, base-3, ... : the first that `free` accepts, kept within 64 characters. */
function firstFree(base: string, free: (candidate: string) => boolean): string {
    if (free(base)) return base;
    for (let n = 2; ; n++) {
        const suffix = `-${n}`;
        const candidate = base.slice(0, 64 - suffix.length) + suffix;
        if (free(candidate)) return candidate;
    }
}

const isTrue = (value: string) => /^(true|yes|1)$/i.test(value);
const isFalse = (value: string) => /^(false|no|0)$/i.test(value);

// ---------------------------------------------------------------------------------------------------------
// The existing users.yaml

interface ExistingUser {
    key: string;
    userPrincipalName?: string;
    objectId?: string;
    mailNickname?: string;
}

interface Existing {
    /** The text without a byte-order mark. */
    text: string;
    bom: string;
    document: Document.Parsed;
    users: ExistingUser[];
    defaultUsageLocation?: string;
}

function readExisting(text: string): Existing | Diagnostic[] {
    const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
    const body = text.slice(bom.length);
    const document = parseDocument(body, { prettyErrors: false, uniqueKeys: false, version: "1.2", schema: "core" });
    if (document.errors.length > 0) return [];
    let data: unknown;
    try {
        data = document.toJS({ maxAliasCount: 1000 });
    } catch {
        return [];
    }
    const file = (isRecord(data) ? data : {}) as Record<string, unknown>;
    const users: ExistingUser[] = [];
    if (isRecord(file.users)) {
        for (const [key, value] of Object.entries(file.users)) {
            const user = isRecord(value) ? value : {};
            const text = (v: unknown) => (typeof v === "string" ? v : undefined);
            users.push({ key, userPrincipalName: text(user.userPrincipalName), objectId: text(user.objectId), mailNickname: text(user.mailNickname) });
        }
    }
    const defaults = isRecord(file.defaults) ? file.defaults : {};
    const defaultUsageLocation = typeof defaults.usageLocation === "string" ? defaults.usageLocation : undefined;
    return { text: body, bom, document, users, defaultUsageLocation };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------------------
// The import

/** One user to add, in users.yaml's terms. */
interface Entry {
    row: number;
    key: string;
    userPrincipalName: string;
    displayName: string;
    givenName?: string;
    surname?: string;
    mailNickname?: string;
    mailNicknameComment?: string;
    mobilePhone?: string;
    jobTitle?: string;
    department?: string;
    usageLocation?: string;
    enabled: boolean;
    objectId?: string;
}

/** A row that can be imported, before keys and the default country are settled. */
interface Candidate extends Omit<Entry, "key" | "mobilePhone"> {
    mobileWritten: string;
    locationWritten: string;
}

/**
 * Reads the export and works out the users.yaml that adds its users to `existingYaml` (undefined: there is no
 * users.yaml yet, so a minimal one is made). Existing entries are never changed: the new entries are spliced
 * into the text after the last user, so every byte of the existing file (comments, spacing, quoting) stays.
 * The result is checked with checkUsersYaml; a new entry the validator refuses is left out and reported
 * with the validator's reason, so `diagnostics` holds only errors that were already in the existing file.
 */
export function importUsersCsv(csvText: string, existingYaml: string | undefined, options: ImportOptions): ImportResult {
    const { rows } = readCsv(csvText);
    const notes: RowNote[] = [];
    const note = (row: number, message: string, skipped = false) => notes.push({ row, message, skipped });

    let existing: Existing | undefined;
    if (existingYaml !== undefined) {
        const read = readExisting(existingYaml);
        if (Array.isArray(read)) {
            // YAML syntax errors: nothing can be merged into the file. Report them as the validator does.
            const source = new SourceFile(options.usersPath, existingYaml.replace(/^\uFEFF/, ""));
            const { diagnostics } = checkUsersYaml(source);
            return { created: false, addedYaml: "", added: [], alreadyPresent: 0, rows: rows.length, notes, diagnostics: diagnostics.filter((d) => d.severity === "error"), source };
        }
        existing = read;
    }
    const existingUsers = existing?.users ?? [];

    // 1. Rows → candidates.
    const byUpn = new Map(existingUsers.filter((u) => u.userPrincipalName).map((u) => [u.userPrincipalName!.toLowerCase(), u]));
    const byObjectId = new Map(existingUsers.filter((u) => u.objectId).map((u) => [u.objectId!.toLowerCase(), u]));
    const seenUpns = new Map<string, number>();
    const seenObjectIds = new Map<string, number>();
    const candidates: Candidate[] = [];
    let alreadyPresent = 0;
    for (const row of rows) {
        const r = row.row;
        const upn = row.get("userPrincipalName");
        const name = row.get("displayName");
        if (!upn) {
            note(r, `not imported: no User principal name${name ? ` (display name '${name}')` : ""}`, true);
            continue;
        }
        if (/#EXT#/i.test(upn) || /^guest$/i.test(row.get("userType"))) {
            note(r, `not imported: ${upn} is a guest account (#EXT#); guests are invited from their own organisation, not managed in users.yaml`, true);
            continue;
        }
        const objectId = row.get("objectId") || undefined;
        const known = byUpn.get(upn.toLowerCase()) ?? (objectId ? byObjectId.get(objectId.toLowerCase()) : undefined);
        if (known) {
            alreadyPresent++;
            let message = `${upn} is already in ${basename(options.usersPath)} as '${known.key}'; left unchanged`;
            if (objectId && !known.objectId) message += `; it has no objectId there, so pulumi up would try to create it: add objectId: ${objectId} to adopt it`;
            else if (objectId && known.objectId && known.objectId.toLowerCase() !== objectId.toLowerCase()) message += `; but its objectId there is ${known.objectId}, while the export says ${objectId}: check which is right`;
            else if (known.userPrincipalName && known.userPrincipalName.toLowerCase() !== upn.toLowerCase()) message += ` (its userPrincipalName there is ${known.userPrincipalName}; pulumi up will rename it to that)`;
            note(r, message);
            continue;
        }
        const earlierRow = seenUpns.get(upn.toLowerCase()) ?? (objectId ? seenObjectIds.get(objectId.toLowerCase()) : undefined);
        if (earlierRow !== undefined) {
            note(r, `not imported: ${upn} is the same user as row ${earlierRow}`, true);
            continue;
        }
        if (objectId && !GUID.test(objectId)) {
            note(r, `not imported: ${upn} has Object Id '${objectId}', which is not a GUID; without it pulumi up would create a second user instead of adopting this one`, true);
            continue;
        }
        const givenName = row.get("givenName") || undefined;
        const surname = row.get("surname") || undefined;
        const displayName = name || [givenName, surname].filter(Boolean).join(" ");
        if (!displayName) {
            note(r, `not imported: ${upn} has no display name (nor first and last name)`, true);
            continue;
        }
        if (!name) note(r, `${upn} has no display name; using '${displayName}' from the first and last name`);

        const location = row.get("usageLocation");
        const usageLocation = location ? countryCode(location) : undefined;
        const blocked = isTrue(row.get("blockCredential")) || isFalse(row.get("accountEnabled"));
        if (blocked) note(r, `${upn} has sign-in blocked in Microsoft 365: imported with enabled: false (offboarded: no admin roles, not invited to Practice Protect)`);

        seenUpns.set(upn.toLowerCase(), r);
        if (objectId) seenObjectIds.set(objectId.toLowerCase(), r);
        candidates.push({
            row: r,
            userPrincipalName: upn,
            displayName,
            givenName,
            surname,
            mobileWritten: row.get("mobilePhone"),
            jobTitle: row.get("jobTitle") || undefined,
            department: row.get("department") || undefined,
            usageLocation,
            locationWritten: location,
            enabled: !blocked,
            objectId: objectId?.toLowerCase(),
        });
    }
    for (const c of candidates.filter((c) => !c.objectId)) {
        note(c.row, `${c.userPrincipalName} has no Object Id: pulumi up will create this user, not adopt an existing one (if it exists in Entra, add its objectId)`);
    }

    // 2. The country users are in unless they say otherwise.
    const defaultUsageLocation = existing ? existing.defaultUsageLocation : dominantCountry(candidates);

    // 3. Keys, mail nicknames and mobile numbers.
    const keys = new Map(existingUsers.map((u) => [u.key.toLowerCase(), `existing user '${u.key}'${u.userPrincipalName ? ` (${u.userPrincipalName})` : ""}`]));
    const nicknames = new Map<string, string>();
    for (const u of existingUsers) {
        if (u.userPrincipalName || u.mailNickname) nicknames.set(mailNicknameOf({ userPrincipalName: u.userPrincipalName ?? "", mailNickname: u.mailNickname }).toLowerCase(), `existing user '${u.key}'`);
    }
    let entries: Entry[] = candidates.map((c) => {
        const { mobileWritten, locationWritten, ...fields } = c;
        const nickname = c.userPrincipalName.slice(0, c.userPrincipalName.indexOf("@") < 0 ? undefined : c.userPrincipalName.indexOf("@"));
        const base = keyFromNickname(nickname);
        const nicknameHolder = nicknames.get(nickname.toLowerCase());
        const key = firstFree(base, (k) => !keys.has(k.toLowerCase()) && (!nicknameHolder || !nicknames.has(k.toLowerCase())));
        const entry: Entry = { ...fields, key };
        const fallback = defaultUsageLocation ? `, so defaults.usageLocation (${defaultUsageLocation}) applies` : "";
        if (locationWritten && !c.usageLocation) {
            note(c.row, `usage location '${locationWritten}' is neither an ISO 3166-1 country code nor an English country name: ${c.userPrincipalName} is imported without usageLocation${fallback}`);
        } else if (!locationWritten && fallback) note(c.row, `${c.userPrincipalName} has no usage location in the export${fallback}`);
        const keyHolder = keys.get(base.toLowerCase());
        if (key !== base && keyHolder && !nicknameHolder) note(c.row, `key '${base}' is already taken by ${keyHolder}: ${c.userPrincipalName} gets the key '${key}'`);
        if (nicknameHolder) {
            entry.mailNickname = key;
            entry.mailNicknameComment = `'${nickname}' is taken: check the user's real alias`;
            note(
                c.row,
                `mail nickname '${nickname}' (the part of the UPN before @) is already used by ${nicknameHolder}, and users.yaml refuses duplicates: ` +
                    `${c.userPrincipalName} gets the key '${key}' and mailNickname: ${key}, which pulumi up will set in Entra; check the user's real alias in the Exchange admin center and correct it before deploying`,
            );
        }
        keys.set(key.toLowerCase(), `row ${c.row} (${c.userPrincipalName})`);
        nicknames.set((entry.mailNickname ?? nickname).toLowerCase(), `row ${c.row} (${c.userPrincipalName})`);

        if (mobileWritten) {
            const result = normaliseMobile(mobileWritten, c.usageLocation ?? defaultUsageLocation);
            if ("e164" in result) entry.mobilePhone = result.e164;
            else note(c.row, `${c.userPrincipalName} is imported without a mobile number: Mobile Phone ${result.problem}`);
        }
        return entry;
    });

    // 4. Render, check, and leave out whatever new entry the validator refuses (with its reason).
    for (;;) {
        const attempt = render(entries, existing, defaultUsageLocation, options);
        const source = new SourceFile(options.usersPath, attempt.text);
        const { diagnostics } = checkUsersYaml(source);
        const where = entryRanges(attempt.text, new Set(entries.map((e) => e.key)));
        const inEntry = (d: Diagnostic) => entries.find((e) => within(d.range[0], where.get(e.key)));
        const refused = new Map<Entry, Diagnostic[]>();
        for (const d of diagnostics) {
            const entry = d.severity === "error" ? inEntry(d) : undefined;
            if (entry) refused.set(entry, [...(refused.get(entry) ?? []), d]);
        }
        if (refused.size > 0) {
            for (const [entry, problems] of refused) {
                // Its other notes ("imported without a mobile number") no longer apply.
                for (let i = notes.length - 1; i >= 0; i--) if (notes[i].row === entry.row && !notes[i].skipped) notes.splice(i, 1);
                note(entry.row, `not imported: ${problems.map((d) => withoutUserPrefix(d.message, entry.key)).join("; ")}`, true);
            }
            entries = entries.filter((e) => !refused.has(e));
            continue;
        }
        for (const d of diagnostics) {
            const entry = d.severity === "warning" ? inEntry(d) : undefined;
            if (entry) note(entry.row, `warning: ${withoutUserPrefix(d.message, entry.key)}`);
        }
        notes.sort((a, b) => a.row - b.row);
        const errors = diagnostics.filter((d) => d.severity === "error");
        const added: ImportedUser[] = entries.map((e) => ({ row: e.row, key: e.key, userPrincipalName: e.userPrincipalName, objectId: e.objectId, enabled: e.enabled }));
        const result = { created: !existing, added, alreadyPresent, rows: rows.length, notes };
        if (errors.length > 0) {
            // Errors outside the new entries were in the existing file already: point at the file as it is on disk.
            const original = existing ? existingSource(existing, options.usersPath) : source;
            const { start, oldEnd, newEnd } = attempt.edit;
            const shift = (offset: number) => (!existing || offset < start ? offset : offset >= newEnd ? offset - newEnd + oldEnd : start);
            const mapped = errors.map((d): Diagnostic => ({ ...d, range: [shift(d.range[0]), shift(d.range[1])] }));
            return { ...result, addedYaml: attempt.addedYaml, diagnostics: mapped, source: original };
        }
        const changed = entries.length > 0;
        return {
            ...result,
            text: changed ? (existing?.bom ?? "") + attempt.text : undefined,
            addedYaml: changed ? attempt.addedYaml : "",
            diagnostics: [],
            source,
        };
    }
}

/** The country more than half of the users with a usage location are in, if there is one. */
function dominantCountry(candidates: readonly Candidate[]): string | undefined {
    const counts = new Map<string, number>();
    for (const c of candidates) if (c.usageLocation) counts.set(c.usageLocation, (counts.get(c.usageLocation) ?? 0) + 1);
    const located = [...counts.values()].reduce((a, b) => a + b, 0);
    const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    return top && top[1] * 2 > located ? top[0] : undefined;
}

function existingSource(existing: Existing, path: string): SourceFile {
    const source = new SourceFile(path, existing.text);
    parseDocument(existing.text, { lineCounter: source.lineCounter, version: "1.2" });
    return source;
}

const within = (offset: number, range: [number, number] | undefined) => range !== undefined && offset >= range[0] && offset < range[1];

/** "user 'zoe.kim': userPrincipalName ..." → "userPrincipalName ...": the key means nothing for a row not imported. */
const withoutUserPrefix = (message: string, key: string) => message.replace(new RegExp(`^user '${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}'(: | )`), (_, sep: string) => (sep === ": " ? "" : "the user "));

/** Where each of the given keys' entries is in the text: from its key to the end of its fields. */
function entryRanges(text: string, keys: ReadonlySet<string>): Map<string, [number, number]> {
    const ranges = new Map<string, [number, number]>();
    const users = parseDocument(text, { version: "1.2", uniqueKeys: false }).get("users", true);
    if (!isMap(users)) return ranges;
    for (const pair of users.items) {
        if (!isScalar(pair.key) || !keys.has(String(pair.key.value)) || !pair.key.range) continue;
        const end = (pair.value as { range?: number[] } | null)?.range?.[1] ?? pair.key.range[1];
        ranges.set(String(pair.key.value), [pair.key.range[0], end]);
    }
    return ranges;
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

interface Rendered {
    text: string;
    addedYaml: string;
    /** The changed region: [start, oldEnd) of the existing text became [start, newEnd) of `text`. */
    edit: { start: number; oldEnd: number; newEnd: number };
}

const SCHEMA_LINE = "# yaml-language-server: $schema=./users.schema.json";

function render(entries: readonly Entry[], existing: Existing | undefined, defaultUsageLocation: string | undefined, options: ImportOptions): Rendered {
    if (existing && entries.length === 0) return { text: existing.text, addedYaml: "", edit: { start: 0, oldEnd: 0, newEnd: 0 } };
    if (!existing) {
        const text = newFile(entries, defaultUsageLocation, options);
        return { text, addedYaml: text, edit: { start: 0, oldEnd: 0, newEnd: text.length } };
    }
    return merged(entries, existing, options);
}

/** The fields of one user, in the order the README lists them; mobile numbers quoted, as users.yaml wants. */
function userNode(doc: Document, entry: Entry, defaultUsageLocation: string | undefined): YAMLMap {
    const map = new YAMLMap();
    const add = (key: string, value: string | boolean | undefined, comment?: string) => {
        if (value === undefined) return;
        const scalar = new Scalar(value);
        if (key === "mobilePhone") scalar.type = Scalar.QUOTE_DOUBLE;
        if (comment) scalar.comment = ` ${comment}`;
        map.items.push(new Pair(doc.createNode(key), scalar));
    };
    add("userPrincipalName", entry.userPrincipalName);
    add("displayName", entry.displayName);
    add("givenName", entry.givenName);
    add("surname", entry.surname);
    add("mailNickname", entry.mailNickname, entry.mailNicknameComment);
    add("mobilePhone", entry.mobilePhone);
    add("jobTitle", entry.jobTitle);
    add("department", entry.department);
    add("usageLocation", entry.usageLocation === defaultUsageLocation ? undefined : entry.usageLocation);
    add("enabled", entry.enabled ? undefined : false, entry.enabled ? undefined : "sign-in blocked in Microsoft 365 (Block credential)");
    add("objectId", entry.objectId);
    return map;
}

const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

function entriesMap(doc: Document, entries: readonly Entry[], defaultUsageLocation: string | undefined, blankLines: boolean): YAMLMap {
    const users = new YAMLMap();
    entries.forEach((entry, i) => {
        const key = doc.createNode(entry.key) as Scalar;
        if (blankLines && i > 0) key.spaceBefore = true;
        users.items.push(new Pair(key, userNode(doc, entry, defaultUsageLocation)));
    });
    return users;
}

function newFile(entries: readonly Entry[], defaultUsageLocation: string | undefined, options: ImportOptions): string {
    const doc = new Document(undefined, { version: "1.2" });
    const domains: string[] = [];
    for (const e of entries) {
        const domain = e.userPrincipalName.slice(e.userPrincipalName.indexOf("@") + 1).toLowerCase();
        if (!domains.includes(domain)) domains.push(domain);
    }
    const root = new YAMLMap();
    const tenant = new YAMLMap();
    const domainList = doc.createNode(domains) as YAMLSeq;
    domainList.flow = true;
    tenant.items.push(new Pair(doc.createNode("domains"), domainList));
    root.items.push(new Pair(doc.createNode("tenant"), tenant));
    if (defaultUsageLocation) {
        const defaults = new YAMLMap();
        defaults.items.push(new Pair(doc.createNode("usageLocation"), doc.createNode(defaultUsageLocation)));
        const key = doc.createNode("defaults") as Scalar;
        key.spaceBefore = true;
        root.items.push(new Pair(key, defaults));
    }
    const usersKey = doc.createNode("users") as Scalar;
    usersKey.spaceBefore = true;
    root.items.push(new Pair(usersKey, entriesMap(doc, entries, defaultUsageLocation, true)));
    doc.contents = root;
    const header = [
        SCHEMA_LINE,
        "#",
        `# Imported from ${options.csvName} (the Microsoft 365 admin center's user export) by \`npm run import\`.`,
        "# Users with an objectId are adopted by `pulumi up`, not created. Review, add groups, profiles and",
        "# Practice Protect access, then `npm run validate` and `npm run plan`.",
        "",
    ].join("\n");
    return `${header}\n${doc.toString(TO_STRING)}`;
}

/**
 * The existing text with the new entries inserted after the last user (and after comment lines indented
 * under it, which belong to it), in the file's own indentation, line endings and spacing between users.
 */
function merged(entries: readonly Entry[], existing: Existing, options: ImportOptions): Rendered {
    const text = existing.text;
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    const column = (offset: number) => offset - (text.lastIndexOf("\n", offset - 1) + 1);
    const root = existing.document.contents;
    const usersPair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === "users") : undefined;
    const users = usersPair?.value;

    let insertedAt: number;
    let entryIndent = 2;
    let step = 2;
    let blankLines = true;
    let lead = "";
    if (isMap(users) && !users.flow && users.items.length > 0) {
        const first = users.items[0];
        entryIndent = column((first.key as Scalar).range![0]);
        const block = users.items.find((p) => isMap(p.value) && !p.value.flow && p.value.items.length > 0)?.value as YAMLMap | undefined;
        if (block) step = Math.max(1, column((block.items[0].key as Scalar).range![0]) - entryIndent);
        blankLines = users.items.length === 1 || users.items.slice(1).some((p) => (p.key as Scalar).spaceBefore);
        const last = users.items[users.items.length - 1];
        const end = (last.value as { range?: number[] } | null)?.range?.[1] ?? (last.key as Scalar).range![1];
        insertedAt = text[end - 1] === "\n" ? end : lineAfter(text, end);
        // Comment lines indented deeper than the user keys belong to the last user: keep them with it.
        for (;;) {
            const next = lineAfter(text, insertedAt);
            const line = text.slice(insertedAt, next).replace(/\r?\n$/, "");
            if (insertedAt >= text.length || !/^\s*#/.test(line) || line.length - line.trimStart().length <= entryIndent) break;
            insertedAt = next;
        }
        if (insertedAt === text.length && !text.endsWith("\n")) lead = eol;
        if (blankLines) lead += eol;
    } else if (usersPair && (users === null || (isScalar(users) && (users.value === null || users.value === undefined)) || (isMap(users) && users.items.length === 0))) {
        // `users:` with nothing, or `users: {}`: the empty value goes (a comment after it stays on its line),
        // and the entries follow on the next lines.
        const keyEnd = (usersPair.key as Scalar).range![1];
        const colon = text.indexOf(":", keyEnd);
        const valueEnd = Math.max(colon + 1, (users as { range?: number[] } | null)?.range?.[1] ?? 0);
        const lineEnd = lineAfter(text, valueEnd);
        const rest = text.slice(valueEnd, lineEnd);
        const block = entriesBlock(entries, existing, options, entryIndent, step, blankLines, eol);
        const replacement = rest + (rest.endsWith("\n") ? "" : eol) + block;
        return {
            text: text.slice(0, colon + 1) + replacement + text.slice(lineEnd),
            addedYaml: block,
            edit: { start: colon + 1, oldEnd: lineEnd, newEnd: colon + 1 + replacement.length },
        };
    } else if (!usersPair && (root === null || (isMap(root) && !root.flow))) {
        // No users: key at all: add one at the end.
        const block = entriesBlock(entries, existing, options, entryIndent, step, blankLines, eol);
        const lead2 = text.length === 0 || text.endsWith("\n") ? "" : eol;
        const inserted = `${lead2}${text.trim() === "" ? "" : eol}users:${eol}${block}`;
        return { text: text + inserted, addedYaml: block, edit: { start: text.length, oldEnd: text.length, newEnd: text.length + inserted.length } };
    } else {
        throw new ImportError(`${options.usersPath}: the new users cannot be added to users: as it is written (in flow style, { ... }, or not as a mapping); write one user per key, as in the README, and import again`);
    }
    const block = entriesBlock(entries, existing, options, entryIndent, step, blankLines, eol);
    const inserted = lead + block;
    return {
        text: text.slice(0, insertedAt) + inserted + text.slice(insertedAt),
        addedYaml: block,
        edit: { start: insertedAt, oldEnd: insertedAt, newEnd: insertedAt + inserted.length },
    };
}

/** The start of the line after the one `offset` is on (or the end of the text). */
function lineAfter(text: string, offset: number): number {
    const nl = text.indexOf("\n", offset);
    return nl < 0 ? text.length : nl + 1;
}

/** The new entries as lines indented for the users map, preceded by a comment saying where they came from. */
function entriesBlock(entries: readonly Entry[], existing: Existing, options: ImportOptions, entryIndent: number, step: number, blankLines: boolean, eol: string): string {
    if (entries.length === 0) return "";
    const doc = new Document(undefined, { version: "1.2" });
    doc.contents = entriesMap(doc, entries, existing.defaultUsageLocation, blankLines);
    const body = doc.toString({ ...TO_STRING, indent: step });
    const pad = " ".repeat(entryIndent);
    const lines = [`# Imported from ${options.csvName} by \`npm run import\``, ...body.replace(/\n$/, "").split("\n")];
    return lines.map((line) => (line === "" ? "" : pad + line)).join(eol) + eol;
}
