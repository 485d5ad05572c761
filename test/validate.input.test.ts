import { strict as assert } from "node:assert";
import { checkUsersYaml, CheckResult, Diagnostic, hasErrors, SourceFile } from "../model";
import { describeCharacter, HIDDEN, hiddenCharactersIn } from "../model/hiddenCharacters";
import { ASCII_PROTOTYPES, confusablePrototypes, lookAlikeKey } from "../model/lookAlikes";

/*
 * Input that reads differently to people and to the program (issue 17, section 6): keys that YAML types
 * differently but the program reads as one, characters a reviewer cannot see, text in two Unicode forms, and
 * names that look like other names. Each case asserts the code, the severity, the exact line and column, and the
 * words a reader acts on.
 */

interface Checked extends CheckResult {
    source: SourceFile;
}

function check(...lines: string[]): Checked {
    const source = new SourceFile("users.yaml", lines.join("\n") + "\n");
    const result = checkUsersYaml(source);
    assert.equal(result.model !== undefined, !hasErrors(result.diagnostics), "a model exactly when there are no errors");
    return { source, ...result };
}

const at = (c: Checked, d: Diagnostic) => {
    const { line, col } = c.source.position(d.range[0]);
    return `${d.code}@${line}:${col}`;
};

/** The one diagnostic with `code`, at line:col, with every fragment in its message. */
function expectOne(c: Checked, code: string, severity: "error" | "warning", position: string, ...fragments: string[]): Diagnostic {
    const found = c.diagnostics.filter((d) => d.code === code);
    assert.equal(found.length, 1, `one '${code}' expected, got: ${c.diagnostics.map((d) => `${at(c, d)} ${d.message}`).join("\n")}`);
    const d = found[0];
    assert.equal(at(c, d), `${code}@${position}`, d.message);
    assert.equal(d.severity, severity);
    for (const fragment of fragments) assert.ok(d.message.includes(fragment), `message should contain ${JSON.stringify(fragment)}:\n${d.message}`);
    return d;
}

const user = (key: string, ...fields: string[]) => [`  ${key}:`, `    userPrincipalName: ${key}@examplefirm.com.au`, `    displayName: ${key}`, ...fields.map((f) => `    ${f}`)];

