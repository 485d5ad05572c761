import { strict as assert } from "node:assert";
import { parse as parseYaml } from "yaml";
import type { DirectoryUser } from "../graph";
import { yamlScalar } from "../model/yamlScalar";
import { SMALL_FIRM, writeUsersYaml } from "./support/fixtures";
import { byType, deploy, deployFailure } from "./support/program";

const ALL_STAFF = "0a0a0a0a-0000-0000-0000-000000000001";
const ANN = "11111111-2222-3333-4444-555555555555";
const USER = "azuread:index/user:User";
const MEMBERS = "pulumi-nodejs:dynamic/entra:ExistingGroupMembers";
const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const PRIVILEGED_AUTH_ADMIN = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
const REPORTS_READER = "4a5d8f65-41da-4de4-8968-e035b65339cf";
const plainGroup = { "All Staff": ALL_STAFF };
const annInEntra = (fields: Partial<DirectoryUser> = {}): DirectoryUser => ({
    id: ANN,
    userPrincipalName: "ann@examplefirm.com.au",
    displayName: "Ann A.",
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    ...fields,
});
/** SMALL_FIRM with lines added to ann.adopted after her objectId. */
const annWith = (lines: string) => SMALL_FIRM.replace(`    objectId: ${ANN}\n`, `    objectId: ${ANN}\n${lines}`);
/** Where SMALL_FIRM writes ann.adopted's objectId. */
const ANN_OBJECT_ID_AT = /users\.yaml:33:15: error: /;

