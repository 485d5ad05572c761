import { strict as assert } from "node:assert";
import { checkUsersYaml, SourceFile } from "../model";
import { fieldsAnUpdateWouldChange, simulateUserUpdate } from "./support/azureadUserUpdate";
import { writeUsersYaml } from "./support/fixtures";
import { deploy, named } from "./support/program";

const USER = "azuread:index/user:User";

const FIRM = `defaults:
  usageLocation: AU
  companyName: Harbour & Finch Pty Ltd
  streetAddress: Level 4, 12 Harbour St
  city: Sydney
  state: NSW
  postalCode: "2000"
  country: Australia
profiles:
  auckland:
    officeLocation: Auckland
    city: Auckland
  sydney:
    officeLocation: Sydney
users:
  jane:
    userPrincipalName: jane@firm.com.au
    displayName: Jane Citizen
    profiles: [sydney]
    employeeId: "E0001"
    businessPhones: ["+61 2 9000 1234"]
    faxNumber: "+61 2 9000 1299"
  mei:
    userPrincipalName: mei@firm.com.au
    displayName: Mei Chen
    profiles: [auckland]
    manager: jane
    state: null
    postalCode: null
  ann:
    userPrincipalName: ann@firm.com.au
    displayName: Ann Adopted
    manager: 99999999-8888-4777-8666-555555555555
    objectId: 11111111-2222-3333-4444-555555555555
  bob:
    userPrincipalName: bob@firm.com.au
    displayName: Bob Lee
    manager: null
    companyName: null
    objectId: 22222222-2222-3333-4444-555555555555
`;

const check = (text: string) => checkUsersYaml(new SourceFile("users.yaml", text));
const errors = (text: string) => check(text).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);

describe("users.yaml workplace fields and manager", () => {
    it("merge like the other single values: the user's own, else the profile's, else defaults; null clears", () => {
        const result = check(FIRM);
        assert.deepEqual(result.diagnostics.filter((d) => d.severity === "error"), []);
        const [jane, mei, ann, bob] = result.model!.users;
        assert.deepEqual(
            [jane.companyName, jane.officeLocation, jane.streetAddress, jane.city, jane.state, jane.postalCode, jane.country, jane.employeeId, jane.businessPhones, jane.faxNumber],
            ["Harbour & Finch Pty Ltd", "Sydney", "Level 4, 12 Harbour St", "Sydney", "NSW", "2000", "Australia", "E0001", ["+61 2 9000 1234"], "+61 2 9000 1299"],
        );
        assert.deepEqual([mei.officeLocation, mei.city, mei.state, mei.postalCode, mei.manager], ["Auckland", "Auckland", undefined, undefined, "jane"]);
        assert.deepEqual(mei.cleared, ["state", "postalCode"], "null on the user wins over defaults");
        assert.equal(ann.manager, "99999999-8888-4777-8666-555555555555");
        assert.deepEqual(bob.cleared, ["companyName", "manager"]);
    });

    it("two profiles that disagree on an office make the user choose", () => {
        const text = FIRM.replace("    profiles: [sydney]\n", "    profiles: [sydney, auckland]\n");
        assert.deepEqual(errors(text), [
            "profiles-disagree: user 'jane': profiles sydney, auckland set different officeLocation values (Sydney vs Auckland); set officeLocation on the user to choose",
        ]);
    });

    it("a manager is a user in the file or an objectId; not unknown, not oneself, not a circle", () => {
        const source = new SourceFile("users.yaml", FIRM.replace("manager: jane", "manager: janet"));
        const d = checkUsersYaml(source).diagnostics.find((x) => x.code === "unknown-manager")!;
        assert.match(d.message, /^user 'mei': manager 'janet' is neither a user in this file \(did you mean 'jane'\?\) nor an Entra objectId/);
        assert.equal(source.location(d.range), "users.yaml:27:14");
        assert.deepEqual(errors(FIRM.replace("manager: jane", "manager: mei")), ["self-manager: user 'mei' cannot be their own manager; remove manager or name someone else"]);
        const circle = FIRM.replace("    employeeId:", "    manager: mei\n    employeeId:");
        assert.deepEqual(errors(circle), ["manager-cycle: user 'jane': managers go round in a circle (jane → mei → jane); one of them needs a different manager"]);
    });

    it("Entra's limits: employeeId at most 16 characters, one business phone", () => {
        const text = FIRM.replace('employeeId: "E0001"', 'employeeId: "E0001-0002-0003-04"').replace('businessPhones: ["+61 2 9000 1234"]', 'businessPhones: ["+61 2 9000 1234", "+61 2 9000 1235"]');
        assert.deepEqual(check(text).diagnostics.filter((x) => x.severity === "error").map((x) => x.message), [
            "user 'jane': employeeId has at most 16 characters in Entra",
            "user 'jane': businessPhones holds one number in Entra; keep the main desk phone",
        ]);
    });

    it("pulumi up sets them, a manager by key through the manager's object id, and clears what is written null", async () => {
        const run = await deploy(writeUsersYaml(FIRM));
        const jane = named(run, USER, "jane");
        assert.deepEqual(
            Object.fromEntries(["companyName", "officeLocation", "streetAddress", "city", "state", "postalCode", "country", "employeeId", "businessPhones", "faxNumber"].map((f) => [f, jane.inputs[f]])),
            {
                companyName: "Harbour & Finch Pty Ltd",
                officeLocation: "Sydney",
                streetAddress: "Level 4, 12 Harbour St",
                city: "Sydney",
                state: "NSW",
                postalCode: "2000",
                country: "Australia",
                employeeId: "E0001",
                businessPhones: ["+61 2 9000 1234"],
                faxNumber: "+61 2 9000 1299",
            },
        );
        const users = run.outputs.users as Record<string, { objectId: string }>;
        assert.equal(named(run, USER, "mei").inputs.managerId, users.jane.objectId);
        assert.equal(named(run, USER, "ann").inputs.managerId, "99999999-8888-4777-8666-555555555555");

        const bob = named(run, USER, "bob");
        assert.ok(!bob.ignoreChanges.includes("managerId") && !bob.ignoreChanges.includes("companyName"));
        const entra = { userPrincipalName: "bob@firm.com.au", displayName: "Bob Lee", accountEnabled: true, usageLocation: "AU", managerId: "33333333-0000-0000-0000-000000000000", companyName: "Old Co", city: "Perth" };
        assert.deepEqual(fieldsAnUpdateWouldChange(entra, bob.inputs, bob.ignoreChanges).sort(), ["city", "companyName", "country", "managerId", "postalCode", "state", "streetAddress"]);
        assert.equal(simulateUserUpdate(entra, bob.inputs, bob.ignoreChanges).managerId, null, "manager removed (RemoveManagerRef)");
        assert.equal(simulateUserUpdate(entra, bob.inputs, bob.ignoreChanges).city, "Sydney", "city from defaults");
    });
});

