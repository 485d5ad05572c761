import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../cli/io";
import { planCommand } from "../cli/plan";
import { describePerson, renderReviewMarkdown, renderReviewTerminal, reviewSummary as reviewSummaryOf } from "../cli/renderReview";
import { checkUsersYaml, SourceFile } from "../model";
import { reviewChanges, ReviewDiff, ReviewSide } from "../model/review";
import { SMALL_FIRM } from "./support/fixtures";
import { captureIO, commitEverything, inDir } from "./support/io";

const model = (text: string) => {
    const result = checkUsersYaml(new SourceFile("users.yaml", text));
    assert.ok(result.model, result.diagnostics.map((d) => d.message).join("\n"));
    return result.model;
};
const review = (before: string, after: string, base: Omit<ReviewSide, "model"> = {}, head: Omit<ReviewSide, "model"> = {}) =>
    reviewChanges({ ...base, model: model(before) }, { ...head, model: model(after) });
const person = (diff: ReviewDiff, key: string) => {
    const found = diff.people.find((p) => p.key === key);
    assert.ok(found, `no change for ${key}: ${JSON.stringify(diff.people.map((p) => p.key))}`);
    return found;
};

const NEW_USER = `  zoe.new:
    userPrincipalName: zoe.new@examplefirm.com.au
    displayName: Zoe New
    mobilePhone: "0456 789 012"
    profiles: [accountant]
    adminRoles: [Global Administrator]
`;

