import { basename } from "node:path";
import { isMap, isScalar, parseDocument } from "yaml";
import { checkUsersYaml } from "../check";
import { Diagnostic, SourceFile } from "../diagnostics";
import { normaliseMobile } from "../mobilePhone";
import { mailNicknameOf } from "../rules/identity";
import { readCsv } from "./csvExport";
import { countryCode, firstFree, GUID, isFalse, isTrue, keyFromNickname } from "./values";
import { readExisting } from "./existingFile";
import { render } from "./render";
import { Candidate, Entry, Existing, ImportedUser, ImportOptions, ImportResult, RowNote } from "./types";
import { importedLicenses } from "./licenses";

export { CsvReadError, ImportError } from "./csvExport";
export { countryCode, keyFromNickname } from "./values";
export type { ImportedUser, ImportOptions, ImportResult, RowNote } from "./types";

/**
 * Adopting an existing tenant: the Microsoft 365 admin center's user export (Active users → Export users)
 * → new users.yaml entries, merged into the firm's users.yaml without touching a byte of what is there.
 * Pure: CSV text and users.yaml text in, users.yaml text and a report out.
 */

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
            const { diagnostics } = checkUsersYaml(source, { model: false });
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

        const licensesOf = (r: number, upn: string, cell: string, details: string) => {
            const read = importedLicenses(cell, details);
            for (const name of read.unmatched) note(r, `${upn}: licence '${name}' is not one of the common licences this program knows; not imported: add it to licenses: by its part number (Microsoft 365 admin center > Billing > Licenses)`);
            for (const name of read.viaGroup) note(r, `${upn}: ${name} comes from a group (group-based licensing); left to the group, not written to licenses:`);
            return read.names.length ? read.names : undefined;
        };
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
            companyName: row.get("companyName") || undefined,
            officeLocation: row.get("officeLocation") || undefined,
            streetAddress: row.get("streetAddress") || undefined,
            city: row.get("city") || undefined,
            state: row.get("state") || undefined,
            postalCode: row.get("postalCode") || undefined,
            country: row.get("country") || undefined,
            employeeId: row.get("employeeId") || undefined,
            businessPhones: row.get("businessPhone") ? [row.get("businessPhone")] : undefined,
            faxNumber: row.get("faxNumber") || undefined,
            licenses: licensesOf(r, upn, row.get("licenses"), row.get("licenseDetails")),
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
            else if (result.landline && !entry.businessPhones) {
                entry.businessPhones = [mobileWritten];
                note(c.row, `${c.userPrincipalName} is imported without a mobile number: Mobile Phone ${result.problem}; it is kept as the desk phone (businessPhones)`);
            } else note(c.row, `${c.userPrincipalName} is imported without a mobile number: Mobile Phone ${result.problem}`);
        }
        return entry;
    });

    // 4. Render, check, and leave out whatever new entry the validator refuses (with its reason).
    for (;;) {
        const attempt = render(entries, existing, defaultUsageLocation, options);
        const source = new SourceFile(options.usersPath, attempt.text);
        const { diagnostics } = checkUsersYaml(source, { model: false });
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

