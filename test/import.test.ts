import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { importCommand } from "../cli/import";
import { UsageError } from "../cli/io";
import { checkUsersYaml, SourceFile } from "../model";
import { countryCode, CsvReadError, ImportError, importUsersCsv, keyFromNickname } from "../model/import";
import { captureIO } from "./support/io";

const CSV = join(__dirname, "fixtures", "m365-export.csv");

/** The firm's users.yaml before the import: comments, aligned comments, flow maps, a trailing comment. */
const EXISTING = `# yaml-language-server: $schema=./users.schema.json
#
# Harbour & Finch Accountants. Reviewed in pull requests; CI runs \`pulumi up\`.

tenant:
  domains: [harbourfinch.com.au, harbourfinch.co.nz]   # both verified in Entra
  maxGlobalAdmins: 2

defaults:
  usageLocation: AU
  groups: [All Staff]
  practiceProtect: { invite: true, roles: [Portal Users - AU] }

users:
  jane.citizen:                      # adopted: existed before this file
    userPrincipalName: jane.citizen@harbourfinch.com.au
    displayName: Jane Citizen
    mobilePhone: "0412 345 678"
    adminRoles: [Global Administrator]
    objectId: 5b1c3d9e-2f4a-4c8b-9e6d-7a0f1b2c3d4e

  tom:
    userPrincipalName: tom.nguyen@harbourfinch.com.au
    displayName: Tom Nguyen
    mobilePhone: "0434 567 890"    # personal phone
    # jobTitle: Graduate Accountant (from March)

# Contractors are not in this file: they sign in with their own firm's accounts.
`;

/** The new entries go after Tom's indented comment, before the blank line and the closing comment. */
const INSERTED_AT = EXISTING.indexOf("\n\n# Contractors") + 1;