describe("users.yaml input that reads differently to people and to the program", () => {
    describe("keys that differ only in YAML type are one key", () => {
        it("1001: and \"1001\": under users: an error at the second, naming both places and how each is written", () => {
            const c = check("users:", ...user("1001").map((l, i) => (i === 0 ? "  1001:" : l)), '  "1001":', "    userPrincipalName: b@examplefirm.com.au", "    displayName: B");
            expectOne(c, "duplicate-key", "error", "5:3", "duplicate key '1001' (first on line 2, written 1001 there and \"1001\" here: both are read as the key '1001', and the later value would silently win)", "merge the two entries or rename one");
            assert.equal(c.model, undefined);
        });

        it("true: and \"true\":, 1e3: and \"1000\":, an anchor and its alias, in the groups mapping", () => {
            const c = check("groups:", "  true: {}", '  "true": {}', "  1e3: {}", '  "1000": {}', "  &old Reception: {}", "  *old : {}", "users:", ...user("jane"));
            assert.deepEqual(
                c.diagnostics.filter((d) => d.code === "duplicate-key").map((d) => `${at(c, d)} ${d.message.split(":")[0]}`),
                [
                    "duplicate-key@3:3 duplicate key 'true' (first on line 2, written true there and \"true\" here",
                    "duplicate-key@5:3 duplicate key '1000' (first on line 4, written 1e3 there and \"1000\" here",
                    "duplicate-key@7:3 duplicate key 'Reception' (first on line 6, written Reception there and *old here",
                ],
            );
        });

        it("keys equal once composed (NFC) are one key, and a key that is a list is refused", () => {
            const c = check("groups:", "  Cafe\u0301 Staff: {}", "  Caf\u00e9 Staff: {}", "  ? [a, b]", "  : {}", "users:", ...user("jane"));
            expectOne(c, "duplicate-key", "error", "3:3", "duplicate key 'Café Staff' (first on line 2, the same text once its accents are composed (Unicode NFC)");
            expectOne(c, "collection-key", "error", "4:5", "a key under groups is a list; keys in users.yaml are names");
        });
    });

    describe("hidden characters are refused where they are, by code point and name", () => {
        // [what, the line as written (after jane's userPrincipalName, or as her displayName), the words]; reported
        // at the character, or at the value when the character was written as an escape (then its column is given).
        const cases: [string, string, string, number?][] = [
            ["a bidirectional override in a display name", "    displayName: Jane\u202E Citizen", "users.jane.displayName has U+202E RIGHT-TO-LEFT OVERRIDE"],
            ["a bidirectional isolate in a job title", "    jobTitle: Partner\u2066", "users.jane.jobTitle has U+2066 LEFT-TO-RIGHT ISOLATE"],
            ["a right-to-left mark in a surname", "    surname: Citizen\u200F", "users.jane.surname has U+200F RIGHT-TO-LEFT MARK"],
            ["an Arabic letter mark in a given name", "    givenName: \u061CJane", "users.jane.givenName has U+061C ARABIC LETTER MARK"],
            ["a zero-width space in a group name", "    groups: [All\u200BStaff]", "users.jane.groups.0 has U+200B ZERO WIDTH SPACE"],
            ["a zero-width joiner in a portal role", "    practiceProtect: { invite: true, roles: [Portal\u200D Users] }", "users.jane.practiceProtect.roles.0 has U+200D ZERO WIDTH JOINER"],
            ["a word joiner in a licence name", "    licenses: [SPB\u2060]", "users.jane.licenses.0 has U+2060 WORD JOINER"],
            ["a zero-width no-break space in a department", "    department: Ta\uFEFFx", "users.jane.department has U+FEFF ZERO WIDTH NO-BREAK SPACE"],
            ["a soft hyphen in an office", "    officeLocation: Syd\u00ADney", "users.jane.officeLocation has U+00AD SOFT HYPHEN"],
            ["a C0 control", "    city: Syd\u0007ney", "users.jane.city has U+0007 <control-0007>"],
            ["a C1 control", "    state: NS\u0085W", "users.jane.state has U+0085 NEXT LINE"],
            ["a tab inside a plain value", "    jobTitle: Senior\tPartner", "users.jane.jobTitle has U+0009 CHARACTER TABULATION"],
            ["a variation selector", "    jobTitle: Partner\uFE0F", "users.jane.jobTitle has U+FE0F VARIATION SELECTOR-16"],
            ["a tag character (outside the BMP)", "    jobTitle: Partner\u{E0041}", "users.jane.jobTitle has U+E0041 (a TAG character)"],
            ["a line separator", "    jobTitle: Partner\u2028Director", "users.jane.jobTitle has U+2028 LINE SEPARATOR"],
            ["a bidirectional override in a comment", "    # a comment\u202E", "this line has U+202E RIGHT-TO-LEFT OVERRIDE outside any value (in a comment or between entries)"],
            ["a bidirectional override written as an escape in quotes", '    jobTitle: "Partner\\u202E"', "users.jane.jobTitle has U+202E RIGHT-TO-LEFT OVERRIDE (written as an escape)", 15],
            ["a line feed written as an escape in quotes", '    jobTitle: "Partner\\nDirector"', "users.jane.jobTitle has U+000A LINE FEED (written as an escape)", 15],
        ];
        for (const [what, line, words, escapedAt] of cases) {
            it(what, () => {
                const asDisplayName = line.startsWith("    displayName:");
                const c = check("users:", "  jane:", "    userPrincipalName: jane@examplefirm.com.au", asDisplayName ? line : "    displayName: Jane", ...(asDisplayName ? [] : [line]));
                const col = escapedAt ?? [...line].findIndex((ch) => HIDDEN.test(ch)) + 1;
                expectOne(c, "hidden-character", "error", `${asDisplayName ? 4 : 5}:${col}`, words, "which a person reading the file cannot see but the program reads", "delete it");
                assert.equal(c.model, undefined);
            });
        }

        it("in a key: a user's key and a profile's name", () => {
            const c = check("profiles:", "  accountant\u2067: {}", "users:", "  jane\u200C:", "    userPrincipalName: jane@examplefirm.com.au", "    displayName: Jane", "    profiles: [accountant\u2067]");
            assert.deepEqual(
                c.diagnostics.filter((d) => d.code === "hidden-character").map((d) => `${at(c, d)} ${d.message.split(",")[0]}`),
                [
                    "hidden-character@2:13 the key profiles.accountant<U+2067> has U+2067 RIGHT-TO-LEFT ISOLATE",
                    "hidden-character@4:7 the key users.jane<U+200C> has U+200C ZERO WIDTH NON-JOINER",
                    "hidden-character@7:26 users.jane<U+200C>.profiles.0 has U+2067 RIGHT-TO-LEFT ISOLATE",
                ],
            );
        });

        it("a line break in a value written as a block, except in a group's description", () => {
            const fixed = check("groups:", "  Partners:", "    description: |", "      The partners.", "      All of them.", "users:", "  jane:", "    userPrincipalName: jane@examplefirm.com.au", "    displayName: >", "      Jane Citizen", "    groups: [Partners]");
            expectOne(fixed, "hidden-character", "error", "9:19", "users.jane.displayName has U+000A LINE FEED");
            assert.equal(fixed.diagnostics.length, 1, "the description's line breaks are its own");
        });

        it("does not stop the other checks: an unknown profile is reported beside it", () => {
            const c = check("users:", ...user("jane", "jobTitle: Partner\u202E", "profiles: [nobody]"));
            assert.deepEqual(c.diagnostics.map((d) => at(c, d)), ["hidden-character@5:22", "unknown-profile@6:16"]);
        });

        it("leaves a byte order mark that starts the file alone", () => {
            const c = check("\uFEFFusers:", ...user("jane"));
            assert.deepEqual(c.diagnostics, []);
        });

        it("finds every hidden character of the BMP with its fast first pass (equal to the Unicode properties on this Node)", () => {
            const missed: string[] = [];
            const extra: string[] = [];
            for (let code = 0; code <= 0xffff; code++) {
                if (code >= 0xd800 && code <= 0xdfff) continue;
                const char = String.fromCharCode(code);
                const hidden = HIDDEN.test(char) && !"\t\n\r".includes(char);
                const found = hiddenCharactersIn(`a${char}`).length === 1;
                if (hidden && !found) missed.push(describeCharacter(char));
                if (!hidden && found) extra.push(describeCharacter(char));
            }
            assert.deepEqual({ missed, extra }, { missed: [], extra: [] });
            assert.deepEqual(hiddenCharactersIn("a\u{1D173}b\u{1F600}"), [{ offset: 1, char: "\u{1D173}" }], "astral: a musical format character, not an emoji");
            assert.deepEqual(hiddenCharactersIn("a\uD800b"), [{ offset: 1, char: "\uD800" }], "half of a surrogate pair");
        });
    });

    describe("text is read in Unicode normal form C", () => {
        it("a name typed with a combining accent is the same name as the composed one, and the model holds the composed form", () => {
            const c = check("groups:", "  Cafe\u0301 Staff: {}", "users:", ...user("jane", "givenName: Jose\u0301", "groups: [Caf\u00e9 Staff]"));
            assert.deepEqual(c.diagnostics, []);
            const jane = c.model!.users[0];
            assert.equal(jane.givenName, "Jos\u00e9");
            assert.deepEqual(jane.groups, ["Caf\u00e9 Staff"]);
            assert.deepEqual(Object.keys(c.file!.groups!), ["Caf\u00e9 Staff"]);
        });
    });

    describe("names that look like another name of the same kind warn, naming both", () => {
        it("a group with a Cyrillic а beside Partners: at the look-alike, with the characters and did-you-mean", () => {
            const c = check("groups:", "  Partners: {}", "  P\u0430rtners: {}", "users:", ...user("jane", "groups: [Partners, P\u0430rtners]"));
            expectOne(
                c,
                "look-alike",
                "warning",
                "3:3",
                "group 'P\u0430rtners' looks like group 'Partners' (line 2) but is different text ('\u0430' (U+0430 Cyrillic) here where that has 'a')",
                "did you mean 'Partners'?",
            );
            assert.equal(c.model?.users.length, 1, "a warning: the file is still valid");
        });

        it("a user key, sign-in name and display name that look like another user's", () => {
            const c = check(
                "users:",
                "  jane.smith:",
                "    userPrincipalName: jane.smith@examplefirm.com.au",
                "    displayName: Jane Smith",
                "  jane.srnith:",
                "    userPrincipalName: jane.srnith@examplefirm.com.au",
                "    displayName: Jane Sm\u0456th",
            );
            assert.deepEqual(
                c.diagnostics.map((d) => `${at(c, d)} ${d.message}`),
                [
                    "look-alike@5:3 user key 'jane.srnith' looks like user key 'jane.smith' (line 2) but is different text ('rn' here where that has 'm'); did you mean 'jane.smith'? If both are meant, make the difference visible",
                    "look-alike@6:24 userPrincipalName 'jane.srnith@examplefirm.com.au' looks like userPrincipalName 'jane.smith@examplefirm.com.au' (line 3) but is different text ('rn' here where that has 'm'); did you mean 'jane.smith@examplefirm.com.au'? If both are meant, make the difference visible",
                    "look-alike@7:18 displayName 'Jane Sm\u0456th' looks like displayName 'Jane Smith' (line 4) but is different text ('\u0456' (U+0456 Cyrillic) here where that has 'i'); did you mean 'Jane Smith'? If both are meant, make the difference visible",
                ],
            );
        });

        it("a portal role with a Greek Ο for an O, and a fullwidth letter in a licence", () => {
            const c = check(
                "defaults:",
                "  practiceProtect: { invite: true, roles: [Office Apps] }",
                "  licenses: [SPB]",
                "users:",
                ...user("jane", 'mobilePhone: "0412 345 678"', "usageLocation: AU", "practiceProtect: { roles: [\u039Fffice Apps] }", "licenses: [\uFF33PB]"),
            );
            const lookAlikes = c.diagnostics.filter((d) => d.code === "look-alike").map((d) => `${at(c, d)} ${d.message.split(" (line")[0]}`);
            assert.deepEqual(lookAlikes, ["look-alike@10:32 portal role '\u039Fffice Apps' looks like portal role 'Office Apps'", "look-alike@11:16 licence '\uFF33PB' looks like licence 'SPB'"]);
        });

        it("says nothing of two people with the same name, or of names that differ only in case or plainly", () => {
            const c = check(
                "users:",
                ...user("john.smith", "displayName: John Smith"),
                ...user("john.smith2", "displayName: John Smith"),
                ...user("jo", "displayName: JOHN SMITH"),
                ...user("ann", "displayName: Ann Lee"),
                ...user("anna", "displayName: Anna Lee"),
            ).diagnostics.filter((d) => d.code === "look-alike");
            assert.deepEqual(c, []);
        });

        it("compares by UTS #39 skeletons, ignoring case", () => {
            assert.equal(lookAlikeKey("P\u0430rtners"), lookAlikeKey("Partners"));
            assert.equal(lookAlikeKey("j0hn"), lookAlikeKey("JOHN"));
            assert.equal(lookAlikeKey("\uFF30artners"), lookAlikeKey("partners"));
            assert.notEqual(lookAlikeKey("Partners"), lookAlikeKey("Partner"));
            assert.notEqual(lookAlikeKey("M\u00fcller"), lookAlikeKey("Muller"), "an umlaut is visible");
        });

        it("takes an ASCII name's prototypes from Unicode's table, as the package ships it", () => {
            const table = confusablePrototypes();
            assert.ok(Object.keys(table).length > 6000 && table["\u0430"] === "a", "the whole table is read");
            const ascii = Object.fromEntries(Object.entries(table).filter(([source]) => source.charCodeAt(0) < 0x80));
            assert.deepEqual(ASCII_PROTOTYPES, ascii);
            // The short road for ASCII names arrives where the long one does.
            for (const name of ["Iain McMillan", "j0hn|1", 'Room "101" `%`', "mM Il"]) {
                const long = (text: string) => [...text.normalize("NFD")].map((c) => table[c] ?? c).join("").normalize("NFD");
                assert.equal(lookAlikeKey(name), long(long(name).toLowerCase()), name);
            }
        });
    });
});
