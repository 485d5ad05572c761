import { strict as assert } from "node:assert";
import type { SubscribedSku, UserLicenses } from "../graph";
import { planView } from "../cli/planView";
import { renderPlan } from "../cli/renderPlan";
import { SMALL_FIRM, writeUsersYaml } from "./support/fixtures";
import { byType, deploy, deployFailure, named } from "./support/program";

/** index.ts under Pulumi's mocks: the licence look-up at start, the seat check, and the licence resources. */

const USER_LICENSES = "pulumi-nodejs:dynamic/entra:UserLicenses";
const SIGN_IN_REVOCATION = "pulumi-nodejs:dynamic/entra:SignInRevocation";
const SPB = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46";
const EXO1 = "4b9405b0-7788-4568-add1-99614e613b69";
const TEAMS1 = "57ff2da0-773e-42df-b2af-ffb7a2317929";
const ANN = "11111111-2222-3333-4444-555555555555";
const tenantGroups = { "All Staff": "0a0a0a0a-0000-0000-0000-000000000001" };

const sku = (skuId: string, skuPartNumber: string, enabled: number, consumedUnits: number, plans: [string, string][] = []): SubscribedSku => ({
    skuId,
    skuPartNumber,
    capabilityStatus: "Enabled",
    consumedUnits,
    prepaidUnits: { enabled },
    servicePlans: plans.map(([servicePlanName, servicePlanId]) => ({ servicePlanName, servicePlanId })),
});
const holding = (id: string, userPrincipalName: string, skuIds: string[]): UserLicenses => ({
    id,
    userPrincipalName,
    licenseAssignmentStates: skuIds.map((skuId) => ({ skuId, disabledPlans: [], assignedByGroup: null })),
});

/** SMALL_FIRM where everyone gets Business Premium, and the accountant profile Exchange Online without Teams. */
const LICENSED_FIRM = SMALL_FIRM.replace("  groups: [All Staff]\n", "  groups: [All Staff]\n  licenses: [Microsoft 365 Business Premium]\n").replace(
    "    groups: [Accountants]\n",
    "    groups: [Accountants]\n    licenses: [{ name: SPB, disabledPlans: [TEAMS1] }, EXCHANGESTANDARD]\n",
);
const tenant = (spbFree: number) => ({
    tenantGroups,
    subscribedSkus: [sku(SPB, "SPB", 10, 10 - spbFree, [["TEAMS1", TEAMS1]]), sku(EXO1, "EXCHANGESTANDARD", 5, 0)],
    // Ann is adopted and already has Business Premium; Pete (offboarded) too.
    usersLicenses: [holding(ANN, "ann@examplefirm.com.au", [SPB]), holding("99999999-0000-0000-0000-000000000001", "pete@examplefirm.com.au", [SPB])],
});