/** What the fixture's rows should produce, in CSV order, as they appear in the file. */
const NEW_ENTRIES = `  # Imported from m365-export.csv by \`npm run import\`
  john.smith:
    userPrincipalName: john.smith@harbourfinch.com.au
    displayName: Smith, John
    givenName: John
    surname: Smith
    mobilePhone: "+61412555019"
    jobTitle: Partner
    department: Tax, Audit & Advisory
    officeLocation: Sydney
    streetAddress: Level 4, 12 Harbour St
    city: Sydney
    state: NSW
    postalCode: "2000"
    country: Australia
    businessPhones: ["+61 2 9000 1234"]
    licenses: ["Microsoft 365 Business Standard"]
    objectId: 0a6f3c2e-8b1d-4e5f-9a7c-1d2e3f4a5b6c

  john.smith-2:
    userPrincipalName: John.Smith@harbourfinch.co.nz
    displayName: Smith, John
    givenName: John
    surname: Smith
    mailNickname: john.smith-2 # 'John.Smith' is taken: check the user's real alias
    mobilePhone: "+64211234567"
    jobTitle: Accountant
    department: Advisory
    officeLocation: Auckland
    streetAddress: Level 4, 12 Harbour St
    city: Auckland
    state: NSW
    postalCode: "2000"
    country: New Zealand
    businessPhones: ["+64 9 300 1234"]
    usageLocation: NZ
    licenses: ["Microsoft 365 Business Standard"]
    objectId: 7c2d9e1f-3a4b-4c5d-8e6f-0a1b2c3d4e5f

  aisha.khan:
    userPrincipalName: aisha.khan@harbourfinch.com.au
    displayName: Aisha Khan
    givenName: Aisha
    surname: Khan
    jobTitle: Bookkeeper
    officeLocation: Sydney
    streetAddress: Level 4, 12 Harbour St
    city: Sydney
    state: NSW
    postalCode: "2000"
    country: Australia
    businessPhones: ["+61 2 9000 1234"]
    licenses: ["Microsoft 365 Business Standard"]
    objectId: 1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b

  chris.oneil:
    userPrincipalName: chris.o'neil@harbourfinch.com.au
    displayName: Chris O'Neil
    givenName: Chris
    surname: O'Neil
    mobilePhone: "+61423456780"
    jobTitle: Senior Accountant
    department: Tax, Audit & Advisory
    officeLocation: Sydney
    streetAddress: Level 4, 12 Harbour St
    city: Sydney
    state: NSW
    postalCode: "2000"
    country: Australia
    businessPhones: ["+61 2 9000 1234"]
    licenses: ["Microsoft 365 Business Standard"]
    objectId: 2f3a4b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c

  peter.old:
    userPrincipalName: peter.old@harbourfinch.com.au
    displayName: Peter Old
    givenName: Peter
    surname: Old
    mobilePhone: "+61478901234"
    jobTitle: Bookkeeper
    department: Tax, Audit & Advisory
    officeLocation: Sydney
    streetAddress: Level 4, 12 Harbour St
    city: Sydney
    state: NSW
    postalCode: "2000"
    country: Australia
    businessPhones: ["+61 2 9000 1234"]
    enabled: false # sign-in blocked in Microsoft 365 (Block credential)
    objectId: 4b5c6d7e-8f9a-4b0c-9d2e-3f4a5b6c7d8e

  reception:
    userPrincipalName: reception@harbourfinch.com.au
    displayName: Reception
    jobTitle: Receptionist
    department: Operations
    officeLocation: Sydney
    streetAddress: Level 4, 12 Harbour St
    city: Sydney
    state: NSW
    postalCode: "2000"
    country: Australia
    businessPhones: ["+61 2 9000 1234"]
    licenses: ["Microsoft 365 Business Standard"]
    objectId: 6d7e8f9a-0b1c-4d2e-9f4a-5b6c7d8e9f0a

  liam.wong:
    userPrincipalName: liam.wong@harbourfinch.com.au
    displayName: Liam Wong
    givenName: Liam
    surname: Wong
    jobTitle: Graduate Accountant
    department: Tax, Audit & Advisory
    officeLocation: Sydney
    streetAddress: Level 4, 12 Harbour St
    city: Sydney
    state: NSW
    postalCode: "2000"
    country: Australia
    businessPhones: ["+61 2 9000 1234"]
    licenses: ["Microsoft 365 Business Standard"]
    objectId: 7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b

  tom-2:
    userPrincipalName: tom@harbourfinch.com.au
    displayName: Tom Baker
    givenName: Tom
    surname: Baker
    mobilePhone: "+61456789013"
    jobTitle: IT Support
    department: Operations
    officeLocation: Sydney
    streetAddress: Level 4, 12 Harbour St
    city: Sydney
    state: NSW
    postalCode: "2000"
    country: Australia
    businessPhones: ["+61 2 9000 1234"]
    licenses: ["Microsoft 365 Business Standard"]
    objectId: 8f9a0b1c-2d3e-4f4a-9b6c-7d8e9f0a1b2c

  sofia.rossi:
    userPrincipalName: sofia.rossi@harbourfinch.com.au
    displayName: Sofia Rossi
    givenName: Sofia
    surname: Rossi
    mobilePhone: "+61434567891"
    jobTitle: Client Services
    department: Operations
    officeLocation: Sydney
    streetAddress: Level 4, 12 Harbour St
    city: Sydney
    state: NSW
    postalCode: "2000"
    country: Australia
    businessPhones: ["+61 2 9000 1234"]
    licenses: ["Microsoft 365 Business Standard"]
    objectId: a0b1c2d3-e4f5-4a6b-9c8d-9e0f1a2b3c4d

  emma.taylor:
    userPrincipalName: emma.taylor@harbourfinch.com.au
    displayName: Emma Taylor
    givenName: Emma
    surname: Taylor
    mobilePhone: "+447911123456"
    jobTitle: Accountant
    department: Advisory
    officeLocation: London
    streetAddress: Level 4, 12 Harbour St
    city: London
    state: NSW
    postalCode: "2000"
    country: United Kingdom
    businessPhones: ["+44 20 7946 0000"]
    usageLocation: GB
    licenses: ["Microsoft 365 Business Standard"]
    objectId: d3e4f5a6-b7c8-4d9e-8f0a-2b3c4d5e6f7a
`;

