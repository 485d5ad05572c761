import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { ADMIN_ROLE_TEMPLATE_IDS } from "../model";
import { SMALL_FIRM, writeUsersYaml } from "./support/fixtures";
import { byType, deploy, deployFailure, isSecretInput, named } from "./support/program";
import { assertEvery } from "./support/assertEvery";

const USER = "azuread:index/user:User";
const GROUP = "azuread:index/group:Group";
const MEMBERS = "pulumi-nodejs:dynamic/entra:ExistingGroupMembers";
const ROLE = "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment";
const VAULT_SECRET = "azure-native:keyvault:Secret";
const ALL_STAFF_ID = "0a0a0a0a-0000-0000-0000-000000000001";
const tenantGroups = { "All Staff": ALL_STAFF_ID };

describe("program: users.yaml → Entra resources", () => {
    const file = writeUsersYaml(SMALL_FIRM);

    it("declares every user field, with the mobile number in E.164 and the merged department", async () => {
        const run = await deploy(file, { tenantGroups });
        const jane = named(run, USER, "jane.citizen");
        const { password, ...inputs } = jane.inputs;
        assert.deepEqual(inputs, {
            userPrincipalName: "jane.citizen@examplefirm.com.au",
            mailNickname: "jane.citizen",
            displayName: "Jane Citizen",
            givenName: "Jane",
            surname: "Citizen",
            mobilePhone: "+61412345678",
            jobTitle: "Senior Accountant",
            department: "Tax",
            usageLocation: "AU",
            accountEnabled: true,
            forcePasswordChange: true,
        });
        assert.ok(isSecretInput(password), "the initial password reaches the engine only as a secret");
        assert.equal(jane.parent, "urn:pulumi:dev::practiceprotect-users::firm:entra:Directory::firm", "one resource per person, no per-person component");
        assert.equal(named(run, USER, "bob.lee").inputs.mobilePhone, "+64211234567");
        assert.equal(named(run, USER, "bob.lee").inputs.usageLocation, "NZ");
    });

    it("gives created users a generated password that a later run never resets", async () => {
        const run = await deploy(file, { tenantGroups });
        const passwords = ["jane.citizen", "bob.lee"].map((key) => named(run, USER, key).inputs.password as { value: string });
        for (const p of passwords) {
            assert.ok(isSecretInput(p));
            assert.match(p.value, /^(?=(.*[A-Z]){2})(?=(.*[a-z]){2})(?=(.*[0-9]){2})(?=(.*[!#%*\-_=+?]){2})[A-Za-z0-9!#%*\-_=+?]{20}$/, "20 characters, two of each class");
        }
        assert.notEqual(passwords[0].value, passwords[1].value, "each person gets their own");
        const again = await deploy(file, { tenantGroups });
        assert.notEqual((named(again, USER, "jane.citizen").inputs.password as { value: string }).value, passwords[0].value, "a new value every run: only the one at creation is used");
        const ignored = named(run, USER, "jane.citizen").ignoreChanges;
        assert.ok(ignored.includes("password") && ignored.includes("forcePasswordChange"), "the password is set at creation only");
        const secret = (run.rawOutputs.initialPasswords as pulumi.Output<unknown>);
        assert.equal(await pulumi.isSecret(secret), true);
        assert.deepEqual(Object.keys(run.outputs.initialPasswords as object).sort(), ["bob.lee", "jane.citizen", "pete.leaver"], "every created user, not the adopted one");
    });

    it("adopts a user with an objectId by import, without a password", async () => {
        const run = await deploy(file, { tenantGroups });
        const ann = named(run, USER, "ann.adopted");
        assert.equal(ann.importId, "/users/11111111-2222-3333-4444-555555555555");
        assert.equal(ann.inputs.password, undefined);
        assert.equal(ann.inputs.forcePasswordChange, undefined);
        assert.equal(named(run, USER, "jane.citizen").importId, undefined);
        assert.deepEqual((run.outputs.users as any)["ann.adopted"], { userPrincipalName: "ann@examplefirm.com.au", objectId: "11111111-2222-3333-4444-555555555555" });
    });

    it("puts each user in defaults ∪ profiles ∪ own groups: a created group lists its members, an existing one gets one resource with its members", async () => {
        const run = await deploy(file, { tenantGroups });
        const users = run.outputs.users as Record<string, { objectId: string }>;
        const accountants = named(run, GROUP, "accountants");
        const { members, ...inputs } = accountants.inputs;
        assert.deepEqual(inputs, {
            displayName: "Accountants",
            description: "Tax and accounting staff",
            securityEnabled: true,
            mailEnabled: false,
            preventDuplicateNames: true,
        });
        assert.deepEqual(members, [users["jane.citizen"].objectId], "one resource for the group's members, authoritative");
        const allStaff = byType(run, MEMBERS);
        assert.equal(allStaff.length, 1, "one resource for the existing group, not one per person");
        assert.equal(allStaff[0].name, `members-of-${ALL_STAFF_ID}`);
        assert.equal(allStaff[0].inputs.groupObjectId, ALL_STAFF_ID);
        assert.deepEqual(
            allStaff[0].inputs.members,
            ["jane.citizen", "bob.lee", "ann.adopted", "pete.leaver"].map((key) => ({ key, objectId: users[key].objectId })),
            "every user is in All Staff, the offboarded one too",
        );
    });

    it("keeps the same resources when a group's letter case changes, or a created group is renamed with an alias", async () => {
        const before = await deploy(file, { tenantGroups });
        const recased = writeUsersYaml(SMALL_FIRM.replace("groups: [All Staff]", "groups: [ALL STAFF]").replace(/Accountants/g, "ACCOUNTANTS"));
        const after = await deploy(recased, { tenantGroups });
        const urns = (run: typeof before) => run.registrations.filter((r) => r.type === MEMBERS || r.type === GROUP).map((r) => r.urn).sort();
        assert.deepEqual(urns(after), urns(before));
        assert.equal(named(after, GROUP, "accountants").inputs.displayName, "ACCOUNTANTS", "the new spelling is an update in place");
        assert.equal(byType(after, MEMBERS)[0].inputs.groupName, "All Staff", "Entra's spelling");

        const renamed = await deploy(writeUsersYaml(SMALL_FIRM.replace("  Accountants: { description: Tax and accounting staff }", "  Tax Accountants: { description: Tax and accounting staff, aliases: [Accountants] }").replace("groups: [Accountants]", "groups: [Tax Accountants]")), { tenantGroups });
        const group = named(renamed, GROUP, "tax accountants");
        assert.equal(group.inputs.displayName, "Tax Accountants");
        assert.deepEqual(group.aliases, [
            "urn:pulumi:dev::practiceprotect-users::firm:entra:Access$azuread:index/group:Group::Tax Accountants",
            "urn:pulumi:dev::practiceprotect-users::firm:entra:Access$azuread:index/group:Group::Accountants",
            "urn:pulumi:dev::practiceprotect-users::firm:entra:Access$azuread:index/group:Group::accountants",
        ], "its earlier names, so pulumi up renames the same group");
    });

    it("without licences, a created person's created groups and roles wait for the existing groups they are put in (which wait until Graph shows them)", async () => {
        const run = await deploy(file, { tenantGroups });
        const allStaff = byType(run, MEMBERS)[0].urn;
        assert.ok(named(run, GROUP, "accountants").dependencies.includes(allStaff), "Jane (created) is in Accountants and All Staff");
        assert.ok(named(run, ROLE, "jane.citizen-as-Exchange Administrator").dependencies.includes(allStaff));
        assert.ok(!byType(run, MEMBERS)[0].dependencies.some((d) => d.includes("azuread:index/group:Group") || d.includes("DirectoryRoleAssignment")), "and nothing the other way round");
    });

    it("assigns admin roles by built-in template id, and none to an offboarded user", async () => {
        const run = await deploy(file, { tenantGroups });
        const assignment = named(run, ROLE, "jane.citizen-as-Exchange Administrator");
        assert.equal(assignment.inputs.roleId, "29232cdf-9323-42fd-ade2-1d097af3e4de");
        assert.equal(assignment.inputs.principalObjectId, (run.outputs.users as any)["jane.citizen"].objectId);
        assert.equal(byType(run, ROLE).length, 1, "pete.leaver's Global Administrator is not assigned while offboarded");
        assert.deepEqual(run.warnings, [`${file}:38:17: warning: user 'pete.leaver' is offboarded (enabled: false), so these admin roles are not assigned; remove them to make that explicit`]);
        assert.equal(named(run, USER, "pete.leaver").inputs.accountEnabled, false);
    });

    it("keeps users and groups in Entra when they leave the file, unless the stack says delete", async () => {
        const kept = await deploy(file, { tenantGroups });
        assertEvery(byType(kept, USER), (u) => u.retainOnDelete === true, "users kept");
        assertEvery(byType(kept, GROUP), (g) => g.retainOnDelete === true, "groups kept");
        assertEvery(byType(kept, MEMBERS), (m) => !m.retainOnDelete, "memberships granted by the file go with it");
        const deleting = await deploy(file, { tenantGroups, config: { deleteRemovedUsers: "true", deleteRemovedGroups: "true" } });
        assertEvery(byType(deleting, USER), (u) => !u.retainOnDelete, "users deleted");
        assertEvery(byType(deleting, GROUP), (g) => !g.retainOnDelete, "groups deleted");
    });

    it("updates a renamed user in place: a new UPN and display name keep every URN", async () => {
        const before = await deploy(file, { tenantGroups });
        const renamed = writeUsersYaml(
            SMALL_FIRM.replace("jane.citizen@examplefirm.com.au", "jane.smith@examplefirm.com.au").replace("displayName: Jane Citizen", "displayName: Jane Smith"),
        );
        const after = await deploy(renamed, { tenantGroups });
        const urns = (run: typeof before) => run.registrations.filter((r) => r.name.startsWith("jane.")).map((r) => r.urn).sort();
        assert.deepEqual(urns(after), urns(before));
        assert.equal(named(after, USER, "jane.citizen").inputs.userPrincipalName, "jane.smith@examplefirm.com.au");
        assert.equal(named(after, USER, "jane.citizen").inputs.displayName, "Jane Smith");
        assert.equal(named(after, USER, "jane.citizen").inputs.mailNickname, "jane.smith");
    });

    it("exports each user's UPN and object id, and no service account when none is configured", async () => {
        const run = await deploy(file, { tenantGroups });
        assert.deepEqual(Object.keys(run.outputs.users as object), ["jane.citizen", "bob.lee", "ann.adopted", "pete.leaver"]);
        assert.equal((run.outputs.users as any)["bob.lee"].userPrincipalName, "bob.lee@examplefirm.com.au");
        assert.equal(run.outputs.serviceAccountUpn, undefined);
        assert.equal(run.registrations.filter((r) => r.type === "firm:entra:ServiceAccount").length, 0);
    });
});

describe("program: the practiceprotect service account", () => {
    const file = writeUsersYaml(SMALL_FIRM);

    for (const [access, role] of [["full", "Global Administrator"], ["mail", "Exchange Administrator"]] as const) {
        it(`access: ${access} creates practiceprotect@<initial domain> as ${role}, protected, with no licence`, async () => {
            const run = await deploy(file, { tenantGroups, initialDomain: "examplefirm.onmicrosoft.com", config: { serviceAccountAccess: access } });
            const user = named(run, USER, "practiceprotect-service-account");
            const { password, ...inputs } = user.inputs;
            assert.deepEqual(inputs, {
                userPrincipalName: "practiceprotect@examplefirm.onmicrosoft.com",
                displayName: "Practice Protect",
                givenName: "Practice",
                surname: "Protect",
                usageLocation: "AU",
                forcePasswordChange: true,
            });
            assert.ok(isSecretInput(password));
            assert.equal(user.protect, true);
            assert.equal(run.outputs.serviceAccountPassword, (password as { value: string }).value, "handed over: the password the account is created with");
            assert.equal(run.registrations.filter((r) => r.type.startsWith("random:")).length, 0, "no password resource, no random provider");
            const assignments = byType(run, ROLE).filter((r) => r.name.startsWith("practiceprotect-service-account"));
            assert.deepEqual(assignments.map((a) => [a.name, a.inputs.roleId]), [[`practiceprotect-service-account-as-${role}`, ADMIN_ROLE_TEMPLATE_IDS[role]]]);
            assert.equal(run.outputs.serviceAccountUpn, "practiceprotect@examplefirm.onmicrosoft.com");
            assert.equal(await pulumi.isSecret(run.rawOutputs.serviceAccountPassword as pulumi.Output<string>), true);
            assert.ok(run.invokes.includes("azuread:index/getDomains:getDomains"));
            assert.equal(byType(run, VAULT_SECRET).length, 0);
        });
    }

    it("uses a configured onmicrosoft.com domain without looking one up", async () => {
        const run = await deploy(file, { tenantGroups, config: { serviceAccountAccess: "mail", serviceAccountDomain: "harbourfinch.onmicrosoft.com" } });
        assert.equal(named(run, USER, "practiceprotect-service-account").inputs.userPrincipalName, "practiceprotect@harbourfinch.onmicrosoft.com");
        assert.ok(!run.invokes.includes("azuread:index/getDomains:getDomains"));
    });

    it("with a Key Vault, replaces the first password with one only the vault holds, before the account becomes an admin, and exports no password", async () => {
        const vault = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-identity/providers/Microsoft.KeyVault/vaults/kv-firm";
        // The vault is the environment's choice (SERVICE_ACCOUNT_KEY_VAULT_ID), never a committed file's alone.
        process.env.SERVICE_ACCOUNT_KEY_VAULT_ID = vault;
        const run = await deploy(file, { tenantGroups, config: { serviceAccountAccess: "full" } }).finally(() => delete process.env.SERVICE_ACCOUNT_KEY_VAULT_ID);
        const secrets = byType(run, VAULT_SECRET);
        assert.deepEqual(
            secrets.map((s) => [s.name, s.inputs.resourceGroupName, s.inputs.vaultName, s.inputs.secretName, s.inputs.properties.value]),
            [["practiceprotect-service-account-username", "rg-identity", "kv-firm", "practiceprotect-service-account-username", "practiceprotect@examplefirm.onmicrosoft.com"]],
            "the username only: no Key Vault secret resource holds the password, so the state does not",
        );
        const [vaulted] = byType(run, "pulumi-nodejs:dynamic/entra:VaultedPassword");
        const user = named(run, USER, "practiceprotect-service-account");
        assert.equal(vaulted.name, "practiceprotect-service-account-vaulted-password");
        assert.deepEqual(
            { vaultName: vaulted.inputs.vaultName, secretName: vaulted.inputs.secretName, userPrincipalName: vaulted.inputs.userPrincipalName },
            { vaultName: "kv-firm", secretName: "practiceprotect-service-account-initial-password", userPrincipalName: "practiceprotect@examplefirm.onmicrosoft.com" },
        );
        assert.ok(vaulted.dependencies.includes(user.urn), "the user's object id");
        assert.ok(!JSON.stringify(vaulted.inputs).includes((user.inputs.password as { value: string }).value), "the creation password is no input of the resource");
        const [assignment] = byType(run, ROLE).filter((r) => r.name.startsWith("practiceprotect-service-account"));
        assert.ok(assignment.dependencies.includes(vaulted.urn), "the password is replaced while the account holds no admin role");
        assert.equal(run.outputs.serviceAccountPassword, undefined);
    });

    it("counts a full-access service account towards maxGlobalAdmins and then declares nothing", async () => {
        const admins = ["a1", "a2", "a3", "a4"]
            .map((k, i) => `  ${k}:\n    userPrincipalName: ${k}@examplefirm.com.au\n    displayName: Admin ${k}\n    mobilePhone: "041234567${i}"\n    adminRoles: [Global Administrator]\n`)
            .join("");
        const many = writeUsersYaml(`defaults:\n  usageLocation: AU\nusers:\n${admins}`);
        assert.ok((await deploy(many, { config: { serviceAccountAccess: "mail" } })).registrations.length > 0, "4 is within the default limit");
        const failure = await deployFailure(many, { config: { serviceAccountAccess: "full" } });
        assert.match(failure.message, /users\.yaml:23:18: error: 5 Global Administrators \(a1, a2, a3, a4, the practiceprotect service account\) but the default limit is 4/);
        assert.equal(failure.registrations.length, 0);
    });
});

describe("program: nothing is declared unless everything is valid", () => {
    it("registers no resource when users.yaml has errors, and reports each at file:line:col", async () => {
        const bad = writeUsersYaml(SMALL_FIRM.replace('mobilePhone: "0412 345 678"', "mobilePhone: 0412345678").replace("[Exchange Administrator]", "[Exchange Admin]"));
        const failure = await deployFailure(bad, { tenantGroups });
        assert.equal(failure.registrations.length, 0);
        assert.ok(failure.cause instanceof pulumi.RunError);
        assert.match(failure.message, /has errors; nothing was deployed/);
        assert.doesNotMatch(failure.message, /not used by any user/, "a user left out for its errors still uses its profile");
        assert.match(failure.message, new RegExp(`${escape(bad)}:20:18: error: user 'jane.citizen': mobilePhone must be quoted text`));
        assert.match(failure.message, new RegExp(`${escape(bad)}:23:18: error: user 'jane.citizen': adminRoles\\[0\\] 'Exchange Admin' is not a known admin role \\(did you mean 'Exchange Administrator'\\?\\)`));
    });

    it("registers no resource when an existing group is missing or ambiguous, naming where it is used", async () => {
        const missing = await deployFailure(writeUsersYaml(SMALL_FIRM), { tenantGroups: { "Some Other Group": ALL_STAFF_ID } });
        assert.equal(missing.registrations.length, 0);
        assert.match(missing.message, /users\.yaml:5:12: error: group 'All Staff' does not exist in Entra ID; add it under groups: to create it/);

        const file = writeUsersYaml(SMALL_FIRM.replace("groups: [All Staff]", "groups: [Everyone]"));
        // Two Entra groups share the display name (Entra allows it): the program must not guess.
        const ambiguous = await deployFailure(file, { tenantGroups: { Everyone: ALL_STAFF_ID, EVERYONE: "0a0a0a0a-0000-0000-0000-000000000002" } });
        assert.equal(ambiguous.registrations.length, 0);
        assert.match(ambiguous.message, /2 Entra groups are named 'Everyone' \(object ids 0a0a0a0a-0000-0000-0000-000000000001, 0a0a0a0a-0000-0000-0000-000000000002\)/);
    });

    it("registers no resource when a stack setting is invalid, and names the setting", async () => {
        const failure = await deployFailure(writeUsersYaml(SMALL_FIRM), { tenantGroups, config: { serviceAccountAccess: "admin", deleteRemovedUsers: "yes" } });
        assert.equal(failure.registrations.length, 0);
        assert.match(failure.message, /practiceprotect-users:deleteRemovedUsers is 'yes'; set it to true or false/);
        assert.match(failure.message, /practiceprotect-users:serviceAccountAccess is 'admin'; use full \(Global Administrator\) or mail/);
    });

    it("reports a missing users file by path", async () => {
        const failure = await deployFailure("/nonexistent/users.yaml");
        assert.equal(failure.registrations.length, 0);
        assert.match(failure.message, /cannot read \/nonexistent\/users\.yaml: no such file/);
    });

    it("the shipped users.yaml deploys offline", async () => {
        assert.ok(readFileSync("users.yaml", "utf8").includes("enabled: false"), "the sample has a leaver");
        const run = await deploy("users.yaml", { tenantGroups: { "All Staff": ALL_STAFF_ID, Partners: "0a0a0a0a-0000-0000-0000-000000000003" }, config: { serviceAccountAccess: "full" } });
        assert.equal(byType(run, USER).length, 9);
    });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
