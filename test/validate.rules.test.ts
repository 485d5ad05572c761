import { strict as assert } from "node:assert";
import { checkUsersYaml, CheckOptions, CheckResult, Diagnostic, formatDiagnostic, hasErrors, ResolvedUser, SourceFile } from "../model";
import { MAX_ALIAS_EXPANSION, MAX_FILE_BYTES } from "../model/parse";
import { assertEvery } from "./support/assertEvery";

/*
 * Every validation rule of users.yaml, one small inline fixture per case, asserting the diagnostic's code,
 * severity, exact line and column, and the parts of the message a reader acts on.
 *
 * Each fixture is BASE with a few lines replaced (line numbers stay put) and/or lines appended after line 22.
 * Appended lines indented by 4 spaces extend jane.citizen; `person(...)` appends another user.
 *
 *   1  tenant:
 *   2    domains: [examplefirm.com.au, examplefirm.co.nz]
 *   3    # tenant slot                                      <- SLOT.tenant
 *   4  defaults:
 *   5    usageLocation: AU
 *   6    groups: [All Staff]
 *   7    # defaults slot                                    <- SLOT.defaults
 *   8  profiles:
 *   9    accountant:
 *  10      department: Tax
 *  11      groups: [Accountants]
 *  12      # accountant slot                                <- SLOT.accountant (a key of profile 'accountant')
 *  13    # profiles slot                                    <- SLOT.profiles (another profile, one line)
 *  14  groups:
 *  15    Accountants: { description: Tax and accounting staff }
 *  16    # groups slot                                      <- SLOT.groups (another group, one line)
 *  17  users:
 *  18    jane.citizen:
 *  19      userPrincipalName: jane.citizen@examplefirm.com.au
 *  20      displayName: Jane Citizen
 *  21      mobilePhone: "0412 345 678"
 *  22      profiles: [accountant]
 *  23  (first appended line)
 */
const BASE = [
    "tenant:",
    "  domains: [examplefirm.com.au, examplefirm.co.nz]",
    "  # tenant slot",
    "defaults:",
    "  usageLocation: AU",
    "  groups: [All Staff]",
    "  # defaults slot",
    "profiles:",
    "  accountant:",
    "    department: Tax",
    "    groups: [Accountants]",
    "    # accountant slot",
    "  # profiles slot",
    "groups:",
    "  Accountants: { description: Tax and accounting staff }",
    "  # groups slot",
    "users:",
    "  jane.citizen:",
    "    userPrincipalName: jane.citizen@examplefirm.com.au",
    "    displayName: Jane Citizen",
    '    mobilePhone: "0412 345 678"',
    "    profiles: [accountant]",
];

const SLOT = { tenant: 3, defaults: 7, accountant: 12, profiles: 13, groups: 16 } as const;
const LINE = { domains: 2, usageLocation: 5, defaultGroups: 6, upn: 19, displayName: 20, mobilePhone: 21, profiles: 22 } as const;
/** BASE with some lines replaced (by 1-based line number; one line for one line) and lines appended after the last. */
function usersYaml(replace: Record<number, string> = {}, ...append: string[]): string {
    const lines = [...BASE];
    for (const [n, text] of Object.entries(replace)) {
        const i = Number(n) - 1;
        assert.ok(i >= 0 && i < lines.length, `line ${n} is not in BASE`);
        assert.ok(!text.includes("\n"), "a replacement is exactly one line, so that line numbers stay put");
        lines[i] = text;
    }
    return [...lines, ...append].join("\n") + "\n";
}

/**
 * Another user, to append: `  key:`, then userPrincipalName (key@examplefirm.com.au) and displayName (the key)
 * unless `fields` give them, always in that order, then the other fields. So the key is on line n, the
 * userPrincipalName on n+1, displayName on n+2 and the other fields from n+3.
 */
function person(key: string, ...fields: string[]): string[] {
    const given = (name: string) => fields.find((f) => f.startsWith(`${name}:`));
    const rest = fields.filter((f) => !f.startsWith("userPrincipalName:") && !f.startsWith("displayName:"));
    return [
        `  ${key}:`,
        `    ${given("userPrincipalName") ?? `userPrincipalName: ${key}@examplefirm.com.au`}`,
        `    ${given("displayName") ?? `displayName: ${key}`}`,
        ...rest.map((f) => `    ${f}`),
    ];
}

interface Checked extends CheckResult {
    source: SourceFile;
}

/** Checks a users.yaml text, asserting CheckResult's contract on every fixture: a model exactly when there are no errors, and the same problems without one. */
function check(text: string, options?: CheckOptions): Checked {
    const source = new SourceFile("users.yaml", text);
    const result = checkUsersYaml(source, options);
    const positions = result.diagnostics.map((d) => source.position(d.range[0]));
    assert.equal(result.model !== undefined, !hasErrors(result.diagnostics), `a model exactly when there are no errors: ${JSON.stringify(result.diagnostics)}`);
    assert.deepEqual(positions, [...positions].sort((a, b) => a.line - b.line || a.col - b.col), "diagnostics are in file order");
    // npm run validate checks without resolving the model: the same problems, the file exactly when there are no errors.
    const checkOnly = checkUsersYaml(new SourceFile("users.yaml", text), { ...options, model: false });
    assert.deepEqual(checkOnly.diagnostics, result.diagnostics, "model: false finds the same problems");
    assert.equal(checkOnly.model, undefined);
    assert.equal(checkOnly.file !== undefined, result.model !== undefined, "model: false gives the file exactly when there are no errors");
    if (result.model) assert.deepEqual(Object.keys(checkOnly.file!.users), result.model.users.map((u) => u.key));
    return { source, ...result };
}

/** "code@line:col" for each diagnostic, in the order reported: a readable summary for failures and ordering checks. */
function summary(c: Checked): string[] {
    return c.diagnostics.map((d) => {
        const { line, col } = c.source.position(d.range[0]);
        return `${d.code}@${line}:${col}`;
    });
}

/**
 * Asserts there is exactly one diagnostic with `code`, that it has this severity, line and column, and that its
 * message contains every fragment (strings literally). Returns it.
 */
function expectOne(c: Checked, code: string, at: { severity: "error" | "warning"; line: number; col: number }, ...fragments: (string | RegExp)[]): Diagnostic {
    const found = c.diagnostics.filter((d) => d.code === code);
    assert.equal(found.length, 1, `expected one '${code}', got: ${JSON.stringify(summary(c))}\n${c.diagnostics.map((d) => d.message).join("\n")}`);
    const d = found[0];
    const { line, col } = c.source.position(d.range[0]);
    assert.deepEqual({ severity: d.severity, line, col }, at, `position of '${code}': ${d.message}`);
    for (const fragment of fragments) {
        if (typeof fragment === "string") assert.ok(d.message.includes(fragment), `message of '${code}' should contain ${JSON.stringify(fragment)}:\n${d.message}`);
        else assert.match(d.message, fragment);
    }
    return d;
}

/** Asserts the only diagnostics are these codes (in this order). */
function expectCodes(c: Checked, ...codes: string[]) {
    assert.deepEqual(
        c.diagnostics.map((d) => d.code),
        codes,
        `diagnostics: ${JSON.stringify(summary(c))}\n${c.diagnostics.map((d) => d.message).join("\n")}`,
    );
}

function expectRejected(c: Checked) {
    assert.equal(c.model, undefined, "a file with errors yields no model");
    assert.ok(c.diagnostics.some((d) => d.severity === "error"));
}

function user(c: Checked, key: string): ResolvedUser {
    assert.ok(c.model, `expected a model, got: ${JSON.stringify(summary(c))}\n${c.diagnostics.map((d) => d.message).join("\n")}`);
    const found = c.model.users.find((u) => u.key === key);
    assert.ok(found, `no resolved user '${key}'`);
    return found;
}