/** The report, row by row (the header is row 1). */
const REPORT = [
    "row 2: Jane.Citizen@HarbourFinch.com.au is already in users.yaml as 'jane.citizen'; left unchanged",
    "row 4: mail nickname 'John.Smith' (the part of the UPN before @) is already used by row 3 (john.smith@harbourfinch.com.au), and users.yaml refuses duplicates: John.Smith@harbourfinch.co.nz gets the key 'john.smith-2' and mailNickname: john.smith-2, which pulumi up will set in Entra; check the user's real alias in the Exchange admin center and correct it before deploying",
    "row 5: warning: the user is invited to Practice Protect but has no mobilePhone, so SMS codes (the MFA backup) cannot reach them",
    "row 7: not imported: auditor_partnerfirm.com.au#EXT#@harbourfinch.onmicrosoft.com is a guest account (#EXT#); guests are invited from their own organisation, not managed in users.yaml",
    "row 8: peter.old@harbourfinch.com.au has sign-in blocked in Microsoft 365: imported with enabled: false (offboarded: no admin roles, not invited to Practice Protect)",
    "row 9: not imported: no User principal name (display name 'Board Room')",
    "row 10: reception@harbourfinch.com.au is imported without a mobile number: Mobile Phone '(02) 9876 5432' is a fixed-line number in AU, not a mobile: Practice Protect sends SMS codes to it, so give the user's mobile number",
    "row 10: warning: the user is invited to Practice Protect but has no mobilePhone, so SMS codes (the MFA backup) cannot reach them",
    `row 11: liam.wong@harbourfinch.com.au is imported without a mobile number: Mobile Phone 'TBC' is not a phone number in AU; write it like "0412 345 678" or "+61 412 345 678"`,
    "row 11: warning: the user is invited to Practice Protect but has no mobilePhone, so SMS codes (the MFA backup) cannot reach them",
    "row 12: key 'tom' is already taken by existing user 'tom' (tom.nguyen@harbourfinch.com.au): tom@harbourfinch.com.au gets the key 'tom-2'",
    "row 13: tom.nguyen@harbourfinch.com.au is already in users.yaml as 'tom'; left unchanged; it has no objectId there, so pulumi up would try to create it: add objectId: 9a0b1c2d-3e4f-4a5b-8c7d-8e9f0a1b2c3d to adopt it",
    "row 14: usage location 'Sydney' is neither an ISO 3166-1 country code nor an English country name: sofia.rossi@harbourfinch.com.au is imported without usageLocation, so defaults.usageLocation (AU) applies",
    "row 15: not imported: userPrincipalName 'zoë.kim@harbourfinch.com.au' has characters Entra does not allow before the @ ('ë'); use letters, digits and ' . - _ ! # ^ ~",
    "row 16: not imported: userPrincipalName uses the domain 'harbourfinch.onmicrosoft.com', which is not in tenant.domains (harbourfinch.com.au, harbourfinch.co.nz); add the domain to tenant.domains if it is verified in Entra",
];

function tempDir(): string {
    return mkdtempSync(join(tmpdir(), "users-import-"));
}

function existingFile(text = EXISTING): string {
    const path = join(tempDir(), "users.yaml");
    writeFileSync(path, text);
    return path;
}

