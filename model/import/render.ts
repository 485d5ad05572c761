import { Document, isMap, isScalar, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { licenseNameOf } from "../licenses";
import { ImportError } from "./csvExport";
import { ImportOptions, Entry, Existing } from "./types";

/**
 * Turning new entries into users.yaml text: a whole new file, or entries spliced in after the last user so
 * that every byte of the existing file stays as it was.
 */

interface Rendered {
    text: string;
    addedYaml: string;
    /** The changed region: [start, oldEnd) of the existing text became [start, newEnd) of `text`. */
    edit: { start: number; oldEnd: number; newEnd: number };
}

const SCHEMA_LINE = "# yaml-language-server: $schema=./users.schema.json";

export function render(entries: readonly Entry[], existing: Existing | undefined, defaultUsageLocation: string | undefined, options: ImportOptions): Rendered {
    if (existing && entries.length === 0) return { text: existing.text, addedYaml: "", edit: { start: 0, oldEnd: 0, newEnd: 0 } };
    if (!existing) {
        const text = newFile(entries, defaultUsageLocation, options);
        return { text, addedYaml: text, edit: { start: 0, oldEnd: 0, newEnd: text.length } };
    }
    return merged(entries, existing, options);
}

/** The fields of one user, in the order the users.yaml reference lists them; mobile numbers quoted, as users.yaml wants. */
function userNode(doc: Document, entry: Entry, defaultUsageLocation: string | undefined): YAMLMap {
    const map = new YAMLMap();
    const add = (key: string, value: string | boolean | undefined, comment?: string) => {
        if (value === undefined) return;
        const scalar = new Scalar(value);
        if (key === "mobilePhone" || key === "faxNumber" || key === "employeeId" || key === "postalCode") scalar.type = Scalar.QUOTE_DOUBLE;
        if (comment) scalar.comment = ` ${comment}`;
        map.items.push(new Pair(doc.createNode(key), scalar));
    };
    const addList = (key: string, values: readonly string[] | undefined) => {
        if (!values?.length) return;
        const list = doc.createNode(values.map((v) => Object.assign(new Scalar(v), { type: Scalar.QUOTE_DOUBLE })), { flow: true });
        map.items.push(new Pair(doc.createNode(key), list));
    };
    add("userPrincipalName", entry.userPrincipalName);
    add("displayName", entry.displayName);
    add("givenName", entry.givenName);
    add("surname", entry.surname);
    add("mailNickname", entry.mailNickname, entry.mailNicknameComment);
    add("mobilePhone", entry.mobilePhone);
    add("jobTitle", entry.jobTitle);
    add("department", entry.department);
    add("companyName", entry.companyName);
    add("officeLocation", entry.officeLocation);
    add("streetAddress", entry.streetAddress);
    add("city", entry.city);
    add("state", entry.state);
    add("postalCode", entry.postalCode);
    add("country", entry.country);
    add("employeeId", entry.employeeId);
    addList("businessPhones", entry.businessPhones);
    add("faxNumber", entry.faxNumber);
    add("usageLocation", entry.usageLocation === defaultUsageLocation ? undefined : entry.usageLocation);
    addList("licenses", entry.licenses?.map(licenseNameOf));
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
        throw new ImportError(`${options.usersPath}: the new users cannot be added to users: as it is written (in flow style, { ... }, or not as a mapping); write one user per key, as in docs/users-yaml-reference.md, and import again`);
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

