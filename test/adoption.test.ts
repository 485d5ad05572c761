import { strict as assert } from "node:assert";
import { EntraUserRecord, fieldsAnUpdateWouldChange, PROVIDER_USER_SCHEMA, simulateUserUpdate } from "./support/azureadUserUpdate";
import { SMALL_FIRM, writeUsersYaml } from "./support/fixtures";
import { byType, deploy, deployFailure, named } from "./support/program";

const USER = "azuread:index/user:User";
const tenantGroups = { "All Staff": "0a0a0a0a-0000-0000-0000-000000000001" };

/** Ann as Entra has her before adoption: every field the provider knows is filled in. */
const ANN_IN_ENTRA: EntraUserRecord = {
    accountEnabled: true,
    ageGroup: "NotAdult",
    businessPhones: ["+61 2 9876 5432"],
    city: "Sydney",
    companyName: "Example Firm Pty Ltd",
    consentProvidedForMinor: "Granted",
    costCenter: "CC-100",
    country: "Australia",
    department: "Audit",
    disablePasswordExpiration: true,
    disableStrongPassword: true,
    displayName: "Ann A.",
    division: "Assurance",
    employeeHireDate: "2020-01-01T00:00:00Z",
    employeeId: "E1234",
    employeeType: "Employee",
    faxNumber: "+61 2 9876 5433",
    forcePasswordChange: false,
    givenName: "Ann",
    jobTitle: "Auditor",
    mail: "ann@examplefirm.com.au",
    mailNickname: "ann.adopted.alias",
    managerId: "99999999-8888-7777-6666-555555555555",
    mobilePhone: "+61 423 456 789",
    officeLocation: "Level 3",
    onpremisesImmutableId: "abc==",
    otherMails: ["ann@gmail.example"],
    password: "",
    postalCode: "2000",
    preferredLanguage: "en-AU",
    showInAddressList: false,
    state: "NSW",
    streetAddress: "1 George St",
    surname: "Adopted",
    usageLocation: "NZ",
    userPrincipalName: "ann.old@examplefirm.com.au",
};

describe("adoption: what users.yaml does not state is left as it is in Entra", () => {
    it("the model of the provider knows every argument of azuread.User, and sees the wipe the issue describes", () => {
        assert.ok(Object.keys(PROVIDER_USER_SCHEMA).length >= 36);
        // Without guards, an update that only meant to set the display name would empty or reset everything else.
        const wiped = fieldsAnUpdateWouldChange(ANN_IN_ENTRA, { userPrincipalName: "ann.old@examplefirm.com.au", displayName: "Ann", usageLocation: "NZ" }, []);
        for (const field of ["officeLocation", "companyName", "city", "managerId", "showInAddressList", "disableStrongPassword", "otherMails", "employeeHireDate", "mobilePhone"]) {
            assert.ok(wiped.includes(field), `${field} would be wiped without a guard`);
        }
        assert.ok(!wiped.includes("businessPhones") && !wiped.includes("mailNickname"), "Optional+Computed arguments keep their state");
    });

    it("an adopted user: an update changes only the fields users.yaml states; the rest keep Entra's values", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM), { tenantGroups });
        const ann = named(run, USER, "ann.adopted");
        assert.equal(ann.importId, "/users/11111111-2222-3333-4444-555555555555");
        assert.deepEqual(
            Object.keys(ann.inputs).sort(),
            ["accountEnabled", "displayName", "mobilePhone", "usageLocation", "userPrincipalName"],
            "no mailNickname: an adopted user keeps its alias unless users.yaml writes one",
        );
        const changed = fieldsAnUpdateWouldChange(ANN_IN_ENTRA, ann.inputs, ann.ignoreChanges);
        assert.deepEqual(changed.sort(), ["displayName", "mobilePhone", "usageLocation", "userPrincipalName"]);
        const sent = simulateUserUpdate(ANN_IN_ENTRA, ann.inputs, ann.ignoreChanges);
        assert.equal(sent.officeLocation, "Level 3");
        assert.equal(sent.managerId, undefined, "the manager is not touched");
        assert.equal(sent.showInAddressList, undefined);
        assert.equal(sent.disableStrongPassword, true, "password policies are sent back as they are");
        assert.equal(sent.mailNickname, "ann.adopted.alias");
    });

    it("every argument the program leaves out is in ignoreChanges; every one it sets is not", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM), { tenantGroups });
        for (const user of run.registrations.filter((r) => r.type === USER)) {
            for (const name of Object.keys(PROVIDER_USER_SCHEMA)) {
                const stated = user.inputs[name] !== undefined;
                const ignored = user.ignoreChanges.includes(name);
                if (name === "password" || name === "forcePasswordChange") assert.ok(ignored, `${user.name}: ${name} is never reset`);
                else assert.notEqual(stated, ignored, `${user.name}: ${name} is ${stated ? "set and ignored" : "neither set nor ignored"}`);
            }
        }
    });

    it("a created user gets exactly what users.yaml states, and later keeps what is set by hand", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM), { tenantGroups });
        const bob = named(run, USER, "bob.lee");
        const { password, ...inputs } = bob.inputs;
        assert.deepEqual(inputs, {
            userPrincipalName: "bob.lee@examplefirm.com.au",
            mailNickname: "bob.lee",
            displayName: "Bob Lee",
            mobilePhone: "+64211234567",
            usageLocation: "NZ",
            accountEnabled: true,
            forcePasswordChange: true,
        });
        const byHand = { ...ANN_IN_ENTRA, ...inputs, userPrincipalName: "bob.lee@examplefirm.com.au", mailNickname: "bob.lee" };
        assert.deepEqual(fieldsAnUpdateWouldChange(byHand, bob.inputs, bob.ignoreChanges), [], "a later run changes nothing set by hand");
    });

    it("null in users.yaml clears the value in Entra: that argument is neither set nor ignored", async () => {
        const file = writeUsersYaml(
            SMALL_FIRM.replace('    mobilePhone: "0423 456 789"\n    objectId: 11111111', "    mobilePhone: null\n    jobTitle: ~\n    surname: Adopted\n    objectId: 11111111"),
        );
        const run = await deploy(file, { tenantGroups });
        const ann = named(run, USER, "ann.adopted");
        assert.equal(ann.inputs.mobilePhone, undefined);
        assert.ok(!ann.ignoreChanges.includes("mobilePhone") && !ann.ignoreChanges.includes("jobTitle"));
        const sent = simulateUserUpdate(ANN_IN_ENTRA, ann.inputs, ann.ignoreChanges);
        assert.equal(sent.mobilePhone, null);
        assert.equal(sent.jobTitle, null);
        assert.equal(sent.department, "Audit", "department is not written, so it is kept");
        assert.deepEqual(fieldsAnUpdateWouldChange(ANN_IN_ENTRA, ann.inputs, ann.ignoreChanges).sort(), ["displayName", "jobTitle", "mobilePhone", "usageLocation", "userPrincipalName"]);
    });

    it("the service account keeps what is set on it by hand", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM), { tenantGroups, config: { serviceAccountAccess: "mail", serviceAccountDomain: "examplefirm.onmicrosoft.com" } });
        const account = named(run, USER, "practiceprotect-service-account");
        const state = { ...ANN_IN_ENTRA, ...account.inputs };
        assert.deepEqual(fieldsAnUpdateWouldChange(state, account.inputs, account.ignoreChanges), []);
        assert.ok(account.ignoreChanges.includes("mobilePhone") && account.ignoreChanges.includes("managerId"));
    });
});