describe("npm run import (adopting an existing tenant)", () => {
    describe("merging the admin center's export into an existing users.yaml", () => {
        it("the fixture is a realistic export: a BOM, Windows line endings, quoted commas and columns the import ignores", () => {
            const bytes = readFileSync(CSV);
            assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
            const text = bytes.toString("utf8");
            assert.match(text, /\r\n/);
            assert.match(text, /,"Smith, John",/);
            assert.match(text, /,"Tax, Audit & Advisory",/);
            for (const column of ["Office", "City", "Phone number", "Licenses", "Block credential", "When created", "Proxy addresses"]) assert.ok(text.split("\r\n")[0].includes(column), column);
        });

        it("without --write prints the new entries and the report, and changes nothing", () => {
            const file = existingFile();
            const before = statSync(file).mtimeMs;
            const io = captureIO();
            assert.equal(importCommand(["--csv", CSV, "--file", file], io), 0);
            assert.equal(io.stdout.join("\n"), `# to add under users: in ${file}\n${NEW_ENTRIES.replace(/\n$/, "")}`);
            assert.deepEqual(io.stderr, [
                ...REPORT,
                `${CSV}: 16 rows; 10 users to add (10 adopted by objectId, 1 offboarded), 2 already in users.yaml, 4 not imported`,
                `dry run: nothing written; run again with --write to update ${file}`,
            ]);
            assert.equal(readFileSync(file, "utf8"), EXISTING);
            assert.equal(statSync(file).mtimeMs, before);
        });

        it("with --write inserts the entries after the last user, keeping every byte of the existing file around them", () => {
            const file = existingFile();
            const io = captureIO();
            assert.equal(importCommand(["--csv", CSV, "--file", file, "--write"], io), 0);
            assert.equal(io.stderr[io.stderr.length - 1], `updated ${file}: review it, run npm run validate and npm run plan, then open a pull request`);
            assert.deepEqual(io.stdout, []);
            const written = readFileSync(file, "utf8");
            assert.equal(written, EXISTING.slice(0, INSERTED_AT) + "\n" + NEW_ENTRIES + EXISTING.slice(INSERTED_AT));
            assert.ok(written.startsWith(EXISTING.slice(0, INSERTED_AT)), "everything up to Tom's last comment is unchanged");
            assert.ok(written.endsWith("\n\n# Contractors are not in this file: they sign in with their own firm's accounts.\n"));
            assert.match(written, /^ {2}jane\.citizen: {22}# adopted: existed before this file$/m);
            assert.match(written, /^ {4}mobilePhone: "0434 567 890" {4}# personal phone\n {4}# jobTitle: Graduate Accountant \(from March\)\n\n {2}# Imported from/m);
        });

        it("produces a users.yaml that passes validation, with the existing entries unchanged", () => {
            const file = existingFile();
            importCommand(["--csv", CSV, "--file", file, "--write"], captureIO());
            const written = readFileSync(file, "utf8");
            const { model, diagnostics } = checkUsersYaml(new SourceFile(file, written));
            assert.deepEqual(
                diagnostics.filter((d) => d.severity === "error"),
                [],
            );
            assert.ok(model);
            assert.equal(model.users.length, 12);

            const before = parse(EXISTING).users;
            const after = parse(written).users;
            assert.deepEqual(after["jane.citizen"], before["jane.citizen"]);
            assert.deepEqual(after.tom, before.tom);
            assert.deepEqual(Object.keys(after), [
                "jane.citizen", "tom", "john.smith", "john.smith-2", "aisha.khan", "chris.oneil", "peter.old", "reception", "liam.wong", "tom-2", "sofia.rossi", "emma.taylor",
            ]);

            const byKey = new Map(model.users.map((u) => [u.key, u]));
            assert.equal(byKey.get("john.smith-2")!.mailNickname, "john.smith-2");
            assert.equal(byKey.get("john.smith-2")!.usageLocation, "NZ");
            assert.equal(byKey.get("sofia.rossi")!.usageLocation, "AU", "an unknown country falls back to defaults.usageLocation");
            assert.equal(byKey.get("emma.taylor")!.mobilePhone, "+447911123456");
            assert.equal(byKey.get("peter.old")!.enabled, false);
            assert.equal(byKey.get("peter.old")!.practiceProtect.invite, false);
            assert.equal(byKey.get("tom-2")!.objectId, "8f9a0b1c-2d3e-4f4a-9b6c-7d8e9f0a1b2c");
            assert.equal(byKey.get("reception")!.mobilePhone, undefined, "a landline is left out");
            assert.deepEqual(byKey.get("aisha.khan")!.groups, ["All Staff"], "defaults apply to imported users");
        });

        it("importing the same export again adds nothing and leaves the file as it is", () => {
            const file = existingFile();
            importCommand(["--csv", CSV, "--file", file, "--write"], captureIO());
            const once = readFileSync(file, "utf8");
            const io = captureIO();
            assert.equal(importCommand(["--csv", CSV, "--file", file, "--write"], io), 0);
            assert.equal(readFileSync(file, "utf8"), once);
            assert.equal(io.stderr[io.stderr.length - 1], `${CSV}: 16 rows; 0 users to add, 12 already in users.yaml, 4 not imported; nothing to add, ${file} is unchanged`);
            assert.ok(io.stderr.includes("row 4: John.Smith@harbourfinch.co.nz is already in users.yaml as 'john.smith-2'; left unchanged"));
        });

        it("refuses to write when the existing file does not validate, pointing at the file as it is on disk", () => {
            const broken = EXISTING.replace("    displayName: Tom Nguyen\n", "    displayName: Tom Nguyen\n    adminRoles: [Exchange Admin]\n");
            const file = existingFile(broken);
            const io = captureIO();
            assert.equal(importCommand(["--csv", CSV, "--file", file, "--write"], io), 1);
            assert.equal(io.stdout.length, 1);
            assert.match(io.stdout[0], new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:25:18: error: .*Exchange Admin`));
            assert.equal(io.stderr[io.stderr.length - 1], `${file}: 1 error in the file as it is; nothing written: fix them (npm run validate) and import again`);
            assert.equal(readFileSync(file, "utf8"), broken);

            // An error after the point where the entries would go is still reported at its line on disk.
            const after = EXISTING + "\ngroups:\n  Accountants: { descripton: Tax staff }\n";
            const file2 = existingFile(after);
            const io2 = captureIO();
            assert.equal(importCommand(["--csv", CSV, "--file", file2], io2), 1);
            assert.equal(io2.stdout.length, 1);
            assert.match(io2.stdout[0], /:31:18: error: .*descripton/);
            assert.equal(after.split("\n")[30], "  Accountants: { descripton: Tax staff }");
            assert.equal(readFileSync(file2, "utf8"), after);
        });

        it("refuses a users.yaml with YAML syntax errors without touching it", () => {
            const file = existingFile("users:\n  a: [unclosed\n");
            const io = captureIO();
            assert.equal(importCommand(["--csv", CSV, "--file", file, "--write"], io), 1);
            assert.match(io.stdout[0], /:\d+:\d+: error: YAML syntax/);
            assert.equal(readFileSync(file, "utf8"), "users:\n  a: [unclosed\n");
        });
    });

    describe("creating users.yaml when there is none", () => {
        it("prints the whole file without --write and creates nothing", () => {
            const file = join(tempDir(), "users.yaml");
            const io = captureIO();
            assert.equal(importCommand(["--csv", CSV, "--file", file], io), 0);
            assert.equal(existsSync(file), false);
            assert.equal(io.stdout[0].split("\n")[0], "# yaml-language-server: $schema=./users.schema.json");
            assert.match(io.stderr[io.stderr.length - 1], /run again with --write to create /);
        });

        it("writes a minimal valid file: schema line, tenant.domains from the UPNs, the dominant country as the default", () => {
            const file = join(tempDir(), "users.yaml");
            const io = captureIO();
            assert.equal(importCommand(["--csv", CSV, "--file", file, "--write"], io), 0);
            const text = readFileSync(file, "utf8");
            assert.equal(text.split("\n")[0], "# yaml-language-server: $schema=./users.schema.json");
            assert.ok(text.includes("\ntenant:\n  domains: [harbourfinch.com.au, harbourfinch.co.nz, harbourfinch.onmicrosoft.com]\n\ndefaults:\n  usageLocation: AU\n\nusers:\n  jane.citizen:\n"));
            assert.ok(text.includes(`  jane.citizen:
    userPrincipalName: Jane.Citizen@HarbourFinch.com.au
    displayName: Jane Citizen
    givenName: Jane
    surname: Citizen
    mobilePhone: "+61412345678"
    jobTitle: Partner
    department: Tax, Audit & Advisory
    officeLocation: Sydney
    streetAddress: Level 4, 12 Harbour St
    city: Sydney
    state: NSW
    postalCode: "2000"
    country: Australia
    businessPhones: ["+61 2 9000 1234"]
    licenses: ["Microsoft 365 Business Standard"]
    objectId: 5b1c3d9e-2f4a-4c8b-9e6d-7a0f1b2c3d4e
`));
            assert.ok(text.includes(`  admin:
    userPrincipalName: admin@harbourfinch.onmicrosoft.com
    displayName: Harbour Finch Admin
    officeLocation: Sydney
    streetAddress: Level 4, 12 Harbour St
    city: Sydney
    state: NSW
    postalCode: "2000"
    country: Australia
    objectId: c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f
`));
            const { model, diagnostics } = checkUsersYaml(new SourceFile(file, text));
            assert.deepEqual(diagnostics, []);
            assert.equal(model!.users.length, 13);
            assert.ok(io.stderr.includes("row 14: usage location 'Sydney' is neither an ISO 3166-1 country code nor an English country name: sofia.rossi@harbourfinch.com.au is imported without usageLocation, so defaults.usageLocation (AU) applies"));
            assert.equal(io.stderr[io.stderr.length - 2], `${CSV}: 16 rows; 13 users to add (13 adopted by objectId, 1 offboarded), 0 already in users.yaml, 3 not imported`);
        });
    });

    describe("exit codes", () => {
        it("usage errors (exit 2 in the bin): no --csv, a stray argument, an unknown flag", () => {
            assert.throws(() => importCommand([], captureIO()), UsageError);
            assert.throws(() => importCommand(["export.csv"], captureIO()), UsageError);
            assert.throws(() => importCommand(["--csv", CSV, "--force"], captureIO()), UsageError);
        });

        it("exit 1 when the CSV cannot be read or is not a user export", () => {
            const missing = captureIO();
            assert.equal(importCommand(["--csv", join(tempDir(), "nope.csv")], missing), 1);
            assert.match(missing.stderr[0], /^error: cannot read .*nope\.csv: no such file$/);

            const dir = tempDir();
            const notExport = join(dir, "groups.csv");
            writeFileSync(notExport, "Group name,Email\nAll Staff,all@x.com\n");
            const io = captureIO();
            assert.equal(importCommand(["--csv", notExport, "--file", join(dir, "users.yaml")], io), 1);
            assert.match(io.stderr[0], /the CSV has no "User principal name" column \(its header is: Group name, Email\)/);

            const broken = join(dir, "broken.csv");
            writeFileSync(broken, 'User principal name,Display name\na@x.com,"Unclosed\n');
            const io2 = captureIO();
            assert.equal(importCommand(["--csv", broken, "--file", join(dir, "users.yaml")], io2), 1);
            assert.match(io2.stderr[0], /the CSV cannot be read: Quote Not Closed/);
            assert.equal(existsSync(join(dir, "users.yaml")), false);
        });
    });

    describe("the pure core", () => {
        const options = { csvName: "export.csv", usersPath: "users.yaml" };

        it("reads usage locations as ISO codes or English country names", () => {
            assert.equal(countryCode("AU"), "AU");
            assert.equal(countryCode("nz"), "NZ");
            assert.equal(countryCode("Australia"), "AU");
            assert.equal(countryCode("new zealand"), "NZ");
            assert.equal(countryCode("United Kingdom"), "GB");
            assert.equal(countryCode("AUS"), "AU");
            assert.equal(countryCode("Sydney"), undefined);
            assert.equal(countryCode("XX"), undefined);
        });

        it("makes keys that fit the key rule from mail nicknames", () => {
            assert.equal(keyFromNickname("Jane.Citizen"), "jane.citizen");
            assert.equal(keyFromNickname("chris.o'neil"), "chris.oneil");
            assert.equal(keyFromNickname("zoë.kim"), "zoe.kim");
            assert.equal(keyFromNickname("_svc#scanner"), "svcscanner");
            assert.equal(keyFromNickname("#!"), "user");
            assert.equal(keyFromNickname("a".repeat(80)).length, 64);
        });

        it("reads the export's workplace columns; a desk phone in Mobile Phone becomes businessPhones when Phone number is empty", () => {
            const csv = [
                "User principal name,Display name,Mobile Phone,Phone number,Fax,Office,Street address,City,State or province,Zip or postal code,Country or region,Usage location,Object Id",
                "amy@firm.com.au,Amy Lo,(02) 9876 5432,,02 9876 5499,Parramatta,1 Church St,Parramatta,NSW,2150,Australia,AU,11111111-2222-4333-8444-555555555555",
            ].join("\n");
            const result = importUsersCsv(csv, "tenant:\n  domains: [firm.com.au]\nusers: {}\n", options);
            assert.ok(result.text?.endsWith(
                [
                    "  amy:",
                    "    userPrincipalName: amy@firm.com.au",
                    "    displayName: Amy Lo",
                    "    officeLocation: Parramatta",
                    "    streetAddress: 1 Church St",
                    "    city: Parramatta",
                    "    state: NSW",
                    '    postalCode: "2150"',
                    "    country: Australia",
                    '    businessPhones: ["(02) 9876 5432"]',
                    '    faxNumber: "02 9876 5499"',
                    "    usageLocation: AU",
                    "    objectId: 11111111-2222-4333-8444-555555555555",
                    "",
                ].join("\n"),
            ), result.text);
            assert.match(result.notes[0].message, /Mobile Phone '\(02\) 9876 5432' is a fixed-line number in AU, not a mobile.*; it is kept as the desk phone \(businessPhones\)$/);
            assert.deepEqual(result.diagnostics.filter((d) => d.severity === "error"), []);
        });

        it("reports repeated rows and rows without an Object Id, and splices into `users: {}`, keeping CRLF and a BOM", () => {
            const csv = [
                "User principal name,Display name,Mobile Phone,Usage location,Object Id",
                "amy@firm.com.au,Amy Lo,0412 345 678,AU,",
                "",
                "AMY@firm.com.au,Amy Lo,,AU,",
                "ben@firm.com.au,Ben Ho,,AU,not-a-guid",
            ].join("\r\n");
            const existing = "\uFEFF# the firm\r\ntenant:\r\n  domains: [firm.com.au]\r\nusers: {}   # nobody yet\r\n";
            const result = importUsersCsv(csv, existing, options);
            assert.deepEqual(
                result.notes.map((n) => `row ${n.row}: ${n.message}`),
                [
                    "row 2: amy@firm.com.au has no Object Id: pulumi up will create this user, not adopt an existing one (if it exists in Entra, add its objectId)",
                    "row 4: not imported: AMY@firm.com.au is the same user as row 2",
                    "row 5: not imported: ben@firm.com.au has Object Id 'not-a-guid', which is not a GUID; without it pulumi up would create a second user instead of adopting this one",
                ],
            );
            assert.equal(
                result.text,
                "\uFEFF# the firm\r\ntenant:\r\n  domains: [firm.com.au]\r\nusers:   # nobody yet\r\n  # Imported from export.csv by `npm run import`\r\n  amy:\r\n    userPrincipalName: amy@firm.com.au\r\n    displayName: Amy Lo\r\n    mobilePhone: \"+61412345678\"\r\n    usageLocation: AU\r\n",
            );
            assert.deepEqual(result.diagnostics, []);
        });

        it("adds a users: key to a file that has none; refuses an unreadable CSV and a users: it cannot add to", () => {
            const result = importUsersCsv("User principal name,Display name,Object Id\nkim@firm.com,Kim Park,11111111-2222-3333-4444-555555555555\n", "tenant:\n  domains: [firm.com]\n", options);
            assert.equal(result.text, "tenant:\n  domains: [firm.com]\n\nusers:\n  # Imported from export.csv by `npm run import`\n  kim:\n    userPrincipalName: kim@firm.com\n    displayName: Kim Park\n    objectId: 11111111-2222-3333-4444-555555555555\n");
            assert.throws(() => importUsersCsv("", undefined, options), CsvReadError);
            const flow = 'users: { ann: { userPrincipalName: ann@firm.com, displayName: Ann } }\n';
            assert.throws(() => importUsersCsv("User principal name,Display name\nkim@firm.com,Kim Park\n", flow, options), ImportError);
            assert.equal(importUsersCsv("User principal name,Display name\nANN@firm.com,Ann\n", flow, options).text, undefined, "nothing to add: the flow mapping is no obstacle");
        });
    });
});
