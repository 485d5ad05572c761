import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { doctorCommand } from "../cli/doctor";
import { UsageError } from "../cli/io";
import { loadSeed, startEmulator, validateSeed, type Emulator, type EmulatorSeed, type PlatformQuirks } from "../emulator";
import { emulatorCredential, emulatorGraphClient, loadGraphSeed, startGraphEmulator, type GraphEmulator, type GraphSeed } from "../emulator/graph";
import type { Check } from "../doctor/check";
import { existingGroupsCheck, type GraphGroup } from "../doctor/existingGroupsCheck";
import { deployingNeeds, permissionsCheck, readOnlyNeeds } from "../doctor/graphPermissions";
import { portalPathsCheck, PORTAL_PATHS } from "../doctor/portalPaths";
import { probePath } from "../doctor/probes/portalProbe";
import { pulumiFacts } from "../doctor/probes/pulumiProbe";
import { PracticeProtectError } from "../practiceprotect/errors";
import { pulumiBackendCheck, pulumiSecretsCheck } from "../doctor/pulumiChecks";
import { renderMarkdown } from "../doctor/render";
import { canMakeSensitiveUpdates } from "../doctor/sensitiveUpdateRoles";
import { captureIO } from "./support/io";
import { FAST_RETRIES } from "./support/practiceProtect";

const ROOT = join(__dirname, "..");
const GRAPH_SEED = join(ROOT, "emulator/graph/seed.example.yaml");
const PORTAL_SEED = join(ROOT, "emulator/seed.example.yaml");
/** The deploying app's service principal, given a directory role in the healthy tenant. */
const DEPLOY_SP = "5e7a1c00-0000-4000-8000-00000000d001";
const PRIVILEGED_AUTH_ADMIN = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
const READ_PATHS = ["Core/GetDirectoryServices", "UserMgmt/DirectoryServiceQuery", "Redrock/query", "Roles/GetRoleMembers"];

/** A small firm on the example tenants: an admin, a licensed accountant, an existing and a created group, two portal roles. */
const USERS_YAML = `tenant: { domains: [harbourfinch.com.au] }
defaults:
  usageLocation: AU
  groups: [All Staff]
  licenses: [SPB]
  practiceProtect: { invite: true, roles: [Portal Users - AU] }
groups:
  Tax Team: { description: Tax and accounting staff }
users:
  jane.citizen:
    userPrincipalName: jane.citizen@harbourfinch.com.au
    displayName: Jane Citizen
    mobilePhone: "+61412345678"
    groups: [Partners]
    adminRoles: [Global Administrator]
  tom.nguyen:
    userPrincipalName: tom.nguyen@harbourfinch.com.au
    displayName: Tom Nguyen
    mobilePhone: "+61412345679"
    groups: [Tax Team]
    practiceProtect: { roles: [XPM Users] }
`;

interface Tenant {
    graphSeed: GraphSeed;
    portalSeed: EmulatorSeed;
    usersYaml: string;
    stackConfig: Record<string, string>;
}

function healthyTenant(): Tenant {
    const graphSeed = loadGraphSeed(GRAPH_SEED);
    graphSeed.apps[0].servicePrincipalId = DEPLOY_SP;
    graphSeed.roleAssignments = [...(graphSeed.roleAssignments ?? []), { principalId: DEPLOY_SP, roleDefinitionId: PRIVILEGED_AUTH_ADMIN }];
    return { graphSeed, portalSeed: loadSeed(PORTAL_SEED), usersYaml: USERS_YAML, stackConfig: { "practiceprotect-users:serviceAccountAccess": "full" } };
}

interface Run {
    code: number;
    out: string;
    lines: string[];
    graph: GraphEmulator;
    portal: Emulator;
    dir: string;
}

/** The emulators' call logs hold no write: nothing the doctor did changed the tenant or the portal. */
function assertNoWrites(run: Run): void {
    assert.equal(run.graph.writes(), 0, "no Graph write");
    assert.ok(run.graph.calls.filter((c) => !/oauth2\/v2\.0\/token$/.test(c.path)).every((c) => c.method === "GET"), "only GETs to Graph");
    assert.deepEqual(run.portal.writes(), [], "no portal write succeeded");
    assert.deepEqual(run.portal.state.invites, [], "no invitation sent");
    for (const c of run.portal.calls.filter((c) => /InviteUsers|RemoveUsers|UpdateRole/i.test(c.path))) assert.deepEqual(c.body, {}, `${c.path} was probed with an empty request only`);
}

/** The line of a check in terminal output, e.g. "  FAIL  Graph permissions: ...". */
function lineOf(run: { lines: string[] }, title: string): string {
    const found = run.lines.find((l) => l.startsWith("  ") && l.slice(8).startsWith(`${title}:`));
    assert.ok(found, `no line for '${title}' in:\n${run.lines.join("\n")}`);
    return found!;
}

const adviceUnder = (run: { lines: string[] }, title: string): string[] => {
    const at = run.lines.indexOf(lineOf(run, title));
    const advice: string[] = [];
    for (let i = at + 1; i < run.lines.length && run.lines[i].startsWith("        fix: "); i++) advice.push(run.lines[i].slice(13));
    return advice;
};

/**
 * Runs `npm run doctor` in-process against both emulators (Graph over its own HTTPS client, the portal over HTTP), in a
 * project directory of its own holding Pulumi.yaml, Pulumi.<stack>.yaml and users.yaml.
 */
async function runDoctorOn(
    tenant: Tenant,
    options: { args?: string[]; env?: Record<string, string>; app?: number; change?: (graph: GraphEmulator, portal: Emulator) => void; pulumiOnPath?: string; quirks?: PlatformQuirks } = {},
): Promise<Run> {
    const graph = await startGraphEmulator({ seed: tenant.graphSeed });
    const portal = await startEmulator({ seed: tenant.portalSeed, quirks: options.quirks });
    const dir = mkdtempSync(join(tmpdir(), "doctor-"));
    copyFileSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    writeFileSync(join(dir, "Pulumi.test.yaml"), `config:\n${Object.entries(tenant.stackConfig).map(([k, v]) => `  ${k}: ${v}\n`).join("")}`);
    writeFileSync(join(dir, "users.yaml"), tenant.usersYaml);
    options.change?.(graph, portal);
    const app = tenant.graphSeed.apps[options.app ?? 0];
    const env = {
        ARM_TENANT_ID: tenant.graphSeed.tenant.id,
        ARM_CLIENT_ID: app.clientId,
        ARM_CLIENT_SECRET: app.clientSecret,
        PRACTICEPROTECT_URL: portal.url,
        PRACTICEPROTECT_OAUTH_APP_ID: tenant.portalSeed.oauth.appId,
        PRACTICEPROTECT_CLIENT_ID: tenant.portalSeed.oauth.clientId,
        PRACTICEPROTECT_CLIENT_SECRET: tenant.portalSeed.oauth.clientSecret,
        PRACTICEPROTECT_SCOPE: tenant.portalSeed.oauth.scope ?? "",
        PRACTICEPROTECT_DIRECTORY: "Azure AD - Harbour Finch",
        PATH: options.pulumiOnPath ?? join(dir, "no-pulumi-here"),
        ...options.env,
    };
    const io = captureIO(env);
    const code = await doctorCommand(["--stack", "test", ...(options.args ?? [])], io, {
        cwd: dir,
        portalPolicy: FAST_RETRIES,
        connectGraph: (e, tenantId) => {
            const credential = emulatorCredential(graph.url, tenantId!, e.ARM_CLIENT_ID!, e.ARM_CLIENT_SECRET!);
            return { credential, client: emulatorGraphClient(graph.url, credential) };
        },
    });
    return { code, out: io.stdout.join("\n"), lines: io.stdout, graph, portal, dir };
}