describe("renaming a group this program creates", () => {
    const GROUPS = `groups:
  Tax Accountants: { aliases: [Accountants] }
  Reception: {}
users:
  jane:
    userPrincipalName: jane@firm.com.au
    displayName: Jane Citizen
    groups: [Tax Accountants, Reception]
`;

    it("keeps its old names under aliases; lists must use the new name", () => {
        assert.deepEqual(errors(GROUPS), []);
        assert.deepEqual(check(GROUPS).model!.managedGroups.map((g) => [g.name, g.aliases]), [["Tax Accountants", ["Accountants"]], ["Reception", []]]);
        const source = new SourceFile("users.yaml", GROUPS.replace("groups: [Tax Accountants, Reception]", "groups: [accountants, Reception]"));
        const d = checkUsersYaml(source).diagnostics.filter((x) => x.severity === "error");
        assert.deepEqual(d.map((x) => `${source.location(x.range)}: ${x.message}`), ["users.yaml:8:14: user 'jane': group 'accountants' was renamed to 'Tax Accountants' (see its aliases); write 'Tax Accountants'"]);
    });

    it("an old name belongs to one group", () => {
        assert.deepEqual(errors(GROUPS.replace("Reception: {}", "Reception: { aliases: [accountants] }")), [
            "duplicate-group: group 'Reception': alias 'accountants' is already an alias of group 'Tax Accountants'; an old name can belong to one group only",
        ]);
        assert.deepEqual(errors(GROUPS.replace("Reception: {}", "Reception: { aliases: [Tax Accountants] }")), [
            "duplicate-group: group 'Reception': alias 'Tax Accountants' is already the name of group 'Tax Accountants'; an old name can belong to one group only",
        ]);
    });
});