const ALL_STAFF = "0a0a0a0a-0000-0000-0000-000000000001";
const ANN = "11111111-2222-3333-4444-555555555555";
const MEMBERS = "pulumi-nodejs:dynamic/entra:ExistingGroupMembers";
const ROLE = "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment";
const EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de";
const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";

describe("adoption: existing memberships are taken over and admin role assignments imported, not created again", () => {
    const annWithRoles = SMALL_FIRM.replace(`    objectId: ${ANN}`, `    objectId: ${ANN}\n    adminRoles: [Exchange Administrator, User Administrator]`);

    it("an existing group gets one members resource: an adopted user already in it is marked, and nobody is imported", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM), { tenantGroups: { "All Staff": { objectId: ALL_STAFF, members: [ANN.toUpperCase(), "someone-else"] } } });
        const [allStaff] = byType(run, MEMBERS);
        assert.equal(allStaff.importId, undefined, "ExistingGroupMembers adds only who is missing (test/groupMembers.providers.test.ts): nothing to import");
        assert.deepEqual(allStaff.inputs.alreadyMembers, ["ann.adopted"], "a created user is never already a member");
        assert.ok(!allStaff.inputs.members.some((m: { objectId: string }) => m.objectId === "someone-else"), "someone outside users.yaml is not among its members");
        assert.equal(byType(run, MEMBERS).length, 1, "a created group lists its members itself");
        assert.equal(run.registrations.filter((r) => r.type === "azuread:index/groupMember:GroupMember").length, 0);
        assert.deepEqual(run.invokes.filter((t) => t === "azuread:index/getGroup:getGroup"), ["azuread:index/getGroup:getGroup"], "each existing group is read once, not once per user");
    });

    it("an adopted user not yet in the group is simply one of its members", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM), { tenantGroups: { "All Staff": { objectId: ALL_STAFF, members: ["someone-else"] } } });
        const [allStaff] = byType(run, MEMBERS);
        assert.deepEqual(allStaff.inputs.alreadyMembers, []);
        assert.ok(allStaff.inputs.members.some((m: { key: string; objectId: string }) => m.key === "ann.adopted" && m.objectId === ANN));
    });

    it("admin roles an adopted user already holds tenant-wide are imported by their assignment id, found in the one listing of adopted accounts' roles", async () => {
        const run = await deploy(writeUsersYaml(annWithRoles), {
            tenantGroups,
            roleAssignments: [
                { id: "held-exchange", principalId: ANN, roleDefinitionId: EXCHANGE_ADMIN, directoryScopeId: "/" },
                { id: "unit-scoped", principalId: ANN, roleDefinitionId: USER_ADMIN, directoryScopeId: "/administrativeUnits/0000" },
                { id: "someone-elses", principalId: "22222222-0000-0000-0000-000000000000", roleDefinitionId: USER_ADMIN, directoryScopeId: "/" },
            ],
        });
        assert.equal(named(run, ROLE, "ann.adopted-as-Exchange Administrator").importId, "/roleManagement/directory/roleAssignments/held-exchange");
        assert.equal(named(run, ROLE, "ann.adopted-as-User Administrator").importId, undefined, "scoped to an administrative unit: a new tenant-wide assignment");
        assert.equal(named(run, ROLE, "jane.citizen-as-Exchange Administrator").importId, undefined);
        assert.deepEqual(run.graphLookups, [`roleAssignmentsOf(${ANN})`], "one listing, by principal; accounts are not read offline");
    });

    it("no Graph look-up when nobody is adopted and no existing group is role-assignable", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM.replace(`    objectId: ${ANN}\n`, "")), { tenantGroups });
        assert.deepEqual(run.graphLookups, []);
    });
});