describe("validate: users.yaml rules", () => {
    describe("a valid file", () => {
        it("yields a model and no diagnostics at all", () => {
            const c = check(usersYaml());
            expectCodes(c);
            assert.ok(c.model);
            assert.deepEqual(c.model.allowedDomains, ["examplefirm.com.au", "examplefirm.co.nz"]);
            assert.equal(c.model.maxGlobalAdmins, 4);
            assert.deepEqual(c.model.managedGroups, [{ name: "Accountants", description: "Tax and accounting staff", aliases: [] }]);
            assert.deepEqual(c.model.existingGroups, [{ name: "All Staff", where: "users.yaml:6:12", usedAt: ["users.yaml:6:12"], uses: 1, grantsRoles: false }]);
        });

        it("resolves the user: E.164 mobile, inherited usageLocation and department, merged groups", () => {
            const jane = user(check(usersYaml()), "jane.citizen");
            assert.deepEqual(jane, {
                key: "jane.citizen",
                userPrincipalName: "jane.citizen@examplefirm.com.au",
                mailNickname: "jane.citizen",
                mailNicknameStated: false,
                displayName: "Jane Citizen",
                givenName: undefined,
                surname: undefined,
                mobilePhone: "+61412345678",
                jobTitle: undefined,
                department: "Tax",
                companyName: undefined,
                officeLocation: undefined,
                streetAddress: undefined,
                city: undefined,
                state: undefined,
                postalCode: undefined,
                country: undefined,
                employeeId: undefined,
                businessPhones: undefined,
                faxNumber: undefined,
                manager: undefined,
                usageLocation: "AU",
                cleared: [],
                enabled: true,
                objectId: undefined,
                profiles: ["accountant"],
                groups: ["All Staff", "Accountants"],
                adminRoles: [],
                suspendedAdminRoles: [],
                licenses: [],
                practiceProtect: { invite: false, invitedWhenEnabled: false, roles: [] },
            });
        });

        it("still yields a model when there are only warnings", () => {
            const c = check(usersYaml({}, "    groups: [Acountants]"));
            expectCodes(c, "group-near-miss");
            assert.ok(c.model);
        });

        it("yields no model when any user has an error, even if the others are fine", () => {
            const c = check(usersYaml({}, ...person("bob.lee", "mobilePhone: 0423456789")));
            expectCodes(c, "wrong-type");
            expectRejected(c);
        });

        it("formats a diagnostic as FILE:LINE:COL: severity: message", () => {
            const c = check(usersYaml({ [LINE.profiles]: "    profiles: [acountant]" }));
            const d = expectOne(c, "unknown-profile", { severity: "error", line: 22, col: 16 });
            assert.equal(
                formatDiagnostic(c.source, d),
                "users.yaml:22:16: error: user 'jane.citizen': unknown profile 'acountant' (did you mean 'accountant'?); defined profiles: accountant",
            );
        });
    });

    describe("YAML syntax", () => {
        it("reports a syntax error at its position and nothing else", () => {
            const c = check(usersYaml({ [LINE.displayName]: "    displayName: Jane: Citizen" }));
            expectRejected(c);
            assertEvery(c.diagnostics, (d) => d.code === "yaml-syntax", JSON.stringify(summary(c)));
            const first = c.diagnostics[0];
            assert.deepEqual(c.source.position(first.range[0]), { line: 20, col: 18 });
            assert.equal(first.message, "YAML syntax: Nested mappings are not allowed in compact mappings");
        });

        it("reports an unterminated quoted value", () => {
            const c = check(usersYaml({ [LINE.displayName]: '    displayName: "Jane Citizen' }));
            expectRejected(c);
            expectOne(c, "yaml-syntax", { severity: "error", line: 20, col: 31 }, "YAML syntax: Missing closing \"quote");
        });

        it("reports a duplicate key at its second occurrence (duplicate-key)", () => {
            const c = check(usersYaml({}, "    displayName: Again"));
            expectRejected(c);
            expectCodes(c, "duplicate-key");
            expectOne(c, "duplicate-key", { severity: "error", line: 23, col: 5 }, "each key may appear once in a mapping");
        });

        it("names the whole duplicated key and the line of its first occurrence", () => {
            const c = check(usersYaml({}, "    displayName: Again"));
            const d = expectOne(c, "duplicate-key", { severity: "error", line: 23, col: 5 }, "duplicate key 'displayName' (first on line 20)");
            assert.equal(d.range[1] - d.range[0], "displayName".length);
        });

        it("finds duplicate keys in flow mappings and between users", () => {
            const c = check(usersYaml({}, "    practiceProtect: { invite: true, invite: false }", ...person("jane.citizen", "userPrincipalName: jc2@examplefirm.com.au")));
            expectRejected(c);
            assert.deepEqual(summary(c), ["duplicate-key@23:38", "duplicate-key@24:3"]);
            assert.match(c.diagnostics[0].message, /^duplicate key 'invite' \(first on line 23\)/);
            assert.match(c.diagnostics[1].message, /^duplicate key 'jane.citizen' \(first on line 18\)/);
        });

        // BUG (model/parse.ts, parseUsersYaml): `if (diagnostics.length > 0) return { document, diagnostics }` also
        // returns early on YAML *warnings*, so no data is produced: the result has no model and no error.
        it("a YAML warning alone (%YAML 1.3) is reported and does not stop the model", () => {
            const c = check("%YAML 1.3\n---\n" + usersYaml());
            expectOne(c, "yaml-warning", { severity: "warning", line: 1, col: 7 }, "Unsupported YAML version 1.3");
            assert.ok(c.model);
        });

        it("refuses a tab used as indentation", () => {
            const c = check(usersYaml({ [LINE.displayName]: "\tdisplayName: Jane Citizen" }));
            expectRejected(c);
            assertEvery(c.diagnostics, (d) => d.code === "yaml-syntax" && d.severity === "error", JSON.stringify(summary(c)));
            const first = c.diagnostics[0];
            assert.deepEqual(c.source.position(first.range[0]), { line: 20, col: 1 });
            assert.equal(first.message, "YAML syntax: Tabs are not allowed as indentation");
        });

        it("accepts a tab between a key and its value (not indentation)", () => {
            const c = check(usersYaml({ [LINE.displayName]: "    displayName:\tJane Citizen" }));
            expectCodes(c);
            assert.equal(user(c, "jane.citizen").displayName, "Jane Citizen");
        });

        it("reports an empty file as missing users", () => {
            const c = check("");
            expectRejected(c);
            expectOne(c, "wrong-type", { severity: "error", line: 1, col: 1 }, "users is required: add users: ...");
        });
    });

    describe("unknown keys (unknown-key), with did-you-mean", () => {
        it("at the top level", () => {
            const c = check(usersYaml({}, "profile: {}"));
            expectRejected(c);
            expectCodes(c, "unknown-key");
            const d = expectOne(c, "unknown-key", { severity: "error", line: 23, col: 1 });
            assert.equal(d.message, "users.yaml: unknown key 'profile' (did you mean 'profiles'?); allowed keys are tenant, defaults, profiles, groups, existingGroups, users");
        });

        it("in a user: userPrincipleName → 'userPrincipalName' (and the real one is then missing)", () => {
            const c = check(usersYaml({ [LINE.upn]: "    userPrincipleName: jane.citizen@examplefirm.com.au" }));
            expectRejected(c);
            expectOne(
                c,
                "unknown-key",
                { severity: "error", line: 19, col: 5 },
                "user 'jane.citizen': unknown key 'userPrincipleName' (did you mean 'userPrincipalName'?); allowed keys are userPrincipalName, displayName,",
            );
            expectOne(c, "missing-field", { severity: "error", line: 18, col: 3 }, "user 'jane.citizen': userPrincipalName is required: add userPrincipalName: ...");
        });

        it("in practiceProtect", () => {
            const c = check(usersYaml({}, "    practiceProtect: { invite: true, role: [XPM Users] }"));
            expectRejected(c);
            const d = expectOne(c, "unknown-key", { severity: "error", line: 23, col: 38 });
            assert.equal(d.message, "user 'jane.citizen': practiceProtect: unknown key 'role' (did you mean 'roles'?); allowed keys are invite, roles");
        });

        it("in a group entry", () => {
            const c = check(usersYaml({ [SLOT.groups]: "  Reception: { descripton: Front desk }" }));
            expectRejected(c);
            expectCodes(c, "unknown-key");
            const d = expectOne(c, "unknown-key", { severity: "error", line: 16, col: 16 });
            assert.equal(d.message, "group 'Reception': unknown key 'descripton' (did you mean 'description'?); allowed keys are description, aliases");
        });

        it("in tenant", () => {
            const c = check(usersYaml({ [SLOT.tenant]: "  maxGlobalAdmin: 2" }));
            expectOne(c, "unknown-key", { severity: "error", line: 3, col: 3 }, "tenant: unknown key 'maxGlobalAdmin' (did you mean 'maxGlobalAdmins'?)");
        });

        it("without a suggestion when nothing is close", () => {
            const c = check(usersYaml({}, "    favouriteColour: blue"));
            const d = expectOne(c, "unknown-key", { severity: "error", line: 23, col: 5 }, "user 'jane.citizen': unknown key 'favouriteColour'; allowed keys are");
            assert.ok(!d.message.includes("did you mean"), d.message);
        });
    });

    describe("wrong types and YAML traps (wrong-type)", () => {
        it("unquoted mobilePhone: 0412345678 is a number that lost its leading zero", () => {
            const c = check(usersYaml({ [LINE.mobilePhone]: "    mobilePhone: 0412345678" }));
            expectRejected(c);
            expectCodes(c, "wrong-type");
            const d = expectOne(c, "wrong-type", { severity: "error", line: 21, col: 18 });
            assert.equal(
                d.message,
                `user 'jane.citizen': mobilePhone must be quoted text: YAML read 0412345678 as the number 412345678 and dropped its leading zero; write mobilePhone: "0412345678"`,
            );
        });

        it("unquoted mobilePhone: +61412345678 is a number that lost its +", () => {
            const c = check(usersYaml({ [LINE.mobilePhone]: "    mobilePhone: +61412345678" }));
            expectRejected(c);
            expectOne(
                c,
                "wrong-type",
                { severity: "error", line: 21, col: 18 },
                "YAML read +61412345678 as the number 61412345678",
                "dropped its leading +",
                `write mobilePhone: "+61412345678"`,
            );
        });

        it("enabled: yes is text in YAML 1.2: write enabled: true", () => {
            const c = check(usersYaml({}, "    enabled: yes"));
            expectRejected(c);
            const d = expectOne(c, "wrong-type", { severity: "error", line: 23, col: 14 });
            assert.equal(d.message, "user 'jane.citizen': enabled must be true or false, not 'yes' (YAML 1.2 reads yes as text): write enabled: true");
        });

        it("practiceProtect invite: no is text in YAML 1.2: write invite: false", () => {
            const c = check(usersYaml({}, "    practiceProtect: { invite: no }"));
            expectRejected(c);
            const d = expectOne(c, "wrong-type", { severity: "error", line: 23, col: 32 });
            assert.equal(d.message, "user 'jane.citizen': practiceProtect.invite must be true or false, not 'no' (YAML 1.2 reads no as text): write invite: false");
        });

        it("usageLocation: NO is Norway, not false (YAML 1.2)", () => {
            const c = check(usersYaml({ [LINE.usageLocation]: "  usageLocation: NO", [LINE.mobilePhone]: '    mobilePhone: "+61 412 345 678"' }));
            expectCodes(c);
            const jane = user(c, "jane.citizen");
            assert.equal(jane.usageLocation, "NO");
            assert.equal(jane.mobilePhone, "+61412345678");
        });

        it("a %YAML 1.1 directive (where NO would be false) is refused: users.yaml is always YAML 1.2", () => {
            const text = "%YAML 1.1\n---\n" + usersYaml({ [LINE.usageLocation]: "  usageLocation: NO", [LINE.mobilePhone]: '    mobilePhone: "+61 412 345 678"' });
            const c = check(text);
            expectRejected(c);
            expectOne(c, "yaml-version", { severity: "error", line: 1, col: 1 }, "users.yaml is read as YAML 1.2 (where yes, no and NO are text, not booleans); remove the %YAML 1.1 directive");
        });

        it("a boolean where a country code is expected is explained, with the quoted fix", () => {
            const c = check(usersYaml({ [LINE.usageLocation]: "  usageLocation: false" }));
            expectOne(c, "wrong-type", { severity: "error", line: LINE.usageLocation, col: 18 }, `defaults: usageLocation must be quoted text: YAML read false as the boolean false; write usageLocation: "false"`);
        });

        it("a boolean where text is expected is explained, with the quoted fix", () => {
            const c = check(usersYaml({ [LINE.displayName]: "    displayName: true" }));
            expectOne(c, "wrong-type", { severity: "error", line: 20, col: 18 }, `user 'jane.citizen': displayName must be quoted text: YAML read true as the boolean true; write displayName: "true"`);
        });

        it("missing required displayName points at the user's key", () => {
            const c = check(usersYaml({ [LINE.displayName]: "    # displayName left out" }));
            expectRejected(c);
            expectCodes(c, "missing-field");
            const d = expectOne(c, "missing-field", { severity: "error", line: 18, col: 3 });
            assert.equal(d.message, "user 'jane.citizen': displayName is required: add displayName: ...");
        });

        it("an empty displayName", () => {
            const c = check(usersYaml({ [LINE.displayName]: '    displayName: ""' }));
            expectOne(c, "wrong-type", { severity: "error", line: 20, col: 18 }, "user 'jane.citizen': displayName must not be empty");
        });

        it("a single group name where a list is expected", () => {
            const c = check(usersYaml({ [LINE.defaultGroups]: "  groups: All Staff" }));
            expectOne(c, "wrong-type", { severity: "error", line: 6, col: 11 }, 'defaults: groups must be a list such as [A, B], got string "All Staff"');
        });

        it("maxGlobalAdmins below 1", () => {
            const c = check(usersYaml({ [SLOT.tenant]: "  maxGlobalAdmins: 0" }));
            expectOne(c, "wrong-type", { severity: "error", line: 3, col: 20 }, "tenant: maxGlobalAdmins must be at least 1, got 0");
        });

        it("a user with no fields at all", () => {
            const c = check(usersYaml({}, "  bob.lee:"));
            expectOne(c, "wrong-type", { severity: "error", line: 23, col: 11 }, "user 'bob.lee' must be a mapping of keys to values, got an empty value");
        });
    });

    describe("identity: userPrincipalName, unique names, objectId, user keys", () => {
        const upn = (value: string) => usersYaml({ [LINE.upn]: `    userPrincipalName: ${value}` });

        it("a UPN without @ (upn-syntax)", () => {
            const c = check(upn("jane.citizen.examplefirm.com.au"));
            expectRejected(c);
            const d = expectOne(c, "upn-syntax", { severity: "error", line: 19, col: 24 });
            assert.equal(d.message, "user 'jane.citizen': userPrincipalName 'jane.citizen.examplefirm.com.au' must have exactly one @, like jane.citizen@examplefirm.com.au");
        });

        it("a UPN with two @", () => {
            const c = check(upn("jane@citizen@examplefirm.com.au"));
            expectOne(c, "upn-syntax", { severity: "error", line: 19, col: 24 }, "must have exactly one @");
        });

        it("a UPN with characters Entra does not allow, listing them", () => {
            const c = check(upn("jane citizen(x)@examplefirm.com.au"));
            expectOne(
                c,
                "upn-syntax",
                { severity: "error", line: 19, col: 24 },
                "userPrincipalName 'jane citizen(x)@examplefirm.com.au' has characters Entra does not allow before the @ (' ' '(' ')'); use letters, digits and ' . - _ ! # ^ ~",
            );
        });

        it("a UPN with a period just before the @", () => {
            const c = check(upn("jane.@examplefirm.com.au"));
            expectOne(
                c,
                "upn-syntax",
                { severity: "error", line: 19, col: 24 },
                "userPrincipalName 'jane.@examplefirm.com.au' must not start or end with a period before the @",
            );
        });

        it("a UPN whose domain is not a domain name", () => {
            const c = check(upn("jane.citizen@examplefirm"));
            expectOne(c, "upn-syntax", { severity: "error", line: 19, col: 24 }, "has 'examplefirm' after the @, which is not a domain name");
        });

        it("a UPN domain not in tenant.domains, with the nearest domain suggested (upn-domain)", () => {
            const c = check(upn("jane.citizen@examplefirm.com"));
            expectRejected(c);
            const d = expectOne(c, "upn-domain", { severity: "error", line: 19, col: 24 });
            assert.equal(
                d.message,
                "user 'jane.citizen': userPrincipalName uses the domain 'examplefirm.com', which is not in tenant.domains (examplefirm.com.au, examplefirm.co.nz); did you mean 'jane.citizen@examplefirm.com.au'?",
            );
        });

        it("a UPN domain far from every tenant domain says to add it", () => {
            const c = check(upn("jane.citizen@gmail.com"));
            const d = expectOne(c, "upn-domain", { severity: "error", line: 19, col: 24 }, "uses the domain 'gmail.com'", "add the domain to tenant.domains if it is verified in Entra");
            assert.ok(!d.message.includes("did you mean"), d.message);
        });

        it("UPN domains compare case-insensitively", () => {
            expectCodes(check(upn("jane.citizen@ExampleFirm.COM.AU")));
        });

        it("without tenant.domains any domain is accepted", () => {
            const c = check(usersYaml({ 1: "# no tenant", [LINE.domains]: "#", [LINE.upn]: "    userPrincipalName: jane.citizen@gmail.com" }));
            expectCodes(c);
            assert.deepEqual(c.model?.allowedDomains, []);
        });

        it("a tenant domain that is not a domain name (domain)", () => {
            const c = check(usersYaml({ [LINE.domains]: "  domains: [examplefirm.com.au, examplefirm]" }));
            expectOne(c, "domain", { severity: "error", line: 2, col: 33 }, "tenant: domains[1] 'examplefirm' is not a domain name such as examplefirm.com.au");
        });

        it("a duplicate UPN, ignoring case, names the other user and its line (duplicate-upn)", () => {
            const c = check(usersYaml({}, ...person("bob.lee", "userPrincipalName: Jane.Citizen@ExampleFirm.com.au")));
            expectRejected(c);
            const d = expectOne(c, "duplicate-upn", { severity: "error", line: 24, col: 24 });
            assert.equal(
                d.message,
                "user 'bob.lee': userPrincipalName 'Jane.Citizen@ExampleFirm.com.au' is already used by user 'jane.citizen' (line 19); each userPrincipalName must be unique, ignoring case",
            );
            // The same UPN necessarily repeats the mail nickname too.
            expectOne(c, "duplicate-mail-nickname", { severity: "error", line: 24, col: 24 }, "mail nickname 'Jane.Citizen' is already used by user 'jane.citizen' (line 19)");
        });

        it("the same mail nickname on two domains (duplicate-mail-nickname)", () => {
            const c = check(usersYaml({}, ...person("bob.lee", "userPrincipalName: jane.citizen@examplefirm.co.nz")));
            expectRejected(c);
            expectCodes(c, "duplicate-mail-nickname");
            const d = expectOne(c, "duplicate-mail-nickname", { severity: "error", line: 24, col: 24 });
            assert.equal(
                d.message,
                "user 'bob.lee': mail nickname 'jane.citizen' is already used by user 'jane.citizen' (line 19); each mail nickname must be unique, ignoring case",
            );
        });

        it("an explicit mailNickname that clashes is reported at mailNickname", () => {
            const c = check(usersYaml({}, ...person("bob.lee", "mailNickname: JANE.citizen")));
            expectCodes(c, "duplicate-mail-nickname");
            expectOne(c, "duplicate-mail-nickname", { severity: "error", line: 26, col: 19 }, "user 'bob.lee': mail nickname 'JANE.citizen' is already used by user 'jane.citizen' (line 19)");
        });

        it("the same objectId twice, ignoring case (duplicate-object-id)", () => {
            const c = check(
                usersYaml({}, "    objectId: 5b1c3d9e-2f4a-4c8b-9e6d-7a0f1b2c3d4e", ...person("bob.lee", "objectId: 5B1C3D9E-2F4A-4C8B-9E6D-7A0F1B2C3D4E")),
            );
            expectRejected(c);
            expectCodes(c, "duplicate-object-id");
            expectOne(
                c,
                "duplicate-object-id",
                { severity: "error", line: 27, col: 15 },
                "user 'bob.lee': objectId '5B1C3D9E-2F4A-4C8B-9E6D-7A0F1B2C3D4E' is already used by user 'jane.citizen' (line 23)",
            );
        });

        it("an objectId that is not a GUID", () => {
            const c = check(usersYaml({}, "    objectId: not-a-guid"));
            expectRejected(c);
            const d = expectOne(c, "wrong-type", { severity: "error", line: 23, col: 15 });
            assert.equal(d.message, "user 'jane.citizen': objectId must be an Entra object id, a GUID like 00000000-0000-0000-0000-000000000000; got 'not-a-guid'");
        });

        it("an adopted user keeps its objectId in the model", () => {
            const c = check(usersYaml({}, "    objectId: 5b1c3d9e-2f4a-4c8b-9e6d-7a0f1b2c3d4e"));
            assert.equal(user(c, "jane.citizen").objectId, "5b1c3d9e-2f4a-4c8b-9e6d-7a0f1b2c3d4e");
        });

        it("a user key with a space (user-key)", () => {
            const c = check(usersYaml({}, ...person("jane citizen", "userPrincipalName: jc2@examplefirm.com.au")));
            expectCodes(c, "user-key");
            expectOne(c, "user-key", { severity: "error", line: 23, col: 3 }, "user key 'jane citizen' must be 1-64 letters, digits, '.', '_' or '-'");
        });

        it("two user keys that differ only in case (duplicate-user-key)", () => {
            const c = check(usersYaml({}, ...person("Jane.Citizen", "userPrincipalName: jc2@examplefirm.com.au")));
            expectCodes(c, "duplicate-user-key");
            expectOne(c, "duplicate-user-key", { severity: "error", line: 23, col: 3 }, "user key 'Jane.Citizen' differs from 'jane.citizen'", "only in case: use one key per person");
        });

        // BUG (model/rules/identity.ts, userKeysAreStable): the "(line N)" of the other key uses ctx.lineOf(["users", other]),
        // which locates the user's *value* (its mapping, starting at the first field on the next line), not the key.
        it("points to the line of the other user's key", () => {
            const c = check(usersYaml({}, ...person("Jane.Citizen", "userPrincipalName: jc2@examplefirm.com.au")));
            expectOne(c, "duplicate-user-key", { severity: "error", line: 23, col: 3 }, "differs from 'jane.citizen' (line 18)");
        });
    });

    describe("mobile numbers (mobile-phone)", () => {
        const mobile = (value: string) => usersYaml({ [LINE.mobilePhone]: `    mobilePhone: "${value}"` });

        it("normalises a national number in the user's usageLocation to E.164: '0412 345 678' → +61412345678", () => {
            const c = check(mobile("0412 345 678"));
            expectCodes(c);
            assert.equal(user(c, "jane.citizen").mobilePhone, "+61412345678");
        });

        it("normalises an international number with spaces", () => {
            assert.equal(user(check(mobile("+61 412 345 678")), "jane.citizen").mobilePhone, "+61412345678");
        });

        it("reads a valid NZ number in usageLocation NZ as +64...", () => {
            const c = check(usersYaml({ [LINE.mobilePhone]: '    mobilePhone: "021 123 4567"' }, "    usageLocation: NZ"));
            expectCodes(c);
            const jane = user(c, "jane.citizen");
            assert.equal(jane.mobilePhone, "+64211234567");
            assert.equal(jane.usageLocation, "NZ");
        });

        it("uses a profile's usageLocation as the region", () => {
            const c = check(usersYaml({ [SLOT.accountant]: "    usageLocation: NZ", [LINE.mobilePhone]: '    mobilePhone: "021 123 4567"' }));
            expectCodes(c);
            assert.equal(user(c, "jane.citizen").mobilePhone, "+64211234567");
            assert.equal(user(c, "jane.citizen").usageLocation, "NZ");
        });

        it("text that is not a phone number", () => {
            const c = check(mobile("call me"));
            expectRejected(c);
            const d = expectOne(c, "mobile-phone", { severity: "error", line: 21, col: 18 });
            assert.equal(d.message, `user 'jane.citizen': mobilePhone 'call me' is not a phone number in AU; write it like "0412 345 678" or "+61 412 345 678"`);
        });

        it("a number too short for its region", () => {
            const c = check(mobile("0412 345"));
            expectRejected(c);
            expectOne(c, "mobile-phone", { severity: "error", line: 21, col: 18 }, "user 'jane.citizen': mobilePhone '0412 345' is not a valid AU phone number (wrong length or prefix)");
        });

        it("an international number that is not valid", () => {
            const c = check(mobile("+61 412 345"));
            expectOne(c, "mobile-phone", { severity: "error", line: 21, col: 18 }, "mobilePhone '+61 412 345' is not a valid +61 phone number (wrong length or prefix)");
        });

        it("a landline (AU 02 9876 5432) is not a mobile", () => {
            const c = check(mobile("02 9876 5432"));
            expectRejected(c);
            expectOne(
                c,
                "mobile-phone",
                { severity: "error", line: 21, col: 18 },
                "mobilePhone '02 9876 5432' is a fixed-line number in AU, not a mobile",
                "Practice Protect sends SMS codes to it, so give the user's mobile number",
            );
        });

        it("a national number without any usageLocation", () => {
            const c = check(usersYaml({ [LINE.usageLocation]: "  # no usageLocation" }));
            expectRejected(c);
            expectCodes(c, "mobile-phone");
            expectOne(
                c,
                "mobile-phone",
                { severity: "error", line: 21, col: 18 },
                "mobilePhone '0412 345 678' is in national format but the user has no usageLocation to say which country: write it as +<country code> ... or set usageLocation",
            );
        });

        it("an international number needs no usageLocation", () => {
            const c = check(usersYaml({ [LINE.usageLocation]: "  # no usageLocation", [LINE.mobilePhone]: '    mobilePhone: "+61 412 345 678"' }));
            expectCodes(c);
            assert.equal(user(c, "jane.citizen").mobilePhone, "+61412345678");
            assert.equal(user(c, "jane.citizen").usageLocation, undefined);
        });
    });

    describe("usageLocation (unknown-value)", () => {
        it("XX is not an ISO 3166-1 code", () => {
            const c = check(usersYaml({}, "    usageLocation: XX"));
            expectRejected(c);
            const d = expectOne(c, "unknown-value", { severity: "error", line: 23, col: 20 });
            assert.equal(d.message, "user 'jane.citizen': usageLocation is 'XX', which is not an ISO 3166-1 alpha-2 country code; use a code such as AU, NZ or GB");
        });

        it("lowercase au suggests AU", () => {
            const c = check(usersYaml({}, "    usageLocation: au"));
            expectOne(c, "unknown-value", { severity: "error", line: 23, col: 20 }, "usageLocation is 'au', which is not an ISO 3166-1 alpha-2 country code (write it in capitals: AU)");
        });

        it("in defaults", () => {
            const c = check(usersYaml({ [LINE.usageLocation]: "  usageLocation: au" }));
            expectOne(c, "unknown-value", { severity: "error", line: 5, col: 18 }, "defaults: usageLocation is 'au'", "(write it in capitals: AU)");
        });
    });

    describe("references: profiles, admin roles, groups", () => {
        it("an unknown profile, with a suggestion (unknown-profile)", () => {
            const c = check(usersYaml({ [LINE.profiles]: "    profiles: [acountant]" }));
            expectRejected(c);
            const d = expectOne(c, "unknown-profile", { severity: "error", line: 22, col: 16 });
            assert.equal(d.message, "user 'jane.citizen': unknown profile 'acountant' (did you mean 'accountant'?); defined profiles: accountant");
            // ... and so the real one is unused.
            expectOne(c, "unused-profile", { severity: "warning", line: 9, col: 3 }, "profile 'accountant' is not used by any user");
        });

        it("an unknown profile when there is no profiles: section", () => {
            const c = check(usersYaml({ 8: "# no profiles", 9: "#", 10: "#", 11: "#", 12: "#" }));
            expectOne(c, "unknown-profile", { severity: "error", line: 22, col: 16 }, "user 'jane.citizen': unknown profile 'accountant'; there is no profiles: section");
        });

        it("a profile listed twice (duplicate-profile)", () => {
            const c = check(usersYaml({ [LINE.profiles]: "    profiles: [accountant, accountant]" }));
            expectCodes(c, "duplicate-profile");
            expectOne(c, "duplicate-profile", { severity: "error", line: 22, col: 28 }, "user 'jane.citizen': profile 'accountant' is listed twice");
        });

        it("an unknown admin role, with a suggestion: 'Exchange Admin' → 'Exchange Administrator'", () => {
            const c = check(usersYaml({}, "    adminRoles: [Exchange Admin]"));
            expectRejected(c);
            const d = expectOne(c, "unknown-value", { severity: "error", line: 23, col: 18 });
            assert.equal(d.message, "user 'jane.citizen': adminRoles[0] 'Exchange Admin' is not a known admin role (did you mean 'Exchange Administrator'?)");
        });

        it("a misspelt admin role in a profile, at its index", () => {
            const c = check(usersYaml({ [SLOT.accountant]: "    adminRoles: [Global Reader, Global Adminstrator]" }));
            expectOne(
                c,
                "unknown-value",
                { severity: "error", line: 12, col: 33 },
                "profile 'accountant': adminRoles[1] 'Global Adminstrator' is not a known admin role (did you mean 'Global Administrator'?)",
            );
        });

        it("an admin role like nothing known lists the known roles", () => {
            const c = check(usersYaml({}, "    adminRoles: [Tea Maker]"));
            expectOne(c, "unknown-value", { severity: "error", line: 23, col: 18 }, "adminRoles[0] 'Tea Maker' is not a known admin role; known roles: Global Administrator, Global Reader,");
        });

        it("a group written in another case than under groups: is an error (group-case)", () => {
            const c = check(usersYaml({}, "    groups: [accountants]"));
            expectRejected(c);
            expectCodes(c, "group-case");
            const d = expectOne(c, "group-case", { severity: "error", line: 23, col: 14 });
            assert.equal(d.message, "user 'jane.citizen': group 'accountants' is written 'Accountants' under groups:; use the same spelling");
        });

        it("group-case in defaults, at the list item", () => {
            const c = check(usersYaml({ [LINE.defaultGroups]: "  groups: [All Staff, ACCOUNTANTS]" }));
            expectOne(c, "group-case", { severity: "error", line: 6, col: 23 }, "defaults: group 'ACCOUNTANTS' is written 'Accountants' under groups:");
        });

        it("a group one typo from a managed group is a warning (group-near-miss); it is treated as an existing group", () => {
            const c = check(usersYaml({}, "    groups: [Acountants]"));
            const d = expectOne(c, "group-near-miss", { severity: "warning", line: 23, col: 14 });
            assert.equal(d.message, "user 'jane.citizen': group 'Acountants' is not under groups:, so it must already exist in Entra; did you mean 'Accountants'?");
            assert.deepEqual(c.model?.existingGroups.map((g) => g.name), ["All Staff", "Acountants"]);
            assert.equal(c.model?.existingGroups[1].where, "users.yaml:23:14");
        });

        it("two managed groups differing only in case (duplicate-group)", () => {
            const c = check(usersYaml({ [SLOT.groups]: "  accountants: {}" }));
            expectOne(c, "duplicate-group", { severity: "error", line: 16, col: 3 }, "group 'accountants' differs from 'Accountants' only in case");
        });

        it("an unused group is a warning (unused-group)", () => {
            const c = check(usersYaml({ [SLOT.groups]: "  Reception: { description: Front desk }" }));
            expectCodes(c, "unused-group");
            const d = expectOne(c, "unused-group", { severity: "warning", line: 16, col: 3 });
            assert.equal(d.message, "group 'Reception' is created but no user, profile or default puts anyone in it");
            assert.ok(c.model, "warnings do not stop the model");
        });

        it("an unused profile is a warning (unused-profile)", () => {
            const c = check(usersYaml({ [SLOT.profiles]: "  admin-staff: { department: Operations }" }));
            expectCodes(c, "unused-profile");
            const d = expectOne(c, "unused-profile", { severity: "warning", line: 13, col: 3 });
            assert.equal(d.message, "profile 'admin-staff' is not used by any user");
        });

        it("no unused-group / unused-profile warnings while some users are left out for schema errors", () => {
            const c = check(
                usersYaml({ [SLOT.groups]: "  Reception: {}", [SLOT.profiles]: "  admin-staff: { department: Operations }" }, ...person("bob.lee", "enabled: yes")),
            );
            expectCodes(c, "wrong-type");
        });

        it("the same group twice in one list is a warning (repeated-entry)", () => {
            const c = check(usersYaml({}, "    groups: [Partners, partners]"));
            expectOne(c, "repeated-entry", { severity: "warning", line: 23, col: 24 }, "user 'jane.citizen': group 'partners' is listed twice");
        });
    });

    describe("privileges: Global Administrators within the limit (too-many-global-admins)", () => {
        const GA = "adminRoles: [Global Administrator]";
        const admin = (key: string, ...fields: string[]) => person(key, GA, ...fields);

        it("more than the default 4", () => {
            // jane (23), a1 24-27, a2 28-31, a3 32-35, a4 36-39: the fifth holder's role is on line 39.
            const c = check(usersYaml({}, `    ${GA}`, ...admin("a1"), ...admin("a2"), ...admin("a3"), ...admin("a4")));
            expectRejected(c);
            expectCodes(c, "too-many-global-admins");
            const d = expectOne(c, "too-many-global-admins", { severity: "error", line: 39, col: 18 });
            assert.equal(
                d.message,
                "5 Global Administrators (jane.citizen, a1, a2, a3, a4) but the default limit is 4: Microsoft advises fewer than five; give some of them a narrower role (e.g. Exchange Administrator) or raise tenant.maxGlobalAdmins",
            );
        });

        it("exactly the default 4 is fine", () => {
            const c = check(usersYaml({}, `    ${GA}`, ...admin("a1"), ...admin("a2"), ...admin("a3")));
            expectCodes(c);
            assert.deepEqual(user(c, "a3").adminRoles, ["Global Administrator"]);
        });

        it("more than an explicit tenant.maxGlobalAdmins", () => {
            const c = check(usersYaml({ [SLOT.tenant]: "  maxGlobalAdmins: 1" }, `    ${GA}`, ...admin("a1")));
            expectRejected(c);
            expectOne(c, "too-many-global-admins", { severity: "error", line: 27, col: 18 }, "2 Global Administrators (jane.citizen, a1) but tenant.maxGlobalAdmins is 1");
        });

        it("counts Global Administrator given by a profile, pointing at the profile", () => {
            const c = check(
                usersYaml(
                    { [SLOT.tenant]: "  maxGlobalAdmins: 1", [SLOT.profiles]: "  it-admin: { adminRoles: [Global Administrator] }" },
                    `    ${GA}`,
                    ...person("a1", "profiles: [accountant, it-admin]"),
                ),
            );
            expectRejected(c);
            expectCodes(c, "too-many-global-admins");
            expectOne(c, "too-many-global-admins", { severity: "error", line: 27, col: 28 }, "2 Global Administrators (jane.citizen, a1) but tenant.maxGlobalAdmins is 1");
        });

        it("does not count disabled users", () => {
            const c = check(usersYaml({ [SLOT.tenant]: "  maxGlobalAdmins: 1" }, `    ${GA}`, ...admin("a1", "enabled: false")));
            expectCodes(c, "offboarded-admin");
            assert.deepEqual(user(c, "a1").adminRoles, []);
            assert.deepEqual(user(c, "a1").suspendedAdminRoles, ["Global Administrator"]);
        });

        it("counts externalGlobalAdmins (the service account) towards the limit", () => {
            const text = usersYaml({}, `    ${GA}`, ...admin("a1"), ...admin("a2"), ...admin("a3"));
            expectCodes(check(text));
            const c = check(text, { externalGlobalAdmins: ["practiceprotect-service"] });
            expectRejected(c);
            expectOne(
                c,
                "too-many-global-admins",
                { severity: "error", line: 35, col: 18 },
                "5 Global Administrators (jane.citizen, a1, a2, a3, practiceprotect-service) but the default limit is 4",
            );
        });

        it("with an explicit limit of 1, one user plus the service account is too many", () => {
            const c = check(usersYaml({ [SLOT.tenant]: "  maxGlobalAdmins: 1" }, `    ${GA}`), { externalGlobalAdmins: ["practiceprotect-service"] });
            expectOne(c, "too-many-global-admins", { severity: "error", line: 23, col: 18 }, "2 Global Administrators (jane.citizen, practiceprotect-service) but tenant.maxGlobalAdmins is 1");
        });

        it("only external admins over the limit: reported at tenant", () => {
            const c = check(usersYaml({ [SLOT.tenant]: "  maxGlobalAdmins: 1" }), { externalGlobalAdmins: ["svc1", "svc2"] });
            expectOne(c, "too-many-global-admins", { severity: "error", line: 2, col: 3 }, "2 Global Administrators (svc1, svc2) but tenant.maxGlobalAdmins is 1");
        });
    });

    describe("privileges: privileged role assignments within Microsoft's advice (many-privileged-roles)", () => {
        // jane's roles on line 23; a1..a8 from line 24, four lines each: a<i>'s adminRoles on line 23 + 4i.
        const JANE = "    adminRoles: [Helpdesk Administrator, User Administrator]";
        const holders = (n: number) => Array.from({ length: n }, (_, i) => person(`a${i + 1}`, i === 0 ? "adminRoles: [Password Administrator, Reports Reader]" : "adminRoles: [Password Administrator]")).flat();

        it("10 privileged assignments (Microsoft's classification, not only Global Administrator) are a warning at the tenth; Reports Reader is not counted", () => {
            const c = check(usersYaml({}, JANE, ...holders(8)));
            expectCodes(c, "many-privileged-roles");
            const d = expectOne(c, "many-privileged-roles", { severity: "warning", line: 55, col: 18 });
            assert.equal(
                d.message,
                "10 privileged role assignments: jane.citizen (Helpdesk Administrator, User Administrator), a1 (Password Administrator), a2 (Password Administrator), a3 (Password Administrator), a4 (Password Administrator), " +
                    "a5 (Password Administrator), a6 (Password Administrator), a7 (Password Administrator), a8 (Password Administrator); Microsoft advises fewer than 10 (its \"Privileged roles and permissions\" best practices): " +
                    "give some people a role that is not privileged (see Admin roles in docs/users-yaml-reference.md)",
            );
            assert.ok(c.model, "a warning only");
        });

        it("9 are fine; the service account's Global Administrator makes them 10; offboarded users do not count", () => {
            const nine = usersYaml({}, JANE, ...holders(7));
            expectCodes(check(nine));
            const c = check(nine, { externalGlobalAdmins: ["the practiceprotect service account"] });
            expectOne(c, "many-privileged-roles", { severity: "warning", line: 51, col: 18 }, "10 privileged role assignments: ", "a7 (Password Administrator), the practiceprotect service account (Global Administrator);");
            expectCodes(check(usersYaml({}, JANE, ...holders(7), ...person("a8", "adminRoles: [Security Administrator]", "enabled: false"))), "offboarded-admin");
        });

        it("counts a privileged role given by a profile once per person, pointing at the profile", () => {
            const c = check(usersYaml({ [SLOT.profiles]: "  it-admin: { adminRoles: [Intune Administrator] }" }, JANE, ...holders(7), ...person("a8", "profiles: [it-admin]", "adminRoles: [Intune Administrator]")));
            expectCodes(c, "many-privileged-roles");
            expectOne(c, "many-privileged-roles", { severity: "warning", line: 55, col: 16 }, "a8 (Intune Administrator); Microsoft advises");
        });

        it("counts the privileged roles an adopted account is acknowledged to hold, once with its own", () => {
            const adopted = person("a8", "objectId: 0f8fad5b-d9cb-469f-a165-70867728950e", "adminRoles: [Global Reader]", "adoption: { privilegedRoles: [global reader, Security Operator] }");
            const c = check(usersYaml({}, JANE, ...holders(6), ...adopted));
            expectCodes(c, "many-privileged-roles");
            expectOne(c, "many-privileged-roles", { severity: "warning", line: 53, col: 50 }, "10 privileged role assignments: ", "a8 (Global Reader, Security Operator); Microsoft advises");
        });
    });

    describe("existingGroups: acknowledged existing groups", () => {
        it("a group acknowledged as role-assignable and used: no diagnostics, and the model carries grantsRoles", () => {
            const c = check(usersYaml({}, "existingGroups:", "  all staff: { grantsRoles: true }"));
            expectCodes(c);
            assert.deepEqual(c.model!.existingGroups.map((g) => [g.name, g.grantsRoles]), [["All Staff", true]]);
        });

        it("a name under existingGroups that is also a created group is an error (existing-group-created)", () => {
            const c = check(usersYaml({}, "existingGroups:", "  accountants: { grantsRoles: true }"));
            expectRejected(c);
            expectCodes(c, "existing-group-created");
            const d = expectOne(c, "existing-group-created", { severity: "error", line: 24, col: 3 });
            assert.equal(
                d.message,
                "group 'accountants' is under existingGroups: (an Entra group this program does not create) and under groups: as 'Accountants' (a group it creates); keep it in one: existingGroups for a group that already exists in Entra",
            );
        });

        it("a name under existingGroups that nobody is put in is a warning, with did-you-mean (unused-existing-group)", () => {
            const c = check(usersYaml({}, "existingGroups:", "  All Staf: { grantsRoles: true }"));
            expectCodes(c, "unused-existing-group");
            const d = expectOne(c, "unused-existing-group", { severity: "warning", line: 24, col: 3 });
            assert.equal(d.message, "existing group 'All Staf' is under existingGroups: but no user, profile or default puts anyone in it (did you mean 'All Staff'?); remove it, or fix its name");
            assert.deepEqual(c.model!.existingGroups.map((g) => [g.name, g.grantsRoles]), [["All Staff", false]], "the misspelt acknowledgement acknowledges nothing");
        });
    });

    describe("adoption: what an adopted account is now", () => {
        const OBJECT_ID = "    objectId: 0f8fad5b-d9cb-469f-a165-70867728950e";

        it("adoption: without objectId is an error (adoption-without-objectid)", () => {
            const c = check(usersYaml({}, "    adoption: { privilegedRoles: [Global Administrator] }"));
            expectRejected(c);
            expectCodes(c, "adoption-without-objectid");
            const d = expectOne(c, "adoption-without-objectid", { severity: "error", line: 23, col: 5 });
            assert.equal(d.message, "user 'jane.citizen': adoption: describes an existing account being adopted, but there is no objectId; add objectId: <the account's object id>, or remove adoption:");
        });

        it("privilegedRoles must be roles Microsoft marks privileged, with did-you-mean (not-a-privileged-role)", () => {
            const c = check(usersYaml({}, OBJECT_ID, "    adoption:", "      currentUserPrincipalName: jane.old@examplefirm.com.au", "      privilegedRoles: [Helpdesk Admin, Reports Reader, Hybrid Identity Administrator, partner tier2 support]"));
            expectRejected(c);
            expectCodes(c, "not-a-privileged-role", "not-a-privileged-role");
            const [helpdesk, reports] = c.diagnostics;
            assert.deepEqual(c.source.position(helpdesk.range[0]), { line: 26, col: 25 });
            assert.equal(
                helpdesk.message,
                "user 'jane.citizen': 'Helpdesk Admin' is not a role Microsoft marks privileged (did you mean 'Helpdesk Administrator'?); list only privileged roles, by display name (the full list is in model/adminRoles.ts, from Microsoft's \"Microsoft Entra built-in roles\")",
            );
            assert.deepEqual(c.source.position(reports.range[0]), { line: 26, col: 41 });
            assert.match(reports.message, /^user 'jane\.citizen': 'Reports Reader' is not a role Microsoft marks privileged; /);
        });

        it("a valid adoption resolves into the model; a current UPN equal to the new one is a warning (adoption-same-upn)", () => {
            const c = check(usersYaml({}, OBJECT_ID, "    adoption:", "      currentUserPrincipalName: Jane.Citizen@examplefirm.com.au", "      privilegedRoles: [Hybrid Identity Administrator]"));
            expectCodes(c, "adoption-same-upn");
            expectOne(c, "adoption-same-upn", { severity: "warning", line: 25, col: 33 }, "adoption.currentUserPrincipalName is the userPrincipalName already");
            assert.deepEqual(user(c, "jane.citizen").adoption, { currentUserPrincipalName: "Jane.Citizen@examplefirm.com.au", privilegedRoles: ["Hybrid Identity Administrator"] });
        });
    });

    describe("contradictions", () => {
        it("portal roles on a user with invite: false (roles-without-invite)", () => {
            const c = check(usersYaml({}, "    practiceProtect: { invite: false, roles: [XPM Users] }"));
            expectRejected(c);
            expectCodes(c, "roles-without-invite");
            const d = expectOne(c, "roles-without-invite", { severity: "error", line: 23, col: 46 });
            assert.equal(
                d.message,
                "user 'jane.citizen': portal roles are listed but the user is not invited (practiceProtect.invite is false); set practiceProtect.invite: true or remove the roles",
            );
        });

        it("portal roles on a user nobody invites", () => {
            const c = check(usersYaml({}, "    practiceProtect: { roles: [XPM Users] }"));
            expectOne(c, "roles-without-invite", { severity: "error", line: 23, col: 31 }, "neither defaults, the user's profiles nor the user set practiceProtect.invite: true");
        });

        it("portal roles on a user invited by defaults are fine", () => {
            const c = check(usersYaml({ [SLOT.defaults]: "  practiceProtect: { invite: true }" }, "    practiceProtect: { roles: [XPM Users] }"));
            expectCodes(c);
            assert.deepEqual(user(c, "jane.citizen").practiceProtect, { invite: true, invitedWhenEnabled: true, roles: ["XPM Users"] });
        });

        it("two profiles disagreeing on department (profiles-disagree)", () => {
            const c = check(usersYaml({ [SLOT.profiles]: "  admin-staff: { department: Operations }", [LINE.profiles]: "    profiles: [accountant, admin-staff]" }));
            expectRejected(c);
            expectCodes(c, "profiles-disagree");
            const d = expectOne(c, "profiles-disagree", { severity: "error", line: 22, col: 15 });
            assert.equal(d.message, "user 'jane.citizen': profiles accountant, admin-staff set different department values (Tax vs Operations); set department on the user to choose");
        });

        it("the user's own department settles the disagreement", () => {
            const c = check(
                usersYaml({ [SLOT.profiles]: "  admin-staff: { department: Operations }", [LINE.profiles]: "    profiles: [accountant, admin-staff]" }, "    department: Operations"),
            );
            expectCodes(c);
            assert.equal(user(c, "jane.citizen").department, "Operations");
        });

        it("two profiles disagreeing on the portal invite", () => {
            const c = check(
                usersYaml({
                    [SLOT.accountant]: "    practiceProtect: { invite: true }",
                    [SLOT.profiles]: "  admin-staff: { practiceProtect: { invite: false } }",
                    [LINE.profiles]: "    profiles: [accountant, admin-staff]",
                }),
            );
            expectCodes(c, "profiles-disagree");
            expectOne(c, "profiles-disagree", { severity: "error", line: 22, col: 15 }, "user 'jane.citizen': one profile invites to Practice Protect and another does not");
        });

        it("adminRoles on a disabled user is a warning (offboarded-admin)", () => {
            const c = check(usersYaml({}, "    enabled: false", "    adminRoles: [Exchange Administrator]"));
            expectCodes(c, "offboarded-admin");
            const d = expectOne(c, "offboarded-admin", { severity: "warning", line: 24, col: 17 });
            assert.equal(d.message, "user 'jane.citizen' is offboarded (enabled: false), so these admin roles are not assigned; remove them to make that explicit");
            assert.ok(c.model);
        });

        it("an invited user without a mobile is a warning (no-mobile)", () => {
            const c = check(usersYaml({ [SLOT.defaults]: "  practiceProtect: { invite: true }" }, ...person("bob.lee")));
            expectCodes(c, "no-mobile");
            const d = expectOne(c, "no-mobile", { severity: "warning", line: 23, col: 3 });
            assert.equal(d.message, "user 'bob.lee' is invited to Practice Protect but has no mobilePhone, so SMS codes (the MFA backup) cannot reach them");
        });

        it("no no-mobile warning for a disabled or uninvited user", () => {
            expectCodes(check(usersYaml({ [SLOT.defaults]: "  practiceProtect: { invite: true }" }, ...person("bob.lee", "enabled: false"))));
            expectCodes(check(usersYaml({}, ...person("bob.lee"))));
        });
    });

    describe("resource caps", () => {
        it("an alias expansion bomb (alias-expansion)", () => {
            // lol0 is 10 nodes; each next level is 10 aliases of the previous: far more than MAX_ALIAS_EXPANSION.
            const bomb = ["lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
            for (let i = 1; i <= 5; i++) bomb.push(`lol${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
            const c = check(usersYaml({}, ...bomb));
            expectRejected(c);
            expectCodes(c, "alias-expansion");
            const d = expectOne(c, "alias-expansion", { severity: "error", line: 1, col: 1 });
            assert.equal(d.message, `YAML aliases expand to too many nodes (limit ${MAX_ALIAS_EXPANSION}): write the values out instead of nesting aliases`);
        });

        it("a few aliases are fine", () => {
            const c = check(usersYaml({ [LINE.defaultGroups]: "  groups: &staff [All Staff]" }, "    groups: *staff"));
            expectCodes(c);
            assert.deepEqual(user(c, "jane.citizen").groups, ["All Staff", "Accountants"]);
        });

        it("a file over MAX_FILE_BYTES (file-too-large), counted in bytes", () => {
            // "é" is two bytes in UTF-8: the text is about half MAX_FILE_BYTES characters long but over the limit in bytes.
            const padding = "é".repeat(MAX_FILE_BYTES / 2);
            const text = usersYaml() + "# " + padding + "\n";
            const bytes = Buffer.byteLength(text, "utf8");
            assert.ok(text.length < MAX_FILE_BYTES && bytes > MAX_FILE_BYTES);
            const c = check(text);
            expectRejected(c);
            expectCodes(c, "file-too-large");
            const d = expectOne(c, "file-too-large", { severity: "error", line: 1, col: 1 });
            assert.equal(
                d.message,
                `the file is ${bytes} bytes; the limit is ${MAX_FILE_BYTES} bytes (a users.yaml for 5,000 people is under 2 MB): check it is the right file`,
            );
            assert.ok(formatDiagnostic(c.source, d).startsWith("users.yaml:1:1: error: the file is "));
        });

        it("a file of exactly MAX_FILE_BYTES is read", () => {
            const head = usersYaml() + "# ";
            const text = head + "x".repeat(MAX_FILE_BYTES - Buffer.byteLength(head) - 1) + "\n";
            assert.equal(Buffer.byteLength(text, "utf8"), MAX_FILE_BYTES);
            const c = check(text);
            expectCodes(c);
            assert.ok(c.model);
        });
    });

    describe("several problems in one file", () => {
        it("reports them all at once, sorted by position", () => {
            // jane: a semantic error (found by the rules, after the schema); bob and carol: schema errors.
            const c = check(
                usersYaml(
                    { [LINE.profiles]: "    profiles: [acountant]" },
                    ...person("bob.lee", "mobilePhone: 0423456789"), // 23-26
                    ...person("carol.white", "enabled: yes"), // 27-30
                ),
            );
            expectRejected(c);
            assert.deepEqual(
                c.diagnostics.map((d) => formatDiagnostic(c.source, d)),
                [
                    "users.yaml:22:16: error: user 'jane.citizen': unknown profile 'acountant' (did you mean 'accountant'?); defined profiles: accountant",
                    `users.yaml:26:18: error: user 'bob.lee': mobilePhone must be quoted text: YAML read 0423456789 as the number 423456789 and dropped its leading zero; write mobilePhone: "0423456789"`,
                    "users.yaml:30:14: error: user 'carol.white': enabled must be true or false, not 'yes' (YAML 1.2 reads yes as text): write enabled: true",
                ],
            );
        });

        it("checks the well-formed users when others are broken: a semantic error after the broken ones is found too", () => {
            const c = check(
                usersYaml(
                    {},
                    ...person("bob.lee", "mobilePhone: 0423456789"), // 23-26
                    ...person("carol.white", "enabled: yes"), // 27-30
                    ...person("dan.brown", "profiles: [acountant]"), // 31-34
                    ...person("erin.fox", "userPrincipalName: jane.citizen@examplefirm.com.au"), // 35-38
                ),
            );
            expectRejected(c);
            assert.deepEqual(summary(c), ["wrong-type@26:18", "wrong-type@30:14", "unknown-profile@34:16", "duplicate-upn@36:24", "duplicate-mail-nickname@36:24"]);
        });

        it("reports the same positions when one file is checked twice", () => {
            const source = new SourceFile("users.yaml", usersYaml({ [LINE.profiles]: "    profiles: [acountant]" }));
            const first = checkUsersYaml(source).diagnostics.map((d) => formatDiagnostic(source, d));
            const second = checkUsersYaml(source).diagnostics.map((d) => formatDiagnostic(source, d));
            assert.deepEqual(first, [
                "users.yaml:9:3: warning: profile 'accountant' is not used by any user",
                "users.yaml:22:16: error: user 'jane.citizen': unknown profile 'acountant' (did you mean 'accountant'?); defined profiles: accountant",
            ]);
            assert.deepEqual(second, first);
        });

        it("puts errors before warnings at the same position", () => {
            // bob's key carries both an error (user-key) and a warning (no-mobile).
            const c = check(usersYaml({ [SLOT.defaults]: "  practiceProtect: { invite: true }" }, ...person("bob lee", "userPrincipalName: bob@examplefirm.com.au")));
            assert.deepEqual(summary(c), ["user-key@23:3", "no-mobile@23:3"]);
        });
    });

    describe("merge behaviour in the resolved model", () => {
        // defaults: groups [All Staff, Accountants], invited with [Portal Users - AU]
        // accountant: groups [Accountants], roles [XPM Users, portal users - au]
        // partner:    groups [Partners, all staff], adminRoles [Exchange Administrator], roles [Sign Off]
        // jane: profiles [accountant, partner], groups [PARTNERS, Board], roles [xpm users, Tax Agent], adminRoles [User Administrator, Exchange Administrator]
        // pete: offboarded, same profiles, adminRoles [Global Reader]
        const text = usersYaml(
            {
                [LINE.defaultGroups]: "  groups: [All Staff, Accountants]",
                [SLOT.defaults]: "  practiceProtect: { invite: true, roles: [Portal Users - AU] }",
                [SLOT.accountant]: "    practiceProtect: { roles: [XPM Users, portal users - au] }",
                [SLOT.profiles]: "  partner: { groups: [Partners, all staff], adminRoles: [Exchange Administrator], practiceProtect: { roles: [Sign Off] } }",
                [LINE.profiles]: "    profiles: [accountant, partner]",
            },
            "    groups: [PARTNERS, Board]", // 23
            "    practiceProtect: { roles: [xpm users, Tax Agent] }", // 24
            "    adminRoles: [User Administrator, Exchange Administrator]", // 25
            ...person("pete.leaver", 'mobilePhone: "0434 567 890"', "profiles: [accountant, partner]", "adminRoles: [Global Reader]", "enabled: false"), // 26-32
        );

        it("is valid, with only the offboarded-admin warning", () => {
            const c = check(text);
            assert.deepEqual(summary(c), ["offboarded-admin@31:17"]);
            assert.ok(c.model);
        });

        it("groups = defaults ∪ profiles ∪ user, case-insensitive, first spelling kept", () => {
            assert.deepEqual(user(check(text), "jane.citizen").groups, ["All Staff", "Accountants", "Partners", "Board"]);
        });

        it("portal roles = defaults ∪ profiles ∪ user, case-insensitive, first spelling kept", () => {
            assert.deepEqual(user(check(text), "jane.citizen").practiceProtect, { invite: true, invitedWhenEnabled: true, roles: ["Portal Users - AU", "XPM Users", "Sign Off", "Tax Agent"] });
        });

        it("admin roles = profiles ∪ user", () => {
            const jane = user(check(text), "jane.citizen");
            assert.deepEqual(jane.adminRoles, ["Exchange Administrator", "User Administrator"]);
            assert.deepEqual(jane.suspendedAdminRoles, []);
        });

        it("an offboarded user has no admin roles, no portal roles and invite false, but keeps groups", () => {
            const pete = user(check(text), "pete.leaver");
            assert.equal(pete.enabled, false);
            assert.deepEqual(pete.adminRoles, []);
            assert.deepEqual(pete.suspendedAdminRoles, ["Exchange Administrator", "Global Reader"]);
            assert.deepEqual(pete.practiceProtect, { invite: false, invitedWhenEnabled: true, roles: [] });
            assert.deepEqual(pete.groups, ["All Staff", "Accountants", "Partners"]);
        });

        it("existing (unmanaged) groups are listed once, with where each is first written and every place it is used", () => {
            const model = check(text).model;
            assert.ok(model);
            assert.deepEqual(
                model.existingGroups.map((g) => [g.name, g.where]),
                [
                    ["All Staff", "users.yaml:6:12"],
                    ["Partners", "users.yaml:13:23"],
                    ["Board", "users.yaml:23:24"],
                ],
            );
            assert.deepEqual([model.existingGroups[0].usedAt, model.existingGroups[0].uses], [["users.yaml:6:12", "users.yaml:13:33"], 2]);
            assert.deepEqual(model.managedGroups.map((g) => g.name), ["Accountants"]);
        });

        it("single values: the user's own wins, then the profile's, then the default", () => {
            const c = check(usersYaml({ [SLOT.accountant]: "    jobTitle: Accountant" }, ...person("bob.lee", 'mobilePhone: "0423 456 789"', "profiles: [accountant]", "department: Audit", "jobTitle: Partner")));
            const jane = user(c, "jane.citizen");
            const bob = user(c, "bob.lee");
            assert.deepEqual([jane.department, jane.jobTitle, jane.usageLocation], ["Tax", "Accountant", "AU"]);
            assert.deepEqual([bob.department, bob.jobTitle, bob.usageLocation], ["Audit", "Partner", "AU"]);
        });

        it("a user's invite: false overrides the defaults' invite and drops inherited portal roles", () => {
            const c = check(usersYaml({ [SLOT.defaults]: "  practiceProtect: { invite: true, roles: [Portal Users - AU] }" }, "    practiceProtect: { invite: false }"));
            expectCodes(c);
            assert.deepEqual(user(c, "jane.citizen").practiceProtect, { invite: false, invitedWhenEnabled: false, roles: [] });
        });
    });

    // BUG (model/locate.ts, locate/keyNode and sourceText): paths use the JS data's keys, which are always strings,
    // but a YAML key written as a number (an employee number as user key, a group called 2024) is a number node:
    // document.getIn(["users", "12345"]) and `item.key.value === last` never match it, so the range falls back to the
    // parent mapping (the first user's line).
    describe("positions under keys that YAML reads as numbers", () => {
        it("an error in user 12345 points into that user", () => {
            const c = check(
                usersYaml({}, "  12345:", "    userPrincipalName: emp12345@examplefirm.com.au", "    displayName: Employee 12345", '    mobilePhone: "02 9876 5432"'),
            );
            expectOne(c, "mobile-phone", { severity: "error", line: 26, col: 18 }, "user '12345': mobilePhone '02 9876 5432' is a fixed-line number in AU");
        });

        it("an unused group 2024 points at its key", () => {
            const c = check(usersYaml({ [SLOT.groups]: "  2024: {}" }));
            expectOne(c, "unused-group", { severity: "warning", line: 16, col: 3 }, "group '2024' is created but no user, profile or default puts anyone in it");
        });
    });
});
