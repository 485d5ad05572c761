import { strict as assert } from "node:assert";
import { EntraUserRecord, fieldsAnUpdateWouldChange, PROVIDER_USER_SCHEMA, simulateUserUpdate } from "./support/azureadUserUpdate";
import { SMALL_FIRM, writeUsersYaml } from "./support/fixtures";
import { deploy, named } from "./support/program";

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
