import { strict as assert } from "node:assert";
import { SMALL_FIRM, writeUsersYaml } from "./support/fixtures";
import { byType, deploy, named } from "./support/program";
import { assertEvery } from "./support/assertEvery";

const PORTAL_USER = "pulumi-nodejs:dynamic/practiceprotect:PortalUser";
const ROLE_MEMBERS = "pulumi-nodejs:dynamic/practiceprotect:RoleMembers";
const tenantGroups = { "All Staff": "0a0a0a0a-0000-0000-0000-000000000001" };

describe("program: Practice Protect wiring", () => {
    const file = writeUsersYaml(SMALL_FIRM);

    it("gives each invited user a PortalUser after their Entra user, keyed by the users.yaml key", async () => {
        const run = await deploy(file, { tenantGroups });
        const jane = named(run, PORTAL_USER, "jane.citizen");
        const { __provider, ...inputs } = jane.inputs;
        assert.equal(typeof __provider, "string", "the serialized provider travels as the __provider input");
        assert.deepEqual(inputs, {
            userName: "jane.citizen@examplefirm.com.au",
            sendInvite: true,
            removeOnDelete: true,
            expectedMobileNumber: "+61412345678",
        });
        assert.equal(jane.urn, "urn:pulumi:dev::practiceprotect-users::firm:practiceprotect:Portal$pulumi-nodejs:dynamic/practiceprotect:PortalUser::jane.citizen");
        // The seed's order: the Entra user, its groups and roles, then the portal.
        assert.ok(jane.dependencies.includes(named(run, "azuread:index/user:User", "jane.citizen").urn), "waits for the Entra user");
        assert.ok(jane.dependencies.includes(byType(run, "pulumi-nodejs:dynamic/entra:ExistingGroupMembers")[0].urn), "and the existing group it is put in");
        assert.ok(jane.dependencies.includes(named(run, "azuread:index/group:Group", "accountants").urn), "and the created group");
        assert.deepEqual(byType(run, PORTAL_USER).map((p) => p.name).sort(), ["ann.adopted", "bob.lee", "jane.citizen"], "pete.leaver is offboarded");
    });

    it("gives each portal role one RoleMembers, listing its members' UPNs, after their PortalUsers", async () => {
        const run = await deploy(file, { tenantGroups });
        const roles = Object.fromEntries(byType(run, ROLE_MEMBERS).map((r) => [r.name, r]));
        assert.deepEqual(Object.keys(roles).sort(), ["Portal Users - AU", "XPM Users"]);
        const portalUsersAu = roles["Portal Users - AU"];
        assert.equal(portalUsersAu.inputs.role, "Portal Users - AU");
        assert.equal(portalUsersAu.inputs.exclusive, false);
        assert.deepEqual([...portalUsersAu.inputs.members].sort(), ["ann@examplefirm.com.au", "bob.lee@examplefirm.com.au", "jane.citizen@examplefirm.com.au"]);
        assert.deepEqual(roles["XPM Users"].inputs.members, ["jane.citizen@examplefirm.com.au"]);
        for (const key of ["jane.citizen", "bob.lee", "ann.adopted"]) {
            assert.ok(portalUsersAu.dependencies.includes(named(run, PORTAL_USER, key).urn), `waits for ${key}'s portal account`);
        }
        assert.ok(!JSON.stringify(byType(run, ROLE_MEMBERS).map((r) => r.inputs.members)).includes("pete@"), "the offboarded user is in no role");
    });

    it("keeps an offboarded user's portal account, without roles, when the stack says so", async () => {
        const run = await deploy(file, { tenantGroups, config: { keepOffboardedPortalAccounts: "true" } });
        assert.equal(named(run, PORTAL_USER, "pete.leaver").inputs.userName, "pete@examplefirm.com.au");
        assertEvery(byType(run, ROLE_MEMBERS), (r) => !r.inputs.members.includes("pete@examplefirm.com.au"), "portal roles without the offboarded pete");
    });

    it("declares no portal resources for a firm that invites nobody", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM.replace("practiceProtect: { invite: true, roles: [Portal Users - AU] }", "practiceProtect: { invite: false }").replace("    practiceProtect: { roles: [XPM Users] }\n", "")), { tenantGroups });
        assert.equal(byType(run, PORTAL_USER).length, 0);
        assert.equal(byType(run, ROLE_MEMBERS).length, 0);
    });

    it("never puts the Practice Protect client secret into a resource, the serialized providers included", async () => {
        const secret = "pp-client-secret-7c1d0e";
        // As CI gives them: in the environment (a committed or engine-held clientSecret is refused before anything runs).
        Object.assign(process.env, { PRACTICEPROTECT_CLIENT_SECRET: secret, PRACTICEPROTECT_URL: "https://hf-7c1d0e.my.idaptive.app" });
        const run = await deploy(file, { tenantGroups, config: { "practiceprotect:url": "https://hf-7c1d0e.my.idaptive.app" } }).finally(() => {
            delete process.env.PRACTICEPROTECT_CLIENT_SECRET;
            delete process.env.PRACTICEPROTECT_URL;
        });
        const portal = run.registrations.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
        assert.ok(portal.length > 0 && portal.every((r) => typeof r.inputs.__provider === "string" && r.inputs.__provider.length > 1000), "the providers were serialized");
        assert.ok(!JSON.stringify(run.registrations.map((r) => r.inputs)).includes(secret));
        assert.ok(!JSON.stringify(run.outputs).includes(secret));
        assert.ok(!JSON.stringify(run.registrations.map((r) => r.inputs)).includes("hf-7c1d0e"), "no setting is an input: they are read at run time");
    });

    it("exports each portal account's uuid and status", async () => {
        const run = await deploy(file, { tenantGroups });
        assert.deepEqual(Object.keys(run.outputs.portalUsers as object).sort(), ["ann.adopted", "bob.lee", "jane.citizen"]);
    });
});