describe("existing groups that cannot take members through Graph are refused before anything is declared", () => {
    const uses = SMALL_FIRM.replace("groups: [All Staff]", "groups: [All Staff, Sydney Office]")
        .replace("    groups: [Accountants]\n", "    groups: [Accountants, Tax Team]\n")
        .replace("    usageLocation: NZ\n", "    usageLocation: NZ\n    groups: [Everyone Dynamic, Old Domain Group, Sydney Office, Partners 365]\n");

    it("mail-enabled security groups, distribution lists, dynamic and on-premises groups, each with where it is used and what to do", async () => {
        const failure = await deployFailure(writeUsersYaml(uses), {
            tenantGroups: {
                "All Staff": ALL_STAFF,
                "Sydney Office": { objectId: "0a0a0a0a-0000-0000-0000-000000000010", mailEnabled: true, securityEnabled: false },
                "Tax Team": { objectId: "0a0a0a0a-0000-0000-0000-000000000011", mailEnabled: true, securityEnabled: true },
                "Everyone Dynamic": { objectId: "0a0a0a0a-0000-0000-0000-000000000012", types: ["DynamicMembership"] },
                "Old Domain Group": { objectId: "0a0a0a0a-0000-0000-0000-000000000013", onpremisesSyncEnabled: true },
                "Partners 365": { objectId: "0a0a0a0a-0000-0000-0000-000000000014", mailEnabled: true, securityEnabled: false, types: ["Unified"] },
            },
        });
        assert.equal(failure.registrations.length, 0, "nothing is declared");
        const lines = failure.message.split("\n").slice(1);
        assert.equal(lines.length, 4, failure.message);
        assert.match(lines[0], /users\.yaml:5:23: error: group 'Sydney Office' is a distribution list, whose members Microsoft Graph cannot change .*Exchange admin center.* \(used at .*users\.yaml:5:23, .*users\.yaml:\d+:\d+\)$/);
        assert.match(lines[1], /users\.yaml:\d+:\d+: error: group 'Tax Team' is a mail-enabled security group/);
        assert.match(lines[2], /error: group 'Everyone Dynamic' has dynamic membership: .*attributes its rule matches/);
        assert.match(lines[3], /error: group 'Old Domain Group' is synced from on-premises Active Directory/);
        assert.doesNotMatch(failure.message, /Partners 365/, "a Microsoft 365 group (Unified) takes members through Graph");
    });

    it("names the first five places a refused group is used, and counts the rest", async () => {
        const people = Array.from({ length: 7 }, (_, i) => `  p${i}:\n    userPrincipalName: p${i}@examplefirm.com.au\n    displayName: P ${i}\n    groups: [Sydney Office]\n`).join("");
        const failure = await deployFailure(writeUsersYaml(`defaults:\n  usageLocation: AU\nusers:\n${people}`), {
            tenantGroups: { "Sydney Office": { objectId: "0a0a0a0a-0000-0000-0000-000000000010", mailEnabled: true, securityEnabled: false } },
        });
        assert.equal(failure.registrations.length, 0);
        assert.match(failure.message, /users\.yaml:7:14: error: group 'Sydney Office' is a distribution list.*\(used at (.*users\.yaml:\d+:14, ){4}.*users\.yaml:23:14 and 2 more places\)$/m);
    });
});