describe("role-assignable existing groups", () => {
    const roleAssignable = { "All Staff": { objectId: ALL_STAFF, assignableToRole: true } };
    const acknowledged = SMALL_FIRM.replace("users:\n", "existingGroups:\n  All Staff: { grantsRoles: true }\nusers:\n");

    it("a role-assignable group users.yaml does not acknowledge is refused before anything is declared, with the lines that acknowledge it", async () => {
        const failure = await deployFailure(writeUsersYaml(SMALL_FIRM), { tenantGroups: roleAssignable, tenantUsers: [annInEntra()] });
        assert.equal(failure.registrations.length, 0, "nothing is declared");
        const lines = failure.message.split("\n");
        assert.equal(lines[0], "users.yaml refers to groups that cannot be used; nothing was changed:");
        assert.equal(lines.length, 2, failure.message);
        assert.match(lines[1], /users\.yaml:5:12: error: group 'All Staff' is role-assignable \(isAssignableToRole\): its members hold every directory role assigned to it/);
        assert.ok(lines[1].includes("existingGroups: { All Staff: { grantsRoles: true } }"), lines[1]);
    });

    it("an acknowledged one is used, and the roles it carries are shown, read in the same listing as the adopted accounts' roles", async () => {
        const run = await deploy(writeUsersYaml(acknowledged), {
            tenantGroups: roleAssignable,
            tenantUsers: [annInEntra()],
            roleAssignments: [
                { id: "g1", principalId: ALL_STAFF, roleDefinitionId: REPORTS_READER, directoryScopeId: "/" },
                { id: "g2", principalId: ALL_STAFF, roleDefinitionId: PRIVILEGED_AUTH_ADMIN, directoryScopeId: "/" },
                { id: "other", principalId: "22222222-0000-0000-0000-000000000000", roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" },
            ],
        });
        assert.equal(byType(run, MEMBERS).length, 1, "the group's members are managed");
        assert.ok(run.infos.includes('existing group "All Staff" is role-assignable and carries: Privileged Authentication Administrator (privileged), Reports Reader'), run.infos.join("\n"));
        // The tenant's role-assignable groups are read too (All Staff itself); its roles come in the one listing, with Ann's.
        assert.deepEqual(run.graphLookups, ["usersById(" + ANN + ")", "roleAssignableGroups", `roleAssignmentsOf(${ANN},${ALL_STAFF})`, `groupMemberIds(${ALL_STAFF})`]);
    });

    it("an acknowledged group that carries no role says so", async () => {
        const run = await deploy(writeUsersYaml(acknowledged), { tenantGroups: roleAssignable, tenantUsers: [annInEntra()] });
        assert.ok(run.infos.includes('existing group "All Staff" is role-assignable and carries: no directory role'), run.infos.join("\n"));
    });

    it("an acknowledgement on a group that is not role-assignable is a warning, and the group is used", async () => {
        const run = await deploy(writeUsersYaml(acknowledged), { tenantGroups: plainGroup, tenantUsers: [annInEntra()] });
        assert.equal(byType(run, MEMBERS).length, 1);
        const stale = run.warnings.filter((w) => w.includes("grantsRoles"));
        assert.equal(stale.length, 1, run.warnings.join("\n"));
        assert.match(stale[0], /users\.yaml:\d+:\d+: warning: existingGroups\.All Staff\.grantsRoles says group 'All Staff' grants directory roles, but it is not role-assignable; remove the acknowledgement/);
        assert.ok(!run.infos.some((l) => l.includes("role-assignable")), "no roles are read for it");
    });
});

describe("adopting an account by objectId: read, checked and shown at preview", () => {
    it("shows what was read for each adopted account, in one line", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM), {
            tenantGroups: plainGroup,
            tenantUsers: [annInEntra({ accountEnabled: false, onPremisesSyncEnabled: true })],
            roleAssignments: [{ id: "r1", principalId: ANN, roleDefinitionId: REPORTS_READER, directoryScopeId: "/" }],
        });
        assert.deepEqual(run.infos, [
            `adopted account users.ann.adopted (objectId ${ANN}): in Entra "ann@examplefirm.com.au", display name "Ann A.", disabled, synced from on-premises Active Directory; holds Reports Reader`,
        ]);
        assert.equal(byType(run, USER).length, 4);
    });

    it("a display name from Entra cannot add a line to the preview's output", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM), { tenantGroups: plainGroup, tenantUsers: [annInEntra({ displayName: "Ann\nerror: forged" })] });
        assert.equal(run.infos.length, 1);
        assert.ok(!run.infos[0].includes("\n") && run.infos[0].includes('display name "Ann\\nerror: forged"'), run.infos[0]);
    });

    it("an account whose sign-in name differs is refused, with the line that acknowledges it; nothing is declared", async () => {
        const failure = await deployFailure(writeUsersYaml(SMALL_FIRM), { tenantGroups: plainGroup, tenantUsers: [annInEntra({ userPrincipalName: "ann.old@examplefirm.com.au" })] });
        assert.equal(failure.registrations.length, 0);
        const lines = failure.message.split("\n");
        assert.equal(lines[0], "users.yaml adopts accounts that are not what it says; nothing was changed:");
        assert.equal(lines.length, 2, failure.message);
        assert.match(lines[1], ANN_OBJECT_ID_AT);
        assert.ok(lines[1].includes(`users.ann.adopted adopts objectId ${ANN}, which is not what users.yaml says: its sign-in name in Entra is ann.old@examplefirm.com.au, not ann@examplefirm.com.au (pulumi up would rename it).`), lines[1]);
        assert.ok(lines[1].endsWith("write under users.ann.adopted: adoption: { currentUserPrincipalName: ann.old@examplefirm.com.au }"), lines[1]);
    });

    it("is adopted when users.yaml acknowledges the current sign-in name (letter case aside)", async () => {
        const file = writeUsersYaml(annWith("    adoption: { currentUserPrincipalName: Ann.Old@ExampleFirm.com.au }\n"));
        const run = await deploy(file, { tenantGroups: plainGroup, tenantUsers: [annInEntra({ userPrincipalName: "ann.old@examplefirm.com.au" })] });
        const ann = run.registrations.find((r) => r.type === USER && r.name === "ann.adopted")!;
        assert.equal(ann.importId, `/users/${ANN}`);
        assert.equal(ann.inputs.userPrincipalName, "ann@examplefirm.com.au", "adopting renames it, as acknowledged");
        assert.match(run.infos[0], /in Entra "ann\.old@examplefirm\.com\.au"/);
    });

    it("a sign-in name that differs only in letter case is the same", async () => {
        const run = await deploy(writeUsersYaml(SMALL_FIRM), { tenantGroups: plainGroup, tenantUsers: [annInEntra({ userPrincipalName: "ANN@ExampleFirm.com.au" })] });
        assert.equal(byType(run, USER).length, 4);
    });

    it("an acknowledged sign-in name that matches neither is refused, naming both", async () => {
        const file = writeUsersYaml(annWith("    adoption: { currentUserPrincipalName: ann.older@examplefirm.com.au }\n"));
        const failure = await deployFailure(file, { tenantGroups: plainGroup, tenantUsers: [annInEntra({ userPrincipalName: "ann.old@examplefirm.com.au" })] });
        assert.match(failure.message, /its sign-in name in Entra is ann\.old@examplefirm\.com\.au, neither ann@examplefirm\.com\.au nor adoption\.currentUserPrincipalName ann\.older@examplefirm\.com\.au/);
        assert.match(failure.message, /adoption: \{ currentUserPrincipalName: ann\.old@examplefirm\.com\.au \}$/);
    });

    it("an account holding a privileged role not acknowledged is refused; listed under adoption.privilegedRoles, it is adopted", async () => {
        const roleAssignments = [
            { id: "ga", principalId: ANN, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" },
            { id: "rr", principalId: ANN, roleDefinitionId: REPORTS_READER, directoryScopeId: "/" },
        ];
        const failure = await deployFailure(writeUsersYaml(SMALL_FIRM), { tenantGroups: plainGroup, tenantUsers: [annInEntra()], roleAssignments });
        assert.equal(failure.registrations.length, 0);
        const lines = failure.message.split("\n");
        assert.equal(lines.length, 2, failure.message);
        assert.match(lines[1], ANN_OBJECT_ID_AT);
        assert.ok(lines[1].includes("it holds Global Administrator (privileged), not listed under adoption.privilegedRoles"), lines[1]);
        assert.ok(lines[1].endsWith("adoption: { privilegedRoles: [Global Administrator] }"), lines[1]);

        const run = await deploy(writeUsersYaml(annWith("    adoption:\n      privilegedRoles: [global administrator]\n")), { tenantGroups: plainGroup, tenantUsers: [annInEntra()], roleAssignments });
        assert.equal(byType(run, USER).length, 4);
        assert.match(run.infos[0], /; holds Global Administrator \(privileged\), Reports Reader$/);
        assert.deepEqual(run.warnings.filter((w) => w.includes("privilegedRoles")), []);
    });

    it("a privileged role scoped to an administrative unit counts too", async () => {
        const roleAssignments = [{ id: "au", principalId: ANN, roleDefinitionId: PRIVILEGED_AUTH_ADMIN, directoryScopeId: "/administrativeUnits/0a0a" }];
        const failure = await deployFailure(writeUsersYaml(SMALL_FIRM), { tenantGroups: plainGroup, tenantUsers: [annInEntra()], roleAssignments });
        assert.match(failure.message, /it holds Privileged Authentication Administrator \(privileged, scoped to \/administrativeUnits\/0a0a\)/);
    });

    it("a privileged role held as a member of a role-assignable group counts, named with the group", async () => {
        const TENANT_ADMINS = "0a0a0a0a-0000-0000-0000-0000000000ad";
        const tenantGroups = { ...plainGroup, "Tenant Admins": { objectId: TENANT_ADMINS, assignableToRole: true, members: [ANN.toUpperCase()] } };
        const roleAssignments = [{ id: "ta", principalId: TENANT_ADMINS, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" }];
        const failure = await deployFailure(writeUsersYaml(SMALL_FIRM), { tenantGroups, tenantUsers: [annInEntra()], roleAssignments });
        assert.equal(failure.registrations.length, 0);
        assert.match(failure.message, /it holds Global Administrator \(privileged, through group "Tenant Admins"\), not listed under adoption\.privilegedRoles\. .*adoption: \{ privilegedRoles: \[Global Administrator\] \}$/);

        const run = await deploy(writeUsersYaml(annWith("    adoption: { privilegedRoles: [Global Administrator] }\n")), { tenantGroups, tenantUsers: [annInEntra()], roleAssignments });
        assert.match(run.infos[0], /; holds Global Administrator \(privileged, through group "Tenant Admins"\)$/);
        assert.equal(byType(run, "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment").filter((r) => r.importId).length, 0, "a role held through a group is not an assignment to import");
    });

    it("on a later run, a privileged role users.yaml itself gives (adminRoles, or an acknowledged group it puts them in) needs no acknowledgement", async () => {
        const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
        const TENANT_ADMINS = "0a0a0a0a-0000-0000-0000-0000000000ad";
        const tenantGroups = { ...plainGroup, "Tenant Admins": { objectId: TENANT_ADMINS, assignableToRole: true, members: [ANN.toUpperCase()] } };
        const roleAssignments = [
            { id: "hd", principalId: ANN, roleDefinitionId: HELPDESK, directoryScopeId: "/" },
            { id: "ta", principalId: TENANT_ADMINS, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" },
        ];
        const given = annWith("    adminRoles: [Helpdesk Administrator]\n    groups: [Tenant Admins]\n") + "existingGroups:\n  Tenant Admins: { grantsRoles: true }\n";
        const run = await deploy(writeUsersYaml(given), { tenantGroups, tenantUsers: [annInEntra()], roleAssignments });
        assert.equal(byType(run, USER).length, 4, "adopted again without adoption.privilegedRoles");
        // The same role held through a group users.yaml does not put them in still needs the acknowledgement.
        const notGiven = annWith("    adminRoles: [Helpdesk Administrator]\n");
        const failure = await deployFailure(writeUsersYaml(notGiven), { tenantGroups, tenantUsers: [annInEntra()], roleAssignments });
        assert.match(failure.message, /it holds Global Administrator \(privileged, through group "Tenant Admins"\), not listed under adoption\.privilegedRoles/);
        assert.doesNotMatch(failure.message, /Helpdesk/);
    });

    it("a privileged role acknowledged but not held is a warning", async () => {
        const run = await deploy(writeUsersYaml(annWith("    adoption: { privilegedRoles: [Global Administrator] }\n")), { tenantGroups: plainGroup, tenantUsers: [annInEntra()] });
        assert.equal(byType(run, USER).length, 4);
        const stale = run.warnings.filter((w) => w.includes("privilegedRoles"));
        assert.equal(stale.length, 1, run.warnings.join("\n"));
        assert.match(stale[0], /warning: users\.ann\.adopted: adoption\.privilegedRoles lists Global Administrator, which the account .* does not hold/);
    });

    it("an account Entra does not have is refused", async () => {
        const failure = await deployFailure(writeUsersYaml(SMALL_FIRM), { tenantGroups: plainGroup, tenantUsers: [] });
        assert.equal(failure.registrations.length, 0);
        assert.match(failure.message.split("\n")[1], new RegExp(`${ANN_OBJECT_ID_AT.source}users\\.ann\\.adopted adopts objectId ${ANN}, but Entra ID has no user with that id`));
    });

    it("every refused person is reported at once", async () => {
        const BOB = "33333333-0000-0000-0000-000000000003";
        const text = SMALL_FIRM.replace("    usageLocation: NZ\n", `    usageLocation: NZ\n    objectId: ${BOB}\n`);
        const failure = await deployFailure(writeUsersYaml(text), {
            tenantGroups: plainGroup,
            tenantUsers: [annInEntra({ userPrincipalName: "someone.else@examplefirm.com.au" })],
        });
        const lines = failure.message.split("\n").slice(1);
        assert.equal(lines.length, 2, failure.message);
        assert.match(lines[0], /users\.bob\.lee adopts objectId 33333333-0000-0000-0000-000000000003, but Entra ID has no user/);
        assert.match(lines[1], /users\.ann\.adopted adopts objectId .*someone\.else@examplefirm\.com\.au/);
    });
});

describe("the acknowledgement lines an error tells the reader to add", () => {
    it("write a value plain when YAML reads it back as the same string, else double-quoted", () => {
        const cases: [string, string][] = [
            ["IT Admins", "IT Admins"],
            ["ann.old@examplefirm.com.au", "ann.old@examplefirm.com.au"],
            ["O'Brien's team", "O'Brien's team"],
            ["Admins: Tier 0", '"Admins: Tier 0"'],
            ["Ops, Sydney", '"Ops, Sydney"'],
            ["[Admins]", '"[Admins]"'],
            ["#admins", '"#admins"'],
            ["true", '"true"'],
            ["No", '"No"'],
            ["1001", '"1001"'],
            ["1e3", '"1e3"'],
            ["Admins ", '"Admins "'],
        ];
        for (const [value, written] of cases) {
            assert.equal(yamlScalar(value), written, value);
            assert.deepEqual(parseYaml(`{ ${written}: [${written}] }`), { [value]: [value] }, `${written} reads back as ${value}`);
        }
    });
});