describe("npm run doctor against the Graph and Practice Protect emulators", function () {
    this.timeout(60_000);
    const runs: Run[] = [];
    const doctor = async (...args: Parameters<typeof runDoctorOn>) => {
        const run = await runDoctorOn(...args);
        runs.push(run);
        return run;
    };
    afterEach(async () => {
        for (const run of runs.splice(0)) {
            await run.graph.close();
            await run.portal.close();
            rmSync(run.dir, { recursive: true, force: true });
        }
    });

    it("passes a healthy stack line by line, exit 0, with read calls only", async () => {
        const run = await doctor(healthyTenant());
        assert.equal(run.code, 0, run.out);
        assert.match(lineOf(run, "Users file"), /^ {2}PASS {2}Users file: \S*users\.yaml: valid, 2 users$/);
        assert.match(lineOf(run, "Committed configuration"), /^ {2}PASS {2}Committed configuration: Pulumi\.yaml and Pulumi\.test\.yaml set only documented keys/);
        assert.match(lineOf(run, "Graph token"), new RegExp(`PASS  Graph token: obtained for app ${healthyTenant().graphSeed.apps[0].clientId} \\(service principal ${DEPLOY_SP}\\)`));
        assert.match(lineOf(run, "Graph permissions"), /^ {2}PASS {2}Graph permissions: the token's application permissions cover creating and updating users;/);
        assert.match(lineOf(run, "Directory roles for sensitive updates"), /PASS .*holds Privileged Authentication Administrator: enough to update jane\.citizen, the practiceprotect service account$/);
        assert.match(lineOf(run, "Existing groups"), /PASS .*'All Staff', 'Partners': each exists once and can take members$/);
        assert.match(lineOf(run, "Role-assignable groups"), /PASS .*none of the existing groups users\.yaml names is role-assignable$/);
        assert.match(lineOf(run, "Adopted accounts"), /PASS .*users\.yaml adopts no existing account \(no objectId\)$/);
        assert.match(lineOf(run, "Licences and seats"), /PASS .*2 licensed users, every licence a subscription of the tenant; new seats: SPB 1 of 4 free$/);
        assert.match(lineOf(run, "Usage location for licences"), /PASS /);
        assert.match(lineOf(run, "Service account domain"), /PASS .*practiceprotect@harbourfinch\.onmicrosoft\.com \(the tenant's initial domain, looked up\)$/);
        assert.match(lineOf(run, "Token"), /PASS  Token: issued to users-as-code@harbourfinch \(oauth2-client\), scope 'users-as-code'$/);
        assert.match(lineOf(run, "Scope allows each path"), /PASS .*allows \/Core\/GetDirectoryServices, \/UserMgmt\/DirectoryServiceQuery, \/Redrock\/query, \/Roles\/GetRoleMembers, \/UserMgmt\/InviteUsers, \/UserMgmt\/RemoveUsers, \/Roles\/UpdateRole/);
        assert.match(lineOf(run, "Directory source"), /PASS .*'Azure AD - Harbour Finch' \(3f2b8c1e-7d6a-4b5c-9e8f-0a1b2c3d0002\)$/);
        assert.match(lineOf(run, "Portal roles"), /PASS .*'Portal Users - AU', 'XPM Users': each exists once$/);
        assert.match(lineOf(run, "Built-in roles left alone"), /PASS /);
        assert.match(lineOf(run, "State backend"), /^ {2}SKIP {2}State backend: pulumi is not on PATH/);
        assert.match(run.lines[run.lines.length - 1], /^Ready: nothing found that would make pulumi up fail \(17 passed, 0 failed, 0 warnings, 2 skipped\)\. Exit 0\.$/);
        assertNoWrites(run);
    });

    it("never prints a secret or a token", async () => {
        const tenant = healthyTenant();
        for (const run of [await doctor(tenant), await doctor(tenant, { args: ["--format", "json"] }), await doctor(tenant, { env: { ARM_CLIENT_SECRET: "wrong-graph-secret-1234", PRACTICEPROTECT_CLIENT_SECRET: "wrong-portal-secret-5678" } })]) {
            for (const secret of [tenant.graphSeed.apps[0].clientSecret, tenant.portalSeed.oauth.clientSecret, "wrong-graph-secret-1234", "wrong-portal-secret-5678"]) assert.ok(!run.out.includes(secret), `printed ${secret}`);
            assert.doesNotMatch(run.out, /eyJ[\w-]+\.[\w-]+/, "a JWT (Graph token)");
            assert.doesNotMatch(run.out, /(^|[^\w-])[\w-]{43}([^\w-]|$)/m, "a portal token (43 base64url characters)");
            assert.doesNotMatch(run.out, /Bearer \S/);
        }
    });

    it("a permission missing from the token's roles: names it, what it is for and the admin-consent step, exit 1", async () => {
        const tenant = healthyTenant();
        tenant.graphSeed.apps[0].roles = tenant.graphSeed.apps[0].roles.filter((r) => r !== "RoleManagement.ReadWrite.Directory");
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Graph permissions"), /^ {2}FAIL {2}Graph permissions: the token lacks RoleManagement\.ReadWrite\.Directory \(admin role assignments\); it carries Domain\.Read\.All, Group\.ReadWrite\.All, /);
        const advice = adviceUnder(run, "Graph permissions");
        assert.match(advice[0], /API permissions > Add a permission > Microsoft Graph > Application permissions: RoleManagement\.ReadWrite\.Directory\.$/);
        assert.match(advice[1], /Grant admin consent for <tenant>.*az ad app permission admin-consent --id 4a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01/);
        // The identity's own roles are read with the same permission: Graph's 403, as the emulator answers it.
        assert.match(lineOf(run, "Directory roles for sensitive updates"), /FAIL .*the identity's role assignments could not be read: HTTP 403 Authorization_RequestDenied/);
        assert.match(run.lines[run.lines.length - 1], /^Not ready: 2 checks fail;.* Exit 1\.$/);
        assertNoWrites(run);
    });

    it("User.ReadWrite.All stands in for LicenseAssignment.ReadWrite.All and User.RevokeSessions.All, as Graph's reference lists it", async () => {
        const tenant = healthyTenant();
        tenant.graphSeed.apps[0].roles = tenant.graphSeed.apps[0].roles.filter((r) => r !== "LicenseAssignment.ReadWrite.All" && r !== "User.RevokeSessions.All");
        const run = await doctor(tenant);
        assert.equal(run.code, 0, run.out);
        assert.match(lineOf(run, "Graph permissions"), /PASS/);
    });

    it("the deploying identity without a directory role: says which users' updates would be refused and which role to assign", async () => {
        const tenant = healthyTenant();
        tenant.graphSeed.roleAssignments = tenant.graphSeed.roleAssignments!.filter((a) => a.principalId !== DEPLOY_SP);
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        assert.match(
            lineOf(run, "Directory roles for sensitive updates"),
            /FAIL .*the identity holds no directory role; updates to these users would be refused \(403\): jane\.citizen \(Global Administrator\); the practiceprotect service account \(Global Administrator\)$/,
        );
        assert.match(adviceUnder(run, "Directory roles for sensitive updates")[0], /Roles & admins > Privileged Authentication Administrator > Add assignments/);
        assertNoWrites(run);
    });

    it("a scope that refuses a path: names the path and where to allow it, exit 1", async () => {
        const tenant = healthyTenant();
        tenant.portalSeed.oauth.allowedRest = [...READ_PATHS, "UserMgmt/InviteUsers", "UserMgmt/RemoveUsers"].map((p) => `/${p}`);
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Scope allows each path"), /^ {2}FAIL {2}Scope allows each path: the scope 'users-as-code' of the OAuth2 client app 'UsersAsCode' refuses \/Roles\/UpdateRole$/);
        assert.match(adviceUnder(run, "Scope allows each path")[0], /Apps & Widgets > Web Apps > UsersAsCode > Scope > users-as-code: add each of Roles\/UpdateRole to its allowed REST APIs/);
        assert.match(lineOf(run, "Token"), /PASS/);
        assertNoWrites(run);
    });

    it("a scope refusal answered inside an HTTP 200 envelope (ErrorCode 401, as some tenants answer a refused token) is told apart the same way", async () => {
        const tenant = healthyTenant();
        tenant.portalSeed.oauth.allowedRest = [...READ_PATHS, "UserMgmt/InviteUsers", "Roles/UpdateRole"].map((p) => `/${p}`);
        const run = await doctor(tenant, { quirks: { unauthenticated: "envelope" } });
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Scope allows each path"), /FAIL .*refuses \/UserMgmt\/RemoveUsers$/);
        assertNoWrites(run);
    });

    it("a portal role users.yaml names that does not exist: lists the roles the portal has, exit 1", async () => {
        const tenant = healthyTenant();
        tenant.portalSeed.roles = tenant.portalSeed.roles.filter((r) => r.name !== "XPM Users");
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Portal roles"), /FAIL {2}Portal roles: no role is named 'XPM Users'; the portal's roles are: 'Everybody', 'Office Apps', 'Portal Users - AU', 'System Administrator'$/);
        assert.match(adviceUnder(run, "Portal roles")[0], /create the role first \(Admin portal > Core Services > Roles > Add Role\)/);
        assertNoWrites(run);
    });

    it("a built-in portal role in users.yaml fails the line that keeps them unmanaged", async () => {
        const tenant = healthyTenant();
        tenant.usersYaml = tenant.usersYaml.replace("roles: [XPM Users]", "roles: [Everybody]");
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Built-in roles left alone"), /FAIL .*built-in role 'Everybody', which the program never manages: the deployment would fail$/);
        assert.match(lineOf(run, "Portal roles"), /PASS .*'Portal Users - AU': each exists once$/);
    });

    it("a mail-enabled group users.yaml puts people in: says what kind it is and to manage it in Exchange, exit 1", async () => {
        const tenant = healthyTenant();
        const partners = tenant.graphSeed.groups!.find((g) => g.displayName === "Partners")!;
        Object.assign(partners, { mailEnabled: true, securityEnabled: true, mailNickname: "partners" });
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Existing groups"), /FAIL {2}Existing groups: 'Partners' \(\S*users\.yaml:\d+:\d+\) is a mail-enabled security group, whose members Microsoft Graph cannot change \(only Exchange can\)$/);
        assert.match(adviceUnder(run, "Existing groups")[0], /manage it in the Exchange admin center/);
        assertNoWrites(run);
    });

    it("a group that is missing or named twice", async () => {
        const tenant = healthyTenant();
        tenant.graphSeed.groups = [...tenant.graphSeed.groups!.filter((g) => g.displayName !== "Partners"), { id: "1f0e2d3c-0099-4b5a-9c8d-7e6f5a4b3c99", displayName: "all staff" }];
        const run = await doctor(tenant);
        assert.match(lineOf(run, "Existing groups"), /FAIL {2}Existing groups: 2 groups are named 'All Staff' \(\S*users\.yaml:\d+:\d+; object ids 1f0e2d3c-0001-4b5a-9c8d-7e6f5a4b3c01, 1f0e2d3c-0099-4b5a-9c8d-7e6f5a4b3c99\); 'Partners' \(\S*users\.yaml:\d+:\d+\) does not exist$/);
    });

    it("a role-assignable group: unacknowledged fails with its roles and the lines to add; acknowledged passes with its roles", async () => {
        const tenant = healthyTenant();
        tenant.usersYaml = tenant.usersYaml.replace("groups: [Tax Team]", "groups: [Tax Team, IT Admins]");
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Role-assignable groups"), /^ {2}FAIL {2}Role-assignable groups: 'IT Admins' \(\S*users\.yaml:\d+:\d+\) is role-assignable and not acknowledged; carries Helpdesk Administrator( \(privileged\))?, Reports Reader$/);
        assert.match(adviceUnder(run, "Role-assignable groups")[0], /existingGroups: \{ IT Admins: \{ grantsRoles: true \} \}\.$/);
        assert.match(lineOf(run, "Existing groups"), /PASS /, "it can take members");

        tenant.usersYaml = `existingGroups:\n  IT Admins: { grantsRoles: true }\n  Partners: { grantsRoles: true }\n${tenant.usersYaml}`;
        const acknowledged = await doctor(tenant);
        assert.match(
            lineOf(acknowledged, "Role-assignable groups"),
            /^ {2}WARN {2}Role-assignable groups: 'IT Admins' is role-assignable, acknowledged \(grantsRoles\); carries Helpdesk Administrator( \(privileged\))?, Reports Reader; 'Partners' is acknowledged as granting roles but is not role-assignable$/,
        );
        assert.equal(acknowledged.code, 0, acknowledged.out);
        assertNoWrites(acknowledged);
        const listings = acknowledged.graph.calls.filter((c) => c.path === "/v1.0/roleManagement/directory/roleAssignments" && c.query.includes("principalId in"));
        assert.equal(listings.length, 1, "one listing for the groups' (and adopted accounts') roles");
    });

    it("adopted accounts: a renamed account or an unacknowledged privileged role fails, naming what to write; acknowledged, it passes and is named", async () => {
        const tenant = healthyTenant();
        tenant.usersYaml = tenant.usersYaml
            // Without adminRoles: a Global Administrator users.yaml itself gives would need no acknowledgement.
            .replace("    adminRoles: [Global Administrator]\n", "    objectId: 0a1b2c3d-1001-4e5f-8a9b-0c1d2e3f4a01\n")
            .replace("tom.nguyen@harbourfinch.com.au\n", "tom@harbourfinch.com.au\n    objectId: 0a1b2c3d-1004-4e5f-8a9b-0c1d2e3f4a04\n");
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        const line = lineOf(run, "Adopted accounts");
        assert.match(line, /^ {2}FAIL {2}Adopted accounts: users\.jane\.citizen adopts objectId 0a1b2c3d-1001-4e5f-8a9b-0c1d2e3f4a01, which is not what users\.yaml says: it holds Global Administrator \(privileged\), not listed under adoption\.privilegedRoles\./);
        assert.match(line, /users\.tom\.nguyen adopts objectId 0a1b2c3d-1004-4e5f-8a9b-0c1d2e3f4a04, which is not what users\.yaml says: its sign-in name in Entra is tom\.nguyen@harbourfinch\.com\.au, not tom@harbourfinch\.com\.au/);
        const advice = adviceUnder(run, "Adopted accounts");
        assert.equal(advice.length, 2);
        assert.match(advice[0], /^\S*users\.yaml:\d+:\d+: users\.jane\.citizen .*write under users\.jane\.citizen: adoption: \{ privilegedRoles: \[Global Administrator\] \}$/);
        assert.match(advice[1], /adoption: \{ currentUserPrincipalName: tom\.nguyen@harbourfinch\.com\.au \}$/);

        tenant.usersYaml = tenant.usersYaml
            .replace("    objectId: 0a1b2c3d-1001-4e5f-8a9b-0c1d2e3f4a01\n", "    objectId: 0a1b2c3d-1001-4e5f-8a9b-0c1d2e3f4a01\n    adoption: { privilegedRoles: [Global Administrator] }\n")
            .replace("    objectId: 0a1b2c3d-1004-4e5f-8a9b-0c1d2e3f4a04\n", "    objectId: 0a1b2c3d-1004-4e5f-8a9b-0c1d2e3f4a04\n    adoption: { currentUserPrincipalName: tom.nguyen@harbourfinch.com.au }\n");
        const acknowledged = await doctor(tenant);
        assert.match(
            lineOf(acknowledged, "Adopted accounts"),
            /^ {2}PASS {2}Adopted accounts: 2 adopted accounts are what users\.yaml says; jane\.citizen \(acknowledged\): holds Global Administrator \(privileged\); tom\.nguyen \(acknowledged\): is tom\.nguyen@harbourfinch\.com\.au in Entra$/,
        );
        assertNoWrites(acknowledged);
    });

    it("a privileged role an adopted account holds as a member of a role-assignable group fails like a direct one", async () => {
        const tenant = healthyTenant();
        // IT Admins (role-assignable; Sarah is a member) also carries Privileged Role Administrator.
        tenant.graphSeed.roleAssignments!.push({ principalId: "1f0e2d3c-0007-4b5a-9c8d-7e6f5a4b3c07", roleDefinitionId: "e8611ab8-c189-46e8-94e1-60213ab1f814" });
        tenant.usersYaml += "  sarah.oconnor:\n    userPrincipalName: sarah.oconnor@harbourfinch.com.au\n    displayName: Sarah O'Connor\n    mobilePhone: \"+61412345670\"\n    objectId: 0a1b2c3d-1005-4e5f-8a9b-0c1d2e3f4a05\n";
        const run = await doctor(tenant, { app: 1, args: ["--identity", "read-only"] });
        assert.match(lineOf(run, "Adopted accounts"), /FAIL {2}Adopted accounts: users\.sarah\.oconnor adopts objectId 0a1b2c3d-1005-4e5f-8a9b-0c1d2e3f4a05, which is not what users\.yaml says: it holds .*Privileged Role Administrator \(privileged, through group "IT Admins"\)/);
        assert.deepEqual(
            run.graph.calls.filter((c) => c.path === "/v1.0/groups/1f0e2d3c-0007-4b5a-9c8d-7e6f5a4b3c07/members").map((c) => c.status),
            [200],
            "the members of the role-assignable group that carries roles are read once",
        );
        assertNoWrites(run);
    });

    it("an adopted account Entra does not have fails; the read-only identity can read accounts and roles", async () => {
        const tenant = healthyTenant();
        tenant.usersYaml = tenant.usersYaml.replace("tom.nguyen@harbourfinch.com.au\n", "tom.nguyen@harbourfinch.com.au\n    objectId: 0a1b2c3d-1099-4e5f-8a9b-0c1d2e3f4a99\n");
        const run = await doctor(tenant, { app: 1, args: ["--identity", "read-only"] });
        assert.match(lineOf(run, "Adopted accounts"), /FAIL {2}Adopted accounts: users\.tom\.nguyen adopts objectId 0a1b2c3d-1099-4e5f-8a9b-0c1d2e3f4a99, but Entra ID has no user with that id/);
        assert.equal(run.graph.calls.filter((c) => c.status === 403).length, 0, "the read-only identity's permissions cover the reads");
    });

    it("seats exhausted: names the subscription, seats needed and free, and for whom, exit 1", async () => {
        const run = await doctor(healthyTenant(), { change: (graph) => graph.faults.exhaustSeats("SPB") });
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Licences and seats"), /FAIL {2}Licences and seats: not enough seats: SPB: 1 needed, 0 free, for tom\.nguyen$/);
        assert.match(adviceUnder(run, "Licences and seats")[0], /^Buy more seats \(Microsoft 365 admin center > Billing > Your products\)/);
        assertNoWrites(run);
    });

    it("a licence the tenant does not have", async () => {
        const tenant = healthyTenant();
        tenant.usersYaml = tenant.usersYaml.replace("licenses: [SPB]", "licenses: [ENTERPRISEPACK]");
        const run = await doctor(tenant);
        assert.match(lineOf(run, "Licences and seats"), /FAIL .*\S*users\.yaml:\d+:\d+: the tenant has no Office 365 E3 \(ENTERPRISEPACK\) subscription; its subscriptions are: EXCHANGESTANDARD, O365_BUSINESS_ESSENTIALS, SPB/);
    });

    it("a wrong Graph secret: the sign-in fails with Entra's reason, the rest of Entra is skipped, exit 1", async () => {
        const run = await doctor(healthyTenant(), { env: { ARM_CLIENT_SECRET: "not-the-secret" } });
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Graph token"), /^ {2}FAIL {2}Graph token: no token for Microsoft Graph: .*AADSTS7000215: Invalid client secret provided/);
        assert.match(adviceUnder(run, "Graph token")[0], /^Check ARM_CLIENT_ID and ARM_CLIENT_SECRET/);
        for (const title of ["Graph permissions", "Directory roles for sensitive updates", "Existing groups", "Licences and seats"]) assert.match(lineOf(run, title), /SKIP .*not checked: no Graph token$/);
        assert.match(lineOf(run, "Token"), /PASS/, "the portal is checked all the same");
    });

    it("a wrong portal secret: the token is refused, the portal's other lines are skipped, exit 1", async () => {
        const run = await doctor(healthyTenant(), { env: { PRACTICEPROTECT_CLIENT_SECRET: "not-the-secret" } });
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Token"), /^ {2}FAIL {2}Token: Practice Protect \/oauth2\/token: token refused \(invalid_client: Client authentication failed\.\)/);
        assert.match(adviceUnder(run, "Token")[0], /^Check PRACTICEPROTECT_CLIENT_ID and PRACTICEPROTECT_CLIENT_SECRET/);
        assert.match(lineOf(run, "Scope allows each path"), /SKIP .*not checked: no token$/);
        assert.deepEqual(run.portal.calls.map((c) => c.path), ["/oauth2/token/UsersAsCode"], "nothing called without a token");
    });

    it("missing portal settings are named (and a usage of the portal is what makes them needed)", async () => {
        const run = await doctor(healthyTenant(), { env: { PRACTICEPROTECT_DIRECTORY: "" } });
        assert.match(lineOf(run, "Token"), /FAIL .*practiceprotect:directory \(or PRACTICEPROTECT_DIRECTORY\) is not set/);
        const tenant = healthyTenant();
        tenant.usersYaml = tenant.usersYaml.replace("practiceProtect: { invite: true, roles: [Portal Users - AU] }", "").replace("    practiceProtect: { roles: [XPM Users] }\n", "");
        const quiet = await doctor(tenant, { env: { PRACTICEPROTECT_DIRECTORY: "" } });
        assert.match(lineOf(quiet, "Token"), /SKIP .*users\.yaml invites no one to the portal, so pulumi up does not contact it$/);
        assert.equal(quiet.code, 0);
        assert.deepEqual(quiet.portal.calls, []);
    });

    it("a committed Key Vault id the environment does not hold, and a refused provider key, each at its position", async () => {
        const tenant = healthyTenant();
        tenant.stackConfig["practiceprotect-users:serviceAccountKeyVaultId"] = "/subscriptions/9/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-author";
        tenant.stackConfig["azuread:metadataHost"] = "login.collector.example";
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        assert.match(
            lineOf(run, "Committed configuration"),
            /FAIL {2}Committed configuration: Pulumi\.test\.yaml:3:51: error: practiceprotect-users:serviceAccountKeyVaultId is '.*kv-author' but SERVICE_ACCOUNT_KEY_VAULT_ID is not set: .*; Pulumi\.test\.yaml:4:3: error: azuread:metadataHost configures how the azuread provider signs in/,
        );
    });

    it("serviceAccountDomain that is not the initial domain", async () => {
        const tenant = healthyTenant();
        tenant.stackConfig["practiceprotect-users:serviceAccountDomain"] = "harbourfinchold.onmicrosoft.com";
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Service account domain"), /FAIL .*serviceAccountDomain is harbourfinchold\.onmicrosoft\.com, not a domain of this tenant; the initial domain is harbourfinch\.onmicrosoft\.com$/);
        assert.deepEqual(adviceUnder(run, "Service account domain"), ["pulumi config set serviceAccountDomain harbourfinch.onmicrosoft.com (or pulumi config rm serviceAccountDomain to look it up)."]);
    });

    it("with serviceAccountDomain set, an identity without Domain.Read.All can deploy: the domain line only warns", async () => {
        const tenant = healthyTenant();
        tenant.stackConfig["practiceprotect-users:serviceAccountDomain"] = "harbourfinch.onmicrosoft.com";
        tenant.graphSeed.apps[0].roles = tenant.graphSeed.apps[0].roles.filter((r) => r !== "Domain.Read.All");
        const run = await doctor(tenant);
        assert.equal(run.code, 0, run.out);
        assert.match(lineOf(run, "Graph permissions"), /PASS/);
        assert.match(lineOf(run, "Service account domain"), /^ {2}WARN {2}Service account domain: the tenant's domains could not be read, so serviceAccountDomain harbourfinch\.onmicrosoft\.com was not compared .*: HTTP 403 Authorization_RequestDenied/);
    });

    it("users.yaml with errors: the stack line fails and the checks that need it are skipped", async () => {
        const tenant = healthyTenant();
        tenant.usersYaml = tenant.usersYaml.replace("displayName: Tom Nguyen", "displayNam: Tom Nguyen");
        const run = await doctor(tenant);
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Users file"), /FAIL {2}Users file: \S*users\.yaml has 2 errors: \S*users\.yaml:\d+:\d+: error: user 'tom\.nguyen': displayName is required.*unknown key 'displayNam' \(did you mean 'displayName'\?\)/);
        assert.match(lineOf(run, "Graph token"), /PASS/);
        assert.match(lineOf(run, "Existing groups"), /SKIP .*users\.yaml has errors$/);
    });

    it("as the read-only identity with a read-only scope: passes, refused writes are as they should be, directory roles are not its business", async () => {
        const tenant = healthyTenant();
        tenant.portalSeed.oauth.allowedRest = READ_PATHS.map((p) => `/${p}`);
        const run = await doctor(tenant, { app: 1, args: ["--identity", "read-only"] });
        assert.equal(run.code, 0, run.out);
        assert.match(lineOf(run, "Graph permissions"), /PASS .*cover reading users and the accounts users\.yaml adopts; reading groups and their members; reading the directory roles of adopted accounts and role-assignable groups; licences: the tenant's subscriptions and free seats; finding the initial onmicrosoft\.com domain/);
        assert.match(lineOf(run, "Directory roles for sensitive updates"), /SKIP .*read-only identity/);
        assert.match(lineOf(run, "Scope allows each path"), /PASS .*; writes refused, as a read-only scope should: \/UserMgmt\/InviteUsers, \/UserMgmt\/RemoveUsers, \/Roles\/UpdateRole$/);
        assert.match(run.lines[run.lines.length - 1], /^Nothing found that would make a preview fail; the deploying identity was not checked/);
        assertNoWrites(run);
    });

    it("as the read-only identity with a scope missing read paths: the path line fails, and the lines that needed them say why", async () => {
        const tenant = healthyTenant();
        tenant.portalSeed.oauth.allowedRest = ["/UserMgmt/DirectoryServiceQuery", "/Redrock/query"];
        const run = await doctor(tenant, { app: 1, args: ["--identity", "read-only"] });
        assert.equal(run.code, 1);
        assert.match(lineOf(run, "Token"), /PASS/, "the token is issued; the scope then refuses paths");
        assert.match(lineOf(run, "Scope allows each path"), /FAIL .*refuses \/Core\/GetDirectoryServices, \/Roles\/GetRoleMembers; could not tell for \/UserMgmt\/DirectoryServiceQuery \(not probed: the directory source was not found\)$/);
        assert.match(lineOf(run, "Directory source"), /FAIL .*Core\/GetDirectoryServices: not authenticated/);
        assertNoWrites(run);
    });

    it("as the read-only identity with a scope that lets writes through: a warning, not a failure", async () => {
        const run = await doctor(healthyTenant(), { app: 1, args: ["--identity", "read-only"] });
        assert.equal(run.code, 0);
        assert.match(lineOf(run, "Scope allows each path"), /^ {2}WARN {2}Scope allows each path: the read paths are allowed, but the read-only .* also lets through \/UserMgmt\/InviteUsers, \/UserMgmt\/RemoveUsers, \/Roles\/UpdateRole$/);
        assertNoWrites(run);
    });

    it("--format json for CI: the checks as data with the exit code", async () => {
        const tenant = healthyTenant();
        tenant.graphSeed.apps[0].roles = tenant.graphSeed.apps[0].roles.filter((r) => r !== "Organization.Read.All");
        const run = await doctor(tenant, { args: ["--format", "json"] });
        const report = JSON.parse(run.out) as { exitCode: number; stack: string; identity: string; summary: Record<string, number>; checks: Check[] };
        assert.equal(run.code, 1);
        assert.equal(report.exitCode, 1);
        assert.equal(report.stack, "test");
        assert.equal(report.identity, "deploying");
        const byId = (id: string) => report.checks.find((c) => c.id === id)!;
        assert.equal(byId("entra.permissions").verdict, "fail");
        assert.match(byId("entra.permissions").detail, /^the token lacks Organization\.Read\.All \(licences: the tenant's subscriptions and free seats\)/);
        // Without the permission, the subscriptions cannot be read either: Graph's 403, as the emulator answers it.
        assert.equal(byId("entra.licences").verdict, "fail");
        assert.match(byId("entra.licences").detail, /^the tenant's licences could not be read: HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the operation\./);
        assert.deepEqual(report.summary, { pass: 14, warn: 0, fail: 2, skip: 3 });
        assert.deepEqual(report.checks.map((c) => c.id), [
            "stack.configuration", "stack.settings", "stack.usersFile",
            "entra.token", "entra.permissions", "entra.directoryRoles", "entra.groups", "entra.roleAssignableGroups", "entra.adoptedAccounts", "entra.licences", "entra.usageLocation", "entra.serviceAccountDomain",
            "portal.token", "portal.paths", "portal.directory", "portal.roles", "portal.builtInRoles",
            "pulumi.backend", "pulumi.secrets",
        ]);
    });

    it("--format markdown, and a GitHub Actions job summary when run in Actions", async () => {
        const tenant = healthyTenant();
        tenant.portalSeed.roles = tenant.portalSeed.roles.filter((r) => r.name !== "XPM Users");
        const summaryDir = mkdtempSync(join(tmpdir(), "doctor-summary-"));
        const summary = join(summaryDir, "summary.md");
        writeFileSync(summary, "earlier step\n");
        try {
            const run = await doctor(tenant, { args: ["--format", "markdown"], env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary } });
            assert.equal(run.code, 1);
            assert.equal(run.lines[0], "### npm run doctor (stack test): 1 problem");
            assert.ok(run.lines.includes("| ❌ | Portal roles | no role is named 'XPM Users'; the portal's roles are: 'Everybody', 'Office Apps', 'Portal Users - AU', 'System Administrator'<br>**Fix:** Correct the role name in users.yaml to one the portal has, or create the role first (Admin portal > Core Services > Roles > Add Role); rename duplicates so each name is used once. |"), run.out);
            assert.equal(readFileSync(summary, "utf8"), `earlier step\n${run.out}\n\n`);
        } finally {
            rmSync(summaryDir, { recursive: true, force: true });
        }
    });
});

describe("portal emulator: a scope's allowed REST paths", () => {
    it("refuses a seed whose allowed path is not a regular expression", () => {
        const seed = loadSeed(PORTAL_SEED);
        seed.oauth.allowedRest = ["/Redrock/query", "/Roles/(GetRoleMembers"];
        assert.throws(() => validateSeed(seed), /oauth\.allowedRest: '\/Roles\/\(GetRoleMembers' is not a regular expression/);
    });
});

describe("npm run doctor: usage", () => {
    it("refuses unknown flags and values (exit 2 through runAsProcess), and prints usage on --help", async () => {
        await assert.rejects(doctorCommand(["--stak", "dev"], captureIO()), UsageError);
        await assert.rejects(doctorCommand(["--format", "yaml"], captureIO()), (e: Error) => e instanceof UsageError && /use terminal, markdown or json/.test(e.message));
        await assert.rejects(doctorCommand(["--identity", "admin"], captureIO()), (e: Error) => e instanceof UsageError && /deploying .* or read-only/.test(e.message));
        await assert.rejects(doctorCommand(["extra"], captureIO()), UsageError);
        await assert.rejects(doctorCommand([], captureIO(), { cwd: tmpdir() }), (e: Error) => e instanceof UsageError && /no Pulumi\.yaml in .*: run the doctor in the project directory/.test(e.message));
        const io = captureIO();
        assert.equal(await doctorCommand(["--help"], io), 0);
        assert.match(io.stdout[0], /^usage: npm run doctor -- \[--stack NAME\]/);
    });

    it("loads no Pulumi: the checks, probes and rendering are plain TypeScript", async function () {
        this.timeout(60_000);
        const script = 'require("./cli/doctor"); process.stdout.write(String(Object.keys(require.cache).filter((k) => k.includes("@pulumi")).length))';
        const loaded = await new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT });
            let out = "";
            child.stdout.on("data", (d) => (out += d));
            child.on("error", reject);
            child.on("close", () => resolve(out));
        });
        assert.equal(loaded, "0");
    });

    it("as a process: exit 2 on a usage error, with the usage", async function () {
        this.timeout(60_000);
        const { code, stderr } = await spawnDoctor(["--nope"], { cwd: ROOT, env: { ...process.env } });
        assert.equal(code, 2);
        assert.match(stderr, /error: Unknown option '--nope'[\s\S]*usage: npm run doctor/);
    });
});

/** cli/doctor.ts in a child process, started asynchronously (an emulator in this process must keep answering). */
function spawnDoctor(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", join(ROOT, "cli/doctor.ts"), ...args], {
            cwd: options.cwd,
            env: { ...options.env, TS_NODE_PROJECT: join(ROOT, "tsconfig.json"), NODE_PATH: join(ROOT, "node_modules") },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

describe("npm run doctor as a process, signing in to Graph as pulumi up does (USERS_AS_CODE_GRAPH_URL)", function () {
    this.timeout(90_000);
    it("exit 0 when healthy and 1 with a missing permission, over the real credential chain", async () => {
        for (const missing of [undefined, "Group.ReadWrite.All"]) {
            const tenant = healthyTenant();
            if (missing) tenant.graphSeed.apps[0].roles = tenant.graphSeed.apps[0].roles.filter((r) => r !== missing);
            const graph = await startGraphEmulator({ seed: tenant.graphSeed });
            const portal = await startEmulator({ seed: tenant.portalSeed });
            const dir = mkdtempSync(join(tmpdir(), "doctor-process-"));
            try {
                copyFileSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
                writeFileSync(join(dir, "Pulumi.test.yaml"), "config:\n  practiceprotect-users:serviceAccountAccess: full\n");
                writeFileSync(join(dir, "users.yaml"), tenant.usersYaml);
                writeFileSync(join(dir, "graph.pem"), graph.certificate);
                const app = tenant.graphSeed.apps[0];
                const { code, stdout, stderr } = await spawnDoctor(["--stack", "test", "--format", "json"], {
                    cwd: dir,
                    env: {
                        PATH: join(dir, "bin"),
                        USERS_AS_CODE_GRAPH_URL: graph.url,
                        NODE_EXTRA_CA_CERTS: join(dir, "graph.pem"),
                        ARM_TENANT_ID: tenant.graphSeed.tenant.id,
                        ARM_CLIENT_ID: app.clientId,
                        ARM_CLIENT_SECRET: app.clientSecret,
                        PRACTICEPROTECT_URL: portal.url,
                        PRACTICEPROTECT_OAUTH_APP_ID: "UsersAsCode",
                        PRACTICEPROTECT_CLIENT_ID: tenant.portalSeed.oauth.clientId,
                        PRACTICEPROTECT_CLIENT_SECRET: tenant.portalSeed.oauth.clientSecret,
                        PRACTICEPROTECT_SCOPE: "users-as-code",
                        PRACTICEPROTECT_DIRECTORY: "Azure AD - Harbour Finch",
                    },
                });
                const report = JSON.parse(stdout) as { checks: Check[] };
                const permissions = report.checks.find((c) => c.id === "entra.permissions")!;
                if (!missing) {
                    assert.equal(code, 0, `${stdout}\n${stderr}`);
                    assert.equal(permissions.verdict, "pass");
                } else {
                    assert.equal(code, 1, stderr);
                    assert.equal(permissions.verdict, "fail");
                    assert.match(permissions.detail, /^the token lacks Group\.ReadWrite\.All \(creating groups and their memberships\)/);
                }
                assert.equal(graph.writes(), 0);
                assert.deepEqual(portal.writes(), []);
            } finally {
                await graph.close();
                await portal.close();
                rmSync(dir, { recursive: true, force: true });
            }
        }
    });
});

describe("doctor: the checks' rules", () => {
    it("who may make sensitive updates to whom: Microsoft's table for the roles users.yaml can assign", () => {
        const cases: [string[], string[], boolean][] = [
            [["Privileged Authentication Administrator"], ["Global Administrator"], true],
            [["Global Administrator"], ["Privileged Role Administrator", "Exchange Administrator"], true],
            [["User Administrator"], ["Helpdesk Administrator", "Password Administrator"], true],
            [["User Administrator"], ["User Administrator", "Groups Administrator", "Reports Reader"], true],
            [["User Administrator"], ["Exchange Administrator"], false],
            [["User Administrator"], ["Authentication Administrator"], false],
            [["Authentication Administrator"], ["Authentication Administrator"], true],
            [["Authentication Administrator"], ["Helpdesk Administrator"], false],
            [["Helpdesk Administrator"], ["Password Administrator"], false],
            [["Exchange Administrator"], ["Reports Reader"], false],
            [[], ["Reports Reader"], false],
            [["User Administrator", "Authentication Administrator"], ["Authentication Administrator"], true],
        ];
        for (const [caller, target, expected] of cases) assert.equal(canMakeSensitiveUpdates(caller as never, target as never), expected, `${caller} → ${target}`);
    });

    it("Graph permissions: any one alternative of each need; a read-only identity that can write is warned about", () => {
        const needs = deployingNeeds({ licences: false, initialDomainLookup: false });
        assert.deepEqual(needs.map((n) => n.anyOf[0]), ["User.ReadWrite.All", "Group.ReadWrite.All", "RoleManagement.ReadWrite.Directory", "User.RevokeSessions.All"]);
        assert.equal(permissionsCheck("deploying", ["Directory.ReadWrite.All", "RoleManagement.ReadWrite.Directory"], needs, {}).verdict, "pass");
        assert.equal(permissionsCheck("deploying", ["user.readwrite.all", "group.readwrite.all", "rolemanagement.readwrite.directory"], needs, {}).verdict, "pass", "User.ReadWrite.All covers revocation; case ignored");
        const failed = permissionsCheck("deploying", [], needs, { clientId: "app-1" });
        assert.equal(failed.detail, "the token lacks User.ReadWrite.All (creating and updating users), Group.ReadWrite.All (creating groups and their memberships), RoleManagement.ReadWrite.Directory (admin role assignments), User.RevokeSessions.All (ending an offboarded user's sign-in sessions); it carries no application permissions");
        const user = permissionsCheck("deploying", [], needs, { delegated: true });
        assert.equal(user.verdict, "warn", "a user's token (az login) has no application permissions to judge");
        assert.match(user.detail, /^signed in as a user \(the Azure CLI's account\)/);
        const reads = readOnlyNeeds({ licences: true, initialDomainLookup: true });
        const warned = permissionsCheck("read-only", ["User.Read.All", "Group.ReadWrite.All", "RoleManagement.Read.Directory", "Organization.Read.All", "Domain.Read.All"], reads, { clientId: "ro" });
        assert.equal(warned.verdict, "warn");
        assert.match(warned.detail, /the read-only identity can also write: Group\.ReadWrite\.All$/);
    });

    it("portal paths: what counts as refused and allowed, per identity", () => {
        const settings = { signIn: "oauth2-client", oauthAppId: "App", scope: "s" };
        const all = (outcome: "allowed" | "refused") => PORTAL_PATHS.map((p) => ({ path: p.path, outcome, answer: "" }));
        assert.equal(portalPathsCheck("deploying", all("allowed"), settings).verdict, "pass");
        assert.equal(portalPathsCheck("read-only", all("allowed"), settings).verdict, "warn");
        const readOnly = PORTAL_PATHS.map((p) => ({ path: p.path, outcome: p.access === "read" ? ("allowed" as const) : ("refused" as const), answer: "" }));
        assert.equal(portalPathsCheck("read-only", readOnly, settings).verdict, "pass");
        assert.equal(portalPathsCheck("deploying", readOnly, settings).verdict, "fail");
        const unknown = PORTAL_PATHS.map((p, i) => ({ path: p.path, outcome: i === 0 ? ("unknown" as const) : ("allowed" as const), answer: "answered HTTP 200 with an HTML page" }));
        assert.match(portalPathsCheck("deploying", unknown, settings).detail, /could not tell for \/Core\/GetDirectoryServices \(answered HTTP 200 with an HTML page\)/);
        const platform = portalPathsCheck("deploying", readOnly, { signIn: "platform-service-user", oauthAppId: "" });
        assert.match(platform.advice![0], /^Give the service user's role the administrative rights/);
    });

    it("portal answers: a refusal however the platform words it, a missing-parameter error as a write let through, anything else unknown", async () => {
        const fail = (info: ConstructorParameters<typeof PracticeProtectError>[2]) => async () => {
            throw new PracticeProtectError("/Roles/UpdateRole", "failed", info);
        };
        const outcome = async (info: ConstructorParameters<typeof PracticeProtectError>[2], emptyWrite = true) => (await probePath("/Roles/UpdateRole", fail(info), { emptyWrite })).outcome;
        assert.equal(await outcome({ unauthenticated: true, status: 401 }), "refused");
        assert.equal(await outcome({ status: 403 }), "refused");
        assert.equal(await outcome({ status: 200, platformMessage: "You are not authorized to perform this operation." }), "refused");
        assert.equal(await outcome({ status: 200, platformMessage: "Parameter 'Name' must be specified." }), "allowed");
        assert.equal(await outcome({ status: 200, platformMessage: "Something else went wrong." }), "unknown", "an empty write answered otherwise is not taken as a pass");
        assert.equal(await outcome({ status: 200, platformMessage: "Role 'x' was not found." }, false), "allowed", "a read that reached its endpoint");
        assert.equal(await outcome({ status: 200 }), "unknown", "an HTML page or a non-JSON answer");
        assert.equal((await probePath("/Redrock/query", async () => ({}))).outcome, "allowed");
    });

    it("existing groups: Graph's group resource judged by the program's own rule (dynamic, on-premises, Microsoft 365)", () => {
        const ref = (name: string) => ({ name, where: "users.yaml:3:4", usedAt: ["users.yaml:3:4"], uses: 1, grantsRoles: false });
        const group = (over: Partial<GraphGroup>): GraphGroup => ({ id: "g1", displayName: "G", groupTypes: [], mailEnabled: false, securityEnabled: true, onPremisesSyncEnabled: null, ...over });
        const verdict = (g: GraphGroup) => existingGroupsCheck([ref("G")], new Map([["g", { ok: true as const, value: [g] }]]));
        assert.match(verdict(group({ groupTypes: ["DynamicMembership"] })).detail, /^'G' \(users\.yaml:3:4\) has dynamic membership/);
        assert.match(verdict(group({ onPremisesSyncEnabled: true })).detail, /is synced from on-premises Active Directory/);
        assert.equal(verdict(group({ groupTypes: ["Unified"], mailEnabled: true, securityEnabled: false })).verdict, "pass", "a Microsoft 365 group takes members through Graph");
        const unread = existingGroupsCheck([ref("G")], new Map([["g", { ok: false as const, error: "HTTP 403 Authorization_RequestDenied: Insufficient privileges" }]]));
        assert.equal(unread.detail, "'G' (users.yaml:3:4) could not be read: HTTP 403 Authorization_RequestDenied: Insufficient privileges");
    });

    it("markdown cells keep a table a table: pipes escaped, newlines as <br>", () => {
        const lines = renderMarkdown({ stack: "s", usersFile: "u.yaml", identity: "deploying", checks: [{ id: "x", section: "Stack", title: "A | B", verdict: "warn", detail: "one\ntwo | three" }] });
        assert.ok(lines.includes("| ⚠️ | A \\| B | one<br>two \\| three |"), lines.join("\n"));
    });
});

describe("doctor: the Pulumi CLI's backend and secrets provider", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "doctor-pulumi-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /**
     * A fake `pulumi` on PATH answering whoami and stack ls with JSON as the real CLI does, recording its arguments.
     * `old`: a CLI from before `--output json`, which knows only `--json` and rejects the new flag as cobra does.
     */
    function fakePulumi(whoami: { code: number; out: string }, stacks: string, old = false): NodeJS.ProcessEnv {
        const bin = join(dir, "bin");
        mkdirSync(bin);
        const script = join(bin, "pulumi");
        writeFileSync(
            script,
            `#!/bin/sh
echo "$@" >> "${join(dir, "calls")}"
${old ? `case " $* " in *" --output "*) echo "error: unknown flag: --output" >&2; exit 255 ;; esac` : `case " $* " in *" --json "*) echo "error: unknown flag: --json" >&2; exit 255 ;; esac`}
case "$1" in
  whoami) printf '%s' '${whoami.out}'; exit ${whoami.code} ;;
  stack) printf '%s' '${stacks}' ;;
  *) exit 3 ;;
esac
`,
        );
        chmodSync(script, 0o755);
        return { PATH: `${bin}:/usr/bin:/bin` };
    }
    const secrets = { exists: true, passphrase: false };

    it("skips both lines with a note when pulumi is not on PATH", async () => {
        const facts = await pulumiFacts(dir, { PATH: join(dir, "empty") });
        assert.deepEqual(facts, { present: false });
        const backend = pulumiBackendCheck("dev", facts, {});
        assert.equal(backend.verdict, "skip");
        assert.match(backend.detail, /^pulumi is not on PATH, so the backend and the secrets provider were not checked/);
        assert.equal(pulumiSecretsCheck("dev", facts, secrets).verdict, "skip");
    });

    it("Pulumi Cloud with the stack and its own secrets: both pass; only read commands are run", async () => {
        const env = fakePulumi({ code: 0, out: '{"user":"ci","organizations":["firm"],"url":"https://api.pulumi.com"}' }, '[{"name":"firm/dev","current":false},{"name":"firm/acme"}]');
        const facts = await pulumiFacts(dir, env);
        assert.deepEqual(pulumiBackendCheck("acme", facts, {}), { id: "pulumi.backend", section: "Pulumi", title: "State backend", verdict: "pass", detail: "stack 'acme' in Pulumi Cloud (https://api.pulumi.com), as ci" });
        assert.equal(pulumiSecretsCheck("acme", facts, secrets).verdict, "pass");
        assert.deepEqual(readFileSync(join(dir, "calls"), "utf8").trim().split("\n"), ["whoami --output json --non-interactive", "stack ls --output json --non-interactive"]);
        const missing = pulumiBackendCheck("harbourfinch", facts, {});
        assert.equal(missing.verdict, "fail");
        assert.match(missing.detail, /has no stack 'harbourfinch' \(it has: firm\/dev, firm\/acme\)/);
        assert.equal(pulumiSecretsCheck("acme", facts, { exists: true, passphrase: true }).verdict, "fail", "a passphrase no workflow can supply");
    });

    it("an older CLI that knows only --json is asked again with it", async () => {
        const env = fakePulumi({ code: 0, out: '{"user":"ci","url":"https://api.pulumi.com"}' }, '[{"name":"dev"}]', true);
        const facts = await pulumiFacts(dir, env);
        assert.equal(pulumiBackendCheck("dev", facts, {}).verdict, "pass");
        assert.deepEqual(readFileSync(join(dir, "calls"), "utf8").trim().split("\n"), [
            "whoami --output json --non-interactive",
            "whoami --json --non-interactive",
            "stack ls --output json --non-interactive",
            "stack ls --json --non-interactive",
        ]);
    });

    it("azblob needs AZURE_STORAGE_ACCOUNT and an Azure Key Vault secrets provider", async () => {
        const env = fakePulumi({ code: 0, out: '{"user":"me","url":"azblob://state"}' }, '[{"name":"dev"}]');
        const facts = await pulumiFacts(dir, env);
        assert.match(pulumiBackendCheck("dev", facts, {}).detail, /AZURE_STORAGE_ACCOUNT is not set/);
        assert.equal(pulumiBackendCheck("dev", facts, { AZURE_STORAGE_ACCOUNT: "acct" }).verdict, "pass");
        assert.equal(pulumiBackendCheck("dev", facts, { AZURE_STORAGE_ACCOUNT: "acct", PULUMI_BACKEND_URL: "azblob://other" }).verdict, "fail");
        const none = pulumiSecretsCheck("dev", facts, secrets);
        assert.equal(none.verdict, "fail");
        assert.match(none.advice![0], /^pulumi stack change-secrets-provider --stack dev "azurekeyvault:\/\//);
        assert.equal(pulumiSecretsCheck("dev", facts, { ...secrets, secretsProvider: "azurekeyvault://v.vault.azure.net/keys/k" }).verdict, "pass");
    });

    it("not logged in: the backend line fails with the CLI's reason and how to log in", async () => {
        const env = fakePulumi({ code: 255, out: "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions" }, "[]");
        const facts = await pulumiFacts(dir, env);
        const backend = pulumiBackendCheck("dev", facts, {});
        assert.equal(backend.verdict, "fail");
        assert.match(backend.detail, /not logged in to a backend: error: PULUMI_ACCESS_TOKEN must be set/);
        assert.match(backend.advice![0], /^Pulumi Cloud: set PULUMI_ACCESS_TOKEN/);
        assert.equal(pulumiSecretsCheck("dev", facts, secrets).verdict, "skip");
    });
});

describe("doctor in the preview workflow", () => {
    interface Step {
        id?: string;
        name?: string;
        run?: string;
        uses?: string;
        with?: Record<string, string>;
        env?: Record<string, string>;
        "continue-on-error"?: boolean;
    }
    const preview = () => (parseYaml(readFileSync(join(ROOT, ".github/workflows/preview.yml"), "utf8")) as { jobs: { preview: { steps: Step[] } } }).jobs.preview.steps;

    it("runs before pulumi preview, per stack, as the read-only identity, and never stops the preview", () => {
        const steps = preview();
        const doctorAt = steps.findIndex((s) => s.id === "doctor");
        const previewAt = steps.findIndex((s) => s.id === "preview");
        assert.ok(doctorAt >= 0 && doctorAt < previewAt, "the doctor runs before the preview");
        const step = steps[doctorAt];
        assert.equal(step.run, 'mkdir -p "$RUNNER_TEMP/preview-output"\nnpm run --silent doctor -- --stack "$STACK" --identity read-only --format terminal > "$RUNNER_TEMP/preview-output/doctor.txt"\n', "text for the comment; the doctor writes its markdown to the job summary itself");
        assert.equal(step["continue-on-error"], true);
        assert.equal(step.env?.PRACTICEPROTECT_CLIENT_SECRET, "${{ secrets.PRACTICEPROTECT_READONLY_CLIENT_SECRET }}");
        assert.equal(step.env?.PRACTICEPROTECT_SCOPE, "${{ vars.PRACTICEPROTECT_READONLY_SCOPE }}");
        // What the preview gets (which runs the same pull request's code), and the backend it is given as cloud-url.
        assert.deepEqual(Object.keys(step.env ?? {}).sort(), [...Object.keys(steps[previewAt].env ?? {}), "PULUMI_BACKEND_URL"].sort());
        assert.equal(step.env?.PULUMI_ACCESS_TOKEN, steps[previewAt].env?.PULUMI_ACCESS_TOKEN, "the preview's read-only Pulumi token, so its backend lines are checked");
        assert.ok(steps.slice(0, doctorAt).some((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === undefined), "the Pulumi CLI is installed before it");
    });

    it("leaves the doctor's checklist beside the preview's output, in the artifact the preview comment is made from", () => {
        const upload = preview().find((s) => s.uses?.startsWith("actions/upload-artifact@"));
        assert.equal(upload?.with?.path, "${{ runner.temp }}/preview-output/", "doctor.txt is in the uploaded folder");
        const comment = readFileSync(join(ROOT, ".github/workflows/preview-comment.yml"), "utf8");
        assert.match(comment, /fence\(read\(path\.join\(dir, name, "doctor\.txt"\), \d+\)/, "posted after the preview, fenced as text");
    });
});