describe("program: licences", () => {
    const file = writeUsersYaml(LICENSED_FIRM);

    it("a created person's groups, admin roles and portal invite wait until their licence is assigned (Graph shows them by then)", async () => {
        const run = await deploy(writeUsersYaml(LICENSED_FIRM.replace(`    objectId: ${ANN}`, `    objectId: ${ANN}\n    adminRoles: [User Administrator]`)), tenant(2));
        const janeLicenses = named(run, USER_LICENSES, "jane.citizen-licenses").urn;
        assert.ok(named(run, "azuread:index/group:Group", "accountants").dependencies.includes(janeLicenses), "the created group Jane is in");
        assert.ok(named(run, "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment", "jane.citizen-as-Exchange Administrator").dependencies.includes(janeLicenses));
        assert.ok(named(run, "pulumi-nodejs:dynamic/practiceprotect:PortalUser", "jane.citizen").dependencies.includes(janeLicenses), "the seed's order: licence, then Practice Protect");
        const annAssignment = named(run, "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment", "ann.adopted-as-User Administrator");
        assert.ok(!annAssignment.dependencies.includes(named(run, USER_LICENSES, "ann.adopted-licenses").urn), "an adopted person exists already: no wait");
    });

    it("gives every person a UserLicenses with the skuIds and service plan ids the tenant's subscriptions name", async () => {
        const run = await deploy(file, tenant(2));
        assert.deepEqual(byType(run, USER_LICENSES).map((r) => r.name).sort(), ["ann.adopted-licenses", "bob.lee-licenses", "jane.citizen-licenses", "pete.leaver-licenses"]);
        const jane = named(run, USER_LICENSES, "jane.citizen-licenses");
        assert.deepEqual(jane.inputs.licenses, [
            { skuId: SPB, disabledPlans: [TEAMS1] },
            { skuId: EXO1 },
        ]);
        assert.equal(jane.inputs.userPrincipalName, "jane.citizen@examplefirm.com.au");
        assert.ok(jane.dependencies.some((d) => d.endsWith("azuread:index/user:User::jane.citizen")), "after the Entra user exists");
        assert.equal(jane.retainOnDelete, true, "a person removed from users.yaml keeps their licences, as their account is kept");
        assert.deepEqual(named(run, USER_LICENSES, "pete.leaver-licenses").inputs.licenses, [{ skuId: SPB }], "offboarding keeps licences by default");
        assert.deepEqual(run.graphLookups.filter((l) => !l.startsWith("roleAssignmentsOf(") && !l.startsWith("usersById(")), ["subscribedSkus", "usersLicenses"], "one look-up each, whatever the number of people");
    });

    it("revokes the sign-in sessions of an offboarded person, once, after sign-in is blocked", async () => {
        const run = await deploy(file, tenant(2));
        const revocations = byType(run, SIGN_IN_REVOCATION);
        assert.deepEqual(revocations.map((r) => r.name), ["pete.leaver-sign-in-revocation"]);
        assert.ok(revocations[0].dependencies.some((d) => d.endsWith("azuread:index/user:User::pete.leaver")));
    });

    it("takes licences off offboarded people when removeLicensesOnOffboarding is set", async () => {
        const run = await deploy(file, { ...tenant(2), config: { removeLicensesOnOffboarding: "true" } });
        assert.deepEqual(named(run, USER_LICENSES, "pete.leaver-licenses").inputs.licenses, []);
    });

    it("refuses to start when a subscription has fewer free seats than the change needs, naming who needs them", async () => {
        // Jane and Bob are new (two seats of SPB); Ann and Pete hold theirs already.
        const failure = await deployFailure(file, tenant(1));
        assert.match(failure.message, /not enough licences; nothing was changed:\n  SPB: 2 needed, 1 free, for jane\.citizen, bob\.lee\n/);
        assert.match(failure.message, /Buy more seats/);
        assert.equal(failure.registrations.filter((r) => r.custom).length, 0, "nothing declared");
    });

    it("refuses a licence the tenant has no subscription of, at the place it is written", async () => {
        const failure = await deployFailure(file, { ...tenant(2), subscribedSkus: [sku(SPB, "SPB", 10, 0, [["TEAMS1", TEAMS1]])] });
        assert.match(failure.message, /users\.yaml:\d+:\d+: error: the tenant has no Exchange Online \(Plan 1\) \(EXCHANGESTANDARD\) subscription; its subscriptions are: SPB\./);
        assert.equal(failure.registrations.filter((r) => r.custom).length, 0);
    });

    it("offline (npm run plan) takes licences from the table of common licences and counts no seats", async () => {
        const run = await deploy(file, { tenantGroups });
        assert.deepEqual(named(run, USER_LICENSES, "bob.lee-licenses").inputs.licenses, [{ skuId: SPB }], "plans not stated: none sent, left as they are");
        assert.deepEqual(named(run, USER_LICENSES, "jane.citizen-licenses").inputs.licenses, [
            { skuId: SPB, disabledPlans: ["TEAMS1"] },
            { skuId: EXO1 },
        ]);
    });

    it("declares no licence resource and reads no licences when users.yaml names none", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM), tenant(2));
        assert.equal(byType(run, USER_LICENSES).length, 0);
        assert.ok(!run.graphLookups.includes("subscribedSkus"));
        assert.equal(byType(run, SIGN_IN_REVOCATION).length, 1, "offboarding still revokes sessions");
    });
});

describe("plan: licences", () => {
    it("shows each person's licences, what is switched off, the offboarded person's sessions, and people per licence", async () => {
        const run = await deploy(writeUsersYaml(LICENSED_FIRM), tenant(2));
        const lines = renderPlan(planView(run.registrations), "plan");
        const text = lines.join("\n");
        assert.ok(lines.includes("Licences (free seats are counted against the tenant's subscriptions when deploying; a shortfall stops the run before any change)"));
        assert.match(text, /\n  Exchange Online \(Plan 1\) \(EXCHANGESTANDARD\) +1 person in users\.yaml\n  Microsoft 365 Business Premium \(SPB\) +4 people in users\.yaml\n/);
        const jane = text.slice(text.indexOf("jane.citizen: create"));
        assert.match(jane, /\n  licences +Microsoft 365 Business Premium \(SPB\), exactly: 57ff2da0-773e-42df-b2af-ffb7a2317929 off; Exchange Online \(Plan 1\) \(EXCHANGESTANDARD\), plans as in Entra\n/);
        const pete = text.slice(text.indexOf("pete.leaver: create, offboarded"));
        assert.match(pete, /\n  sessions +signed out everywhere, once \(revokeSignInSessions\)\n/);
        assert.doesNotMatch(jane.slice(0, jane.indexOf("\n\n")), /sessions/);
    });
});