describe("review: what a users.yaml change means for people", () => {
    it("an added person, with what defaults and profiles give them; a Global Administrator grant needs attention", () => {
        const diff = review(SMALL_FIRM, SMALL_FIRM + NEW_USER);
        assert.deepEqual(diff.people.map((p) => [p.key, p.kind]), [["zoe.new", "added"]]);
        const zoe = person(diff, "zoe.new");
        assert.deepEqual(zoe.groups.joined, ["All Staff", "Accountants"]);
        assert.deepEqual(zoe.adminRoles.granted, ["Global Administrator"]);
        assert.deepEqual(zoe.portal, { invited: true, removed: false, joined: ["Portal Users - AU", "XPM Users"], left: [] });
        assert.ok(zoe.attributes.some((a) => a.field === "mobilePhone" && a.to === "+61456789012"));
        assert.deepEqual(diff.attention, ["zoe.new is granted Global Administrator"]);
    });

    it("a removed person is only no longer managed, unless the base deployment deletes removed users", () => {
        const without = SMALL_FIRM.replace(/ {2}bob\.lee:\n(?: {4}.*\n)+/, "");
        const kept = person(review(SMALL_FIRM, without), "bob.lee");
        assert.deepEqual([kept.kind, kept.removal, kept.groups.left, kept.portal.removed], ["removed", "no longer managed", ["All Staff"], true]);
        const deleting = review(SMALL_FIRM, without, { deleteRemovedUsers: true });
        assert.equal(person(deleting, "bob.lee").removal, "deleted");
        assert.deepEqual(deleting.attention, ["bob.lee is deleted from Entra (account and mailbox)"]);
    });

    it("offboarding: sign-in blocked, admin and portal roles go, and privileged losses stand out", () => {
        const before = SMALL_FIRM.replace("adminRoles: [Exchange Administrator]", "adminRoles: [Exchange Administrator, Privileged Role Administrator]");
        const after = before.replace("    adminRoles: [Exchange Administrator, Privileged Role Administrator]\n", "    adminRoles: [Exchange Administrator, Privileged Role Administrator]\n    enabled: false\n");
        const jane = person(review(before, after), "jane.citizen");
        assert.equal(jane.offboarded, true);
        assert.deepEqual(jane.adminRoles.revoked, ["Exchange Administrator", "Privileged Role Administrator"]);
        assert.deepEqual(jane.portal, { invited: false, removed: true, joined: [], left: ["Portal Users - AU", "XPM Users"] });
        assert.deepEqual(jane.groups, { joined: [], left: [] }, "groups are kept while offboarded");
        assert.deepEqual(review(before, after).attention, [
            "jane.citizen loses Privileged Role Administrator",
            "jane.citizen's Entra record changes while they hold or lose an admin role: a sensitive update, which needs the deploying identity to hold Privileged Authentication Administrator",
        ]);
        assert.equal(jane.sensitiveUpdate, true);
        assert.equal(person(review(after, before), "jane.citizen").reenabled, true);
    });

    it("a rename (new UPN) and changed attributes show old → new", () => {
        const after = SMALL_FIRM.replace("jane.citizen@examplefirm.com.au", "jane.smith@examplefirm.com.au").replace("jobTitle: Senior Accountant", "jobTitle: Partner");
        const jane = person(review(SMALL_FIRM, after), "jane.citizen");
        assert.deepEqual(jane.renamed, { from: "jane.citizen@examplefirm.com.au", to: "jane.smith@examplefirm.com.au" });
        assert.deepEqual(jane.attributes, [
            { field: "mailNickname", from: "jane.citizen", to: "jane.smith" },
            { field: "jobTitle", from: "Senior Accountant", to: "Partner" },
        ]);
        assert.equal(describePerson(jane), "renamed jane.citizen@examplefirm.com.au → jane.smith@examplefirm.com.au; mailNickname jane.citizen → jane.smith; jobTitle Senior Accountant → Partner");
    });

    it("a field written null shows as cleared in Entra; one left out shows nothing", () => {
        const after = SMALL_FIRM.replace("jobTitle: Senior Accountant", "jobTitle: null");
        const jane = person(review(SMALL_FIRM, after), "jane.citizen");
        assert.deepEqual(jane.attributes, [{ field: "jobTitle", from: "Senior Accountant", to: "(cleared in Entra)" }]);
        const leftOut = SMALL_FIRM.replace("    jobTitle: Senior Accountant\n", "");
        const kept = person(review(SMALL_FIRM, leftOut), "jane.citizen");
        assert.deepEqual(kept.attributes, [{ field: "jobTitle", from: "Senior Accountant", to: undefined }]);
        assert.equal(describePerson(kept), "jobTitle Senior Accountant → (not stated: Entra keeps its value)");
    });

    it("an office set in defaults shows on every user; a manager change shows by key", () => {
        const after = SMALL_FIRM.replace("  usageLocation: AU\n", "  usageLocation: AU\n  officeLocation: Sydney\n").replace("    jobTitle: Senior Accountant\n", "    jobTitle: Senior Accountant\n    manager: bob.lee\n");
        const diff = review(SMALL_FIRM, after);
        assert.deepEqual(diff.people.map((p) => p.key), ["jane.citizen", "bob.lee", "ann.adopted", "pete.leaver"]);
        assert.deepEqual(person(diff, "jane.citizen").attributes, [
            { field: "officeLocation", from: undefined, to: "Sydney" },
            { field: "manager", from: undefined, to: "bob.lee" },
        ]);
        assert.equal(describePerson(person(diff, "bob.lee")), "officeLocation (none) → Sydney");
    });

    it("marks updates Graph treats as sensitive: a change to an admin's record, not to someone without admin roles", () => {
        const after = SMALL_FIRM.replace('mobilePhone: "0412 345 678"', 'mobilePhone: "0412 345 600"').replace('mobilePhone: "+64 21 123 4567"', 'mobilePhone: "+64 21 123 4500"');
        const diff = review(SMALL_FIRM, after);
        assert.equal(person(diff, "jane.citizen").sensitiveUpdate, true, "Exchange Administrator");
        assert.equal(person(diff, "bob.lee").sensitiveUpdate, undefined);
        const groupsOnly = review(SMALL_FIRM, SMALL_FIRM.replace("    adminRoles: [Exchange Administrator]\n", "    adminRoles: [Exchange Administrator]\n    groups: [Partners]\n"));
        assert.equal(person(groupsOnly, "jane.citizen").sensitiveUpdate, undefined, "a new membership does not update the user record");
    });

    it("a created group renamed with aliases, or written in a new letter case, is the same group: renamed, and nobody leaves or joins", () => {
        const renamed = SMALL_FIRM.replace("  Accountants: { description: Tax and accounting staff }", "  Tax Accountants: { description: Tax and accounting staff, aliases: [Accountants] }").replace("groups: [Accountants]", "groups: [Tax Accountants]");
        const diff = review(SMALL_FIRM, renamed);
        assert.deepEqual(diff.groups, { created: [], removed: [], renamed: [{ from: "Accountants", to: "Tax Accountants" }] });
        assert.deepEqual(diff.people, [], "jane.citizen is still in the same group");
        const text = renderReviewTerminal(diff, { file: "users.yaml", base: "main" }).join("\n");
        assert.match(text, /1 group renamed/);
        assert.match(text, /\n  Tax Accountants\s+renamed from Accountants \(the same group, its members kept\)/);

        const recased = review(SMALL_FIRM, SMALL_FIRM.replace(/Accountants/g, "ACCOUNTANTS"));
        assert.deepEqual(recased.groups.renamed, [{ from: "Accountants", to: "ACCOUNTANTS" }]);
        assert.deepEqual([recased.groups.created, recased.groups.removed, recased.people], [[], [], []]);

        const replaced = review(SMALL_FIRM, SMALL_FIRM.replace("  Accountants: { description: Tax and accounting staff }", "  Tax Team: { description: Tax }").replace("groups: [Accountants]", "groups: [Tax Team]"));
        assert.deepEqual(replaced.groups, { created: ["Tax Team"], removed: ["Accountants"], renamed: [] }, "without aliases it is a new group");
        assert.deepEqual(person(replaced, "jane.citizen").groups, { joined: ["Tax Team"], left: ["Accountants"] });
    });

    it("a profile change reaches every user with that profile", () => {
        const many = SMALL_FIRM.replace("    mobilePhone: \"+64 21 123 4567\"\n", "    mobilePhone: \"+64 21 123 4567\"\n    profiles: [accountant]\n");
        const after = many.replace("    groups: [Accountants]\n    practiceProtect: { roles: [XPM Users] }", "    groups: [Accountants, Tax Team]\n    practiceProtect: { roles: [XPM Users, Sign Off] }");
        const diff = review(many, after);
        assert.deepEqual(diff.people.map((p) => p.key).sort(), ["bob.lee", "jane.citizen"]);
        for (const p of diff.people) {
            assert.deepEqual(p.groups.joined, ["Tax Team"]);
            assert.deepEqual(p.portal.joined, ["Sign Off"]);
        }
    });

    it("a change of the service account's access needs attention; nothing else changed says so", () => {
        const diff = review(SMALL_FIRM, SMALL_FIRM, { serviceAccountAccess: "mail" }, { serviceAccountAccess: "full" });
        assert.deepEqual(diff.people, []);
        assert.deepEqual(diff.attention, ["the practiceprotect service account: Exchange Administrator (mail) → Global Administrator (full)"]);
        assert.deepEqual(review(SMALL_FIRM, SMALL_FIRM).attention, []);
    });

    it("markdown: a summary line, a warning for what needs attention, a table per kind of change, details folded", () => {
        const after = (SMALL_FIRM + NEW_USER).replace("jobTitle: Senior Accountant", "jobTitle: Partner");
        const lines = renderReviewMarkdown(review(SMALL_FIRM, after), { file: "users.yaml", base: "origin/main" });
        assert.equal(lines[0], "**1 added, 1 changed** · users.yaml: origin/main → working tree");
        const text = lines.join("\n");
        assert.match(text, /\n> \[!WARNING\]\n> \*\*Needs attention\*\*\n> - zoe\.new is granted Global Administrator\n/);
        assert.match(text, /\n### Added\n\n\| user \| name \| mobile \| groups \| admin roles \| portal roles \| account \|\n\|---\|---\|---\|---\|---\|---\|---\|\n\| zoe\.new \| Zoe New \| \+61456789012 \| All Staff, Accountants \| Global Administrator \| Portal Users - AU, XPM Users \| new account \|\n/);
        assert.match(text, /\n### Changed attributes\n\n\| user \| field \| from \| to \|\n\|---\|---\|---\|---\|\n\| jane\.citizen \| jobTitle \| Senior Accountant \| Partner \|\n/);
        assert.match(
            text,
            /\n<details><summary>Details per person<\/summary>\n\n- \*\*jane\.citizen\*\* \(Jane Citizen\): jobTitle Senior Accountant → Partner\n- \*\*zoe\.new\*\* \(Zoe New\): added; joins All Staff, Accountants; gets Global Administrator; is invited to Practice Protect; gets Portal Users - AU, XPM Users in the portal\n/,
        );
        assert.ok(text.endsWith("</details>"));
    });
});

/** What each format says: the terminal's and markdown's "Needs attention" lines, and the json's attention (the diff as `--format json` prints it). */
function inEveryFormat(diff: ReviewDiff) {
    const heading = { file: "users.yaml", base: "main" };
    const terminal = renderReviewTerminal(diff, heading);
    const markdown = renderReviewMarkdown(diff, heading);
    const json = JSON.parse(JSON.stringify({ summary: "", ...diff })) as ReviewDiff;
    return {
        terminal: terminal.filter((l) => l.startsWith("  ! ")).map((l) => l.slice(4)),
        markdown: markdown.filter((l) => l.startsWith("> - ")).map((l) => l.slice(4)),
        json: json.attention,
        terminalText: terminal.join("\n"),
        markdownText: markdown.join("\n"),
        people: json.people,
    };
}

/** Asserts the exact "Needs attention" lines in the terminal, markdown and json formats. */
function expectAttention(diff: ReviewDiff, expected: string[]) {
    const all = inEveryFormat(diff);
    assert.deepEqual(all.terminal, expected, "terminal");
    assert.deepEqual(all.markdown, expected, "markdown");
    assert.deepEqual(all.json, expected, "json");
    if (expected.length) {
        assert.ok(all.terminalText.includes("\nNeeds attention\n"), "terminal heading");
        assert.ok(all.markdownText.includes("\n> [!WARNING]\n> **Needs attention**\n"), "markdown heading");
    }
    return all;
}

const withRoles = (roles: string) => SMALL_FIRM.replace("adminRoles: [Exchange Administrator]", `adminRoles: [${roles}]`);
const ROLE_GROUP = "existingGroups:\n  Tenant Admins: { grantsRoles: true }\n";
/** bob.lee in these groups. */
const inGroups = (firm: string, groups: string) => firm.replace("    usageLocation: NZ\n", `    usageLocation: NZ\n    groups: [${groups}]\n`);

describe("review: every grant of privilege stands out, in every format", () => {
    it("a privileged role beyond the old three (Helpdesk Administrator) needs attention; a role that is not privileged (Reports Reader) does not", () => {
        const diff = review(SMALL_FIRM, withRoles("Exchange Administrator, Helpdesk Administrator, Reports Reader"));
        assert.deepEqual(person(diff, "jane.citizen").adminRoles, { granted: ["Helpdesk Administrator", "Reports Reader"], revoked: [] });
        const all = expectAttention(diff, ["jane.citizen is granted Helpdesk Administrator"]);
        assert.ok(
            all.terminalText.endsWith(["Access", "  user          groups  admin roles                               portal  licences", "  jane.citizen  -       +Helpdesk Administrator, +Reports Reader  -       -"].join("\n")),
            all.terminalText,
        );
        assert.ok(all.markdownText.includes("\n| jane.citizen | - | +Helpdesk Administrator, +Reports Reader | - | - |\n"));
    });

    it("every role users.yaml can assign that Microsoft marks privileged is under attention when granted and when revoked", () => {
        const cases = ["Application Administrator", "Cloud Application Administrator", "Authentication Administrator", "Conditional Access Administrator", "Password Administrator", "User Administrator", "Security Administrator", "Intune Administrator", "Hybrid Identity Administrator", "Global Reader", "Security Reader"];
        for (const role of cases) {
            expectAttention(review(SMALL_FIRM, withRoles(`Exchange Administrator, ${role}`)), [`jane.citizen is granted ${role}`]);
            expectAttention(review(withRoles(`Exchange Administrator, ${role}`), SMALL_FIRM), [`jane.citizen loses ${role}`]);
        }
        for (const role of ["Billing Administrator", "License Administrator", "Groups Administrator", "Reports Reader", "Service Support Administrator"]) expectAttention(review(SMALL_FIRM, withRoles(`Exchange Administrator, ${role}`)), []);
    });

    it("a change that only revokes an admin role shows in every format: a privileged one under attention, any one under Access", () => {
        const privileged = review(withRoles("Exchange Administrator, Helpdesk Administrator"), SMALL_FIRM);
        assert.deepEqual(privileged.people.map((p) => [p.key, p.kind, p.adminRoles.revoked]), [["jane.citizen", "changed", ["Helpdesk Administrator"]]]);
        const all = expectAttention(privileged, ["jane.citizen loses Helpdesk Administrator"]);
        assert.ok(all.terminalText.endsWith("\n  jane.citizen  -       −Helpdesk Administrator  -       -"), all.terminalText);
        assert.ok(all.markdownText.includes("\n| jane.citizen | - | −Helpdesk Administrator | - | - |\n"));
        assert.ok(all.markdownText.includes("\n- **jane.citizen** (Jane Citizen): loses Helpdesk Administrator\n"));
        assert.deepEqual(all.people.map((p) => p.adminRoles), [{ granted: [], revoked: ["Helpdesk Administrator"] }]);

        const plain = review(SMALL_FIRM, SMALL_FIRM.replace("    adminRoles: [Exchange Administrator]\n", ""));
        const shown = expectAttention(plain, []);
        assert.equal(reviewSummaryOf(plain), "1 changed");
        assert.ok(
            shown.terminalText.endsWith(["1 changed", "", "Access", "  user          groups  admin roles              portal  licences", "  jane.citizen  -       −Exchange Administrator  -       -"].join("\n")),
            shown.terminalText,
        );
        assert.ok(shown.markdownText.includes("\n| jane.citizen | - | −Exchange Administrator | - | - |\n"));
        assert.deepEqual(shown.people.map((p) => [p.key, p.adminRoles]), [["jane.citizen", { granted: [], revoked: ["Exchange Administrator"] }]]);
    });

    it("joining or leaving a group acknowledged as role-assignable needs attention; so does the acknowledgement of a group in use", () => {
        const base = SMALL_FIRM + ROLE_GROUP;
        const joined = inGroups(base, "Tenant Admins");
        expectAttention(review(base, joined), [
            "bob.lee joins Tenant Admins, a role-assignable group: they get its directory roles",
            "Tenant Admins is a role-assignable group (acknowledged under existingGroups): everyone users.yaml puts in it holds its directory roles",
        ]);
        const bothUse = (firm: string) => firm.replace("    profiles: [accountant]\n", "    profiles: [accountant]\n    groups: [Tenant Admins]\n");
        expectAttention(review(bothUse(base), bothUse(joined)), ["bob.lee joins Tenant Admins, a role-assignable group: they get its directory roles"]);
        expectAttention(review(bothUse(joined), bothUse(base)), ["bob.lee leaves Tenant Admins, a role-assignable group: they lose its directory roles"]);
        // Taking the acknowledgement out in the same change does not hide the join.
        expectAttention(review(bothUse(base), bothUse(joined).replace(ROLE_GROUP, "")), ["bob.lee joins Tenant Admins, a role-assignable group: they get its directory roles"]);
        // A group without the acknowledgement is an ordinary existing group.
        expectAttention(review(inGroups(SMALL_FIRM, "Partners"), inGroups(SMALL_FIRM, "Partners, Tenant Admins")), []);
    });

    it("a change to the record of someone in a role-assignable group is a sensitive update, admin role or not", () => {
        const before = inGroups(SMALL_FIRM + ROLE_GROUP, "Tenant Admins");
        const diff = review(before, before.replace('mobilePhone: "+64 21 123 4567"', 'mobilePhone: "+64 21 123 4500"'));
        assert.equal(person(diff, "bob.lee").sensitiveUpdate, true);
        expectAttention(diff, ["bob.lee's Entra record changes while they are in a role-assignable group: a sensitive update, which needs the deploying identity to hold Privileged Authentication Administrator"]);
        const plain = inGroups(SMALL_FIRM, "Tenant Admins");
        expectAttention(review(plain, plain.replace('mobilePhone: "+64 21 123 4567"', 'mobilePhone: "+64 21 123 4500"')), []);
    });

    it("adopting an existing account by objectId always needs attention, with what adoption: acknowledges", () => {
        const adopter = (fields: string) => `  zoe.new:\n    userPrincipalName: zoe.new@examplefirm.com.au\n    displayName: Zoe New\n    mobilePhone: "0456 789 012"\n    objectId: 0f8fad5b-d9cb-469f-a165-70867728950e\n${fields}`;
        expectAttention(review(SMALL_FIRM, SMALL_FIRM + adopter("")), ["zoe.new adopts an existing account (objectId 0f8fad5b-d9cb-469f-a165-70867728950e); check whose it is"]);
        const acknowledged = adopter("    adoption:\n      currentUserPrincipalName: zoe.old@examplefirm.com.au\n      privilegedRoles: [Global Reader, Intune Administrator]\n");
        const diff = review(SMALL_FIRM, SMALL_FIRM + acknowledged);
        expectAttention(diff, [
            "zoe.new adopts an existing account (objectId 0f8fad5b-d9cb-469f-a165-70867728950e); check whose it is; it signs in as zoe.old@examplefirm.com.au now: adopting renames it to zoe.new@examplefirm.com.au; it holds the privileged roles Global Reader, Intune Administrator, which it keeps",
        ]);
        assert.equal(describePerson(person(diff, "zoe.new")).split(";")[0], "added, adopting the existing Entra account 0f8fad5b-d9cb-469f-a165-70867728950e");

        // An entry that gains an objectId, or whose objectId changes, adopts an account too.
        const gains = SMALL_FIRM.replace("    usageLocation: NZ\n", "    usageLocation: NZ\n    objectId: 0f8fad5b-d9cb-469f-a165-70867728950e\n");
        expectAttention(review(SMALL_FIRM, gains), ["bob.lee adopts an existing account (objectId 0f8fad5b-d9cb-469f-a165-70867728950e); check whose it is"]);
        const moved = SMALL_FIRM.replace("11111111-2222-3333-4444-555555555555", "0f8fad5b-d9cb-469f-a165-70867728950e");
        expectAttention(review(SMALL_FIRM, moved), ["ann.adopted adopts an existing account (objectId 0f8fad5b-d9cb-469f-a165-70867728950e, was 11111111-2222-3333-4444-555555555555); check whose it is"]);
        // Nothing new is adopted when the objectId stays (in any letter case).
        expectAttention(review(SMALL_FIRM, SMALL_FIRM.replace("11111111-2222-3333-4444-555555555555", "11111111-2222-3333-4444-555555555555".toUpperCase())), []);
    });

    it("removing a person whose account stays enabled needs attention; one already offboarded stays blocked and does not", () => {
        const withoutBob = SMALL_FIRM.replace(/ {2}bob\.lee:\n(?: {4}.*\n)+/, "");
        const all = expectAttention(review(SMALL_FIRM, withoutBob), [
            "bob.lee is removed from users.yaml but their account stays enabled: they can still sign in and keep their licences and mailbox; to offboard, set enabled: false",
        ]);
        assert.ok(
            all.terminalText.endsWith(
                ["Removed", "  user     name     Entra account                                                  portal", "  bob.lee  Bob Lee  kept in Entra, no longer managed (still enabled: can sign in)  removed from the portal"].join("\n"),
            ),
            all.terminalText,
        );
        assert.ok(all.markdownText.includes("\n- **bob.lee** (Bob Lee): removed from users.yaml; the account stays, no longer managed, and enabled; leaves All Staff; is removed from Practice Protect; leaves Portal Users - AU in the portal\n"));

        const withoutPete = SMALL_FIRM.replace(/ {2}pete\.leaver:\n(?: {4}.*\n)+/, "");
        const pete = expectAttention(review(SMALL_FIRM, withoutPete), []);
        assert.ok(pete.markdownText.includes("\n| pete.leaver | Pete Leaver | kept in Entra, no longer managed (offboarded: sign-in stays blocked) | - |\n"));
        expectAttention(review(SMALL_FIRM, withoutBob, { deleteRemovedUsers: true }), ["bob.lee is deleted from Entra (account and mailbox)"]);

        // An adopted account acknowledged to hold privileged roles keeps them: this program did not assign them.
        const acknowledged = SMALL_FIRM.replace("    objectId: 11111111-2222-3333-4444-555555555555\n", "    objectId: 11111111-2222-3333-4444-555555555555\n    adoption: { privilegedRoles: [Global Administrator] }\n");
        const withoutAnn = acknowledged.replace(/ {2}ann\.adopted:\n(?: {4}.*\n)+/, "");
        expectAttention(review(acknowledged, withoutAnn), [
            "ann.adopted is removed from users.yaml but their account stays enabled: they can still sign in and keep their licences and mailbox, and the privileged role Global Administrator the account held when adopted; to offboard, set enabled: false",
        ]);
    });
});

describe("npm run plan -- --base: against a real git repository", function () {
    this.timeout(60_000);
    const repo = (files: Record<string, string>) => {
        const dir = mkdtempSync(join(tmpdir(), "review-"));
        for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
        commitEverything(dir);
        return dir;
    };
    const PULUMI_YAML = "name: practiceprotect-users\nruntime: nodejs\n";

    it("reviews the working tree against the base commit, in each format", async () => {
        const dir = repo({ "Pulumi.yaml": PULUMI_YAML, "Pulumi.dev.yaml": "config:\n  practiceprotect-users:serviceAccountAccess: mail\n", "users.yaml": SMALL_FIRM });
        writeFileSync(join(dir, "users.yaml"), SMALL_FIRM + NEW_USER);
        writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  practiceprotect-users:serviceAccountAccess: full\n");
        const terminal = captureIO();
        assert.equal(await inDir(dir, () => planCommand(["--base", "main"], terminal)), 0);
        assert.deepEqual(terminal.stdout.slice(0, 7), [
            "Review of users.yaml: main → working tree",
            "1 added, service account changed, 1 configuration change",
            "",
            "Needs attention",
            "  ! zoe.new is granted Global Administrator",
            "  ! the practiceprotect service account: Exchange Administrator (mail) → Global Administrator (full)",
            "  ! configuration practiceprotect-users:serviceAccountAccess: 'mail' → 'full'",
        ]);
        const json = captureIO();
        await inDir(dir, () => planCommand(["--base", "main", "--format", "json"], json));
        const parsed = JSON.parse(json.stdout.join("\n"));
        assert.equal(parsed.base, "main");
        assert.equal(parsed.summary, "1 added, service account changed, 1 configuration change");
        assert.deepEqual(parsed.people.map((p: { key: string }) => p.key), ["zoe.new"]);
        const markdown = captureIO();
        await inDir(dir, () => planCommand(["--base", "main", "--format", "markdown"], markdown));
        assert.equal(markdown.stdout[0], "**1 added, service account changed, 1 configuration change** · users.yaml: main → working tree");
    });

    it("a pull request that only revokes a privileged role, removes someone still enabled and adopts an account: each format lists them under attention", async () => {
        const base = withRoles("Exchange Administrator, Helpdesk Administrator");
        const dir = repo({ "Pulumi.yaml": PULUMI_YAML, "users.yaml": base });
        const adopter = `  zoe.new:\n    userPrincipalName: zoe.new@examplefirm.com.au\n    displayName: Zoe New\n    mobilePhone: "0456 789 012"\n    objectId: 0f8fad5b-d9cb-469f-a165-70867728950e\n`;
        writeFileSync(join(dir, "users.yaml"), SMALL_FIRM.replace(/ {2}bob\.lee:\n(?: {4}.*\n)+/, "") + adopter);
        const expected = [
            "jane.citizen loses Helpdesk Administrator",
            "zoe.new adopts an existing account (objectId 0f8fad5b-d9cb-469f-a165-70867728950e); check whose it is",
            "bob.lee is removed from users.yaml but their account stays enabled: they can still sign in and keep their licences and mailbox; to offboard, set enabled: false",
        ];
        const terminal = captureIO();
        assert.equal(await inDir(dir, () => planCommand(["--base", "main"], terminal)), 0);
        assert.deepEqual(terminal.stdout.slice(0, 8), ["Review of users.yaml: main → working tree", "1 added, 1 removed, 1 changed", "", "Needs attention", ...expected.map((a) => `  ! ${a}`), ""]);
        const markdown = captureIO();
        await inDir(dir, () => planCommand(["--base", "main", "--format", "markdown"], markdown));
        const at = markdown.stdout.indexOf("> **Needs attention**");
        assert.deepEqual(markdown.stdout.slice(at - 1, at + 5), ["> [!WARNING]", "> **Needs attention**", ...expected.map((a) => `> - ${a}`), ""]);
        const json = captureIO();
        await inDir(dir, () => planCommand(["--base", "main", "--format", "json"], json));
        const parsed = JSON.parse(json.stdout.join("\n"));
        assert.deepEqual(parsed.attention, expected);
        assert.deepEqual(parsed.people.find((p: { key: string }) => p.key === "jane.citizen").adminRoles, { granted: [], revoked: ["Helpdesk Administrator"] });
    });

    it("reports a base where users.yaml is missing or invalid, and shows everything as new", async () => {
        const dir = repo({ "Pulumi.yaml": PULUMI_YAML, "README.md": "nothing yet\n" });
        writeFileSync(join(dir, "users.yaml"), SMALL_FIRM);
        const missing = captureIO();
        assert.equal(await inDir(dir, () => planCommand(["--base", "main"], missing)), 0);
        assert.equal(missing.stdout[1], "users.yaml does not exist at main: everything is shown as new");
        assert.equal(missing.stdout[2], "4 added, 1 group created");

        const broken = repo({ "Pulumi.yaml": PULUMI_YAML, "users.yaml": "users:\n  x: { displayName: X }\n" });
        writeFileSync(join(broken, "users.yaml"), SMALL_FIRM);
        const invalid = captureIO();
        assert.equal(await inDir(broken, () => planCommand(["--base", "main"], invalid)), 0);
        assert.equal(invalid.stdout[1], "users.yaml at main does not validate (1 error: main:users.yaml:2:3: error: user 'x': userPrincipalName is required: add userPrincipalName: ...): everything is shown as new");
    });

    it("names a base revision git does not know, and how to fetch it", async () => {
        const dir = repo({ "Pulumi.yaml": PULUMI_YAML, "users.yaml": SMALL_FIRM });
        await assert.rejects(inDir(dir, () => planCommand(["--base", "origin/main"], captureIO())), (e: Error) => e instanceof UsageError && /--base origin\/main: git does not know this revision; fetch it first/.test(e.message));
        await assert.rejects(inDir(dir, () => planCommand(["--format", "html"], captureIO())), /--format html: use terminal, markdown or json/);
    });
});
