import { strict as assert } from "node:assert";
import { portalUserProvider, roleMembersProvider } from "../components/practiceprotect";
import { loadedProvider } from "../components/dynamic/loadedProvider";
import { Emulator } from "../emulator";
import { HostedProvider, startDynamicProviderHost, urnFor } from "./support/dynamicProviderHost";
import { AZURE_AD, callCounts, CLIENT_SECRET, largeTenantSeed, PLATFORM_CLIENT_ID, PLATFORM_SECRET, uuidOf, withEmulator } from "./support/practiceProtect";

/** Stack config as the engine hands it to the provider host (keys with their namespace; the secret marked). */
const stackConfig = (emulator: Emulator, overrides: Record<string, string> = {}) => ({
    "practiceprotect:url": emulator.url,
    "practiceprotect:oauthAppId": "UsersAsCode",
    "practiceprotect:clientId": "svc@firm",
    "practiceprotect:clientSecret": CLIENT_SECRET,
    "practiceprotect:directory": "Azure AD - Firm",
    "practiceprotect:scope": "users-as-code",
    "practiceprotect:lookupTimeoutSeconds": "5",
    // Small budgets, so that a call failing on purpose gives up within seconds.
    "practiceprotect:requestTimeoutSeconds": "2",
    "practiceprotect:callBudgetSeconds": "3",
    "practiceprotect-users:usersFile": "users.yaml",
    ...overrides,
});

/**
 * The environment CI gives the provider: the settings it pins (portal URL, scope, sign-in) hold the same values as
 * the stack config, as they must (model/config/pinned.ts); nothing else.
 */
const pinnedEnvironment = (config: Record<string, string>) => ({
    PATH: process.env.PATH ?? "",
    PRACTICEPROTECT_URL: config["practiceprotect:url"] ?? "",
    PRACTICEPROTECT_SCOPE: config["practiceprotect:scope"] ?? "",
    PRACTICEPROTECT_SIGN_IN: config["practiceprotect:signIn"] ?? "",
});

/** The provider in its own host process, configured from stack config; closed after the test. */
function hosted(provider: Parameters<typeof startDynamicProviderHost>[0], emulator: { current: Emulator }, overrides?: Record<string, string>) {
    const holder = {} as { current: HostedProvider };
    beforeEach(async () => {
        // Stack config, and only the pinned PRACTICEPROTECT_* variables: no credential may leak in from the environment.
        holder.current = await startDynamicProviderHost(provider, { env: pinnedEnvironment(stackConfig(emulator.current, overrides)) });
        await holder.current.configure(stackConfig(emulator.current, overrides), { secretKeys: ["practiceprotect:clientSecret"] });
        assert.ok(holder.current.serialized.length < 4096, `the serialized provider, stored twice per resource, is ${holder.current.serialized.length} bytes`);
    });
    afterEach(async () => {
        await holder.current.close();
        const everything = [holder.current.serialized, ...holder.current.output].join("\n");
        for (const secret of [CLIENT_SECRET, PLATFORM_SECRET]) assert.ok(!everything.includes(secret), "the client secret is neither in the serialized provider nor in anything the host printed");
    });
    return holder;
}

const JANE = urnFor("PortalUser", "jane");
const inputsFor = async (host: HostedProvider, urn: string, news: Record<string, unknown>) => {
    const checked = await host.check(urn, {}, news);
    assert.deepEqual(checked.failures, []);
    return checked.inputs;
};

describe("PortalUser provider, in the SDK's provider host, against the emulator", function () {
    this.timeout(20_000);
    const emulator = withEmulator();
    const host = hosted(portalUserProvider, emulator);

    it("check fills the defaults and refuses what is not a user name", async () => {
        assert.deepEqual(await inputsFor(host.current, JANE, { userName: "jane@firm.com.au" }), { userName: "jane@firm.com.au", sendInvite: true, removeOnDelete: true });
        const bad = await host.current.check(JANE, {}, { userName: "jane", sendInvite: "yes" });
        assert.deepEqual(bad.failures.map((f) => f.property), ["userName", "sendInvite"]);
        assert.match(bad.failures[0].reason, /userName must be a user principal name such as jane@firm\.com\.au, got "jane"/);
    });

    it("create finds the user in the directory source and invites them: one token, one look-up, one invite", async () => {
        const created = await host.current.create(JANE, await inputsFor(host.current, JANE, { userName: "JANE@firm.com.au", expectedMobileNumber: "+61412345678" }));
        assert.equal(created.id, uuidOf(1));
        assert.deepEqual(created.outs, {
            userName: "JANE@firm.com.au",
            sendInvite: true,
            removeOnDelete: true,
            expectedMobileNumber: "+61412345678",
            uuid: uuidOf(1),
            status: "Invited",
            directoryServiceUuid: "3f2b8c1e-7d6a-4b5c-9e8f-0a1b2c3d0002",
            mobileNumber: "",
            mobileNumberNote: "",
        });
        assert.deepEqual(emulator.current.state.invites.map((i) => [i.userName, i.email]), [["jane@firm.com.au", true]]);
        assert.deepEqual(callCounts(emulator.current), { "/oauth2/token": 1, "/Core/GetDirectoryServices": 1, "/UserMgmt/DirectoryServiceQuery": 1, "/UserMgmt/InviteUsers": 1 });
    });

    it("adopts a user who is already in the portal without a second invite", async () => {
        const created = await host.current.create(urnFor("PortalUser", "bob"), await inputsFor(host.current, JANE, { userName: "bob@firm.com.au" }));
        assert.equal(created.id, uuidOf(3));
        assert.equal(created.outs.status, "Active");
        assert.equal(emulator.current.state.invites.length, 0);
    });

    it("adds the account without an e-mail when sendInvite is false", async () => {
        await host.current.create(JANE, await inputsFor(host.current, JANE, { userName: "jane@firm.com.au", sendInvite: false }));
        assert.deepEqual(emulator.current.state.invites.map((i) => i.email), [false]);
    });

    it("waits for a user just created in Entra to reach the directory source", async () => {
        emulator.current.state.addDirectoryUser({ directoryUuid: "3f2b8c1e-7d6a-4b5c-9e8f-0a1b2c3d0002", uuid: uuidOf(9), userName: "new@firm.com.au", displayName: "New", hiddenForQueries: 1 });
        const created = await host.current.create(urnFor("PortalUser", "new"), await inputsFor(host.current, JANE, { userName: "new@firm.com.au" }));
        assert.equal(created.id, uuidOf(9));
        assert.equal(callCounts(emulator.current)["/UserMgmt/DirectoryServiceQuery"], 2);
        assert.equal(emulator.current.state.invites.length, 1);
    });

    it("create fails clearly, inviting nobody, when the user never appears", async () => {
        await host.current.configure(stackConfig(emulator.current, { "practiceprotect:lookupTimeoutSeconds": "0" }), { secretKeys: ["practiceprotect:clientSecret"] });
        await assert.rejects(
            host.current.create(JANE, await inputsFor(host.current, JANE, { userName: "ghost@firm.com.au" })),
            /ghost@firm\.com\.au was not found in the Practice Protect directory source \(Azure AD - Firm\) within \d+ s; check the user exists in Entra/,
        );
        assert.equal(emulator.current.state.invites.length, 0);
    });

    it("diff ignores case and answers no change explicitly", async () => {
        const olds = { userName: "jane@firm.com.au", sendInvite: true, removeOnDelete: true, uuid: uuidOf(1), status: "Invited" };
        assert.equal((await host.current.diff(uuidOf(1), JANE, olds, { userName: "Jane@Firm.com.au", sendInvite: true, removeOnDelete: true })).changes, "none");
        const changed = await host.current.diff(uuidOf(1), JANE, olds, { userName: "jane@firm.com.au", sendInvite: true, removeOnDelete: false });
        assert.deepEqual([changed.changes, changed.replaces], ["some", []]);
    });

    it("read shows the portal's mobile number and status, and a user removed in the portal as gone", async () => {
        const created = await host.current.create(JANE, await inputsFor(host.current, JANE, { userName: "jane@firm.com.au", expectedMobileNumber: "+61412345678" }));
        emulator.current.state.activate(uuidOf(1));
        const read = await host.current.read(created.id, JANE, created.outs);
        assert.equal(read.id, uuidOf(1));
        assert.equal(read.props.status, "Active");
        assert.equal(read.props.mobileNumber, "+61 412 345 678");
        assert.equal(read.props.mobileNumberNote, "", "the same number, formatted differently");
        // The next run (a new provider process, so a new listing) finds the user removed in the portal.
        emulator.current.state.removeFromPortal(uuidOf(1));
        const nextRun = await startDynamicProviderHost(portalUserProvider, { env: pinnedEnvironment(stackConfig(emulator.current)) });
        try {
            await nextRun.configure(stackConfig(emulator.current), { secretKeys: ["practiceprotect:clientSecret"] });
            assert.equal((await nextRun.read(created.id, JANE, created.outs)).id, "");
        } finally {
            await nextRun.close();
        }
    });

    it("read says when the portal's mobile number differs from Entra's or is missing (the seed's step 9)", async () => {
        const bob = await host.current.create(urnFor("PortalUser", "bob"), await inputsFor(host.current, JANE, { userName: "bob@firm.com.au", expectedMobileNumber: "+61499999999" }));
        const read = await host.current.read(bob.id, JANE, bob.outs);
        assert.equal(read.props.mobileNumberNote, "bob@firm.com.au: the portal shows mobile number 0423 456 789 but Entra has +61499999999; it is updated from Entra, so check the directory sync");
    });

    it("update keeps every output, and accepts a UPN change that is the same directory user", async () => {
        const created = await host.current.create(JANE, await inputsFor(host.current, JANE, { userName: "jane@firm.com.au" }));
        emulator.current.state.directoryUsers.get(uuidOf(1))!.userName = "jane.smith@firm.com.au";
        const updated = await host.current.update(created.id, JANE, created.outs, { userName: "jane.smith@firm.com.au", sendInvite: true, removeOnDelete: false });
        assert.deepEqual(updated.outs, { ...created.outs, userName: "jane.smith@firm.com.au", removeOnDelete: false });
        await assert.rejects(
            host.current.update(created.id, JANE, updated.outs, { userName: "bob@firm.com.au", sendInvite: true, removeOnDelete: false }),
            /bob@firm\.com\.au is not the Practice Protect user jane\.smith@firm\.com\.au .* give them their own users\.yaml entry/,
        );
    });

    it("delete removes the portal account, unless removeOnDelete is false, and tolerates one already gone", async () => {
        const created = await host.current.create(JANE, await inputsFor(host.current, JANE, { userName: "jane@firm.com.au" }));
        await host.current.delete(created.id, JANE, { ...created.outs, removeOnDelete: false });
        assert.equal(emulator.current.state.directoryUsers.get(uuidOf(1))!.status, "Invited");
        await host.current.delete(created.id, JANE, created.outs);
        assert.equal(emulator.current.state.directoryUsers.get(uuidOf(1))!.status, "Not Invited");
        await host.current.delete(created.id, JANE, created.outs);
    });

    it("after a failed invite, running again converges with exactly one invite", async () => {
        const inputs = await inputsFor(host.current, JANE, { userName: "jane@firm.com.au" });
        emulator.current.injectFaults({ kind: "500" }, 10, { path: /InviteUsers/ });
        await assert.rejects(host.current.create(JANE, inputs), /Practice Protect \/UserMgmt\/InviteUsers: still HTTP 500 after retrying/);
        assert.equal(emulator.current.state.invites.length, 0);
        emulator.current.clearFaults();
        emulator.current.injectFaults({ kind: "429", retryAfterSeconds: 0 }, 2);
        const created = await host.current.create(JANE, inputs);
        assert.equal(created.id, uuidOf(1));
        assert.equal(emulator.current.state.invites.length, 1);
        assert.equal((await host.current.create(JANE, inputs)).outs.status, "Invited", "a create repeated after lost state adopts");
        assert.equal(emulator.current.state.invites.length, 1, "no duplicate invite");
    });
});

describe("RoleMembers provider, in the SDK's provider host, against the emulator", function () {
    this.timeout(20_000);
    const emulator = withEmulator();
    const host = hosted(roleMembersProvider, emulator);
    const ROLE = urnFor("RoleMembers", "Portal Users - AU");
    const members = async () => emulator.current.state.roles.get("role-portal-au")!.members.map((m) => m.name).sort();
    const updateCalls = () => emulator.current.calls.filter((c) => c.path === "/Roles/UpdateRole").map((c) => c.body);

    it("check refuses the built-in roles and merges members that differ only in case", async () => {
        for (const role of ["Everybody", "system administrator"]) {
            const checked = await host.current.check(ROLE, {}, { role, members: [] });
            assert.match(checked.failures[0].reason, new RegExp(`'${role}' is a built-in role this program never manages`));
        }
        assert.deepEqual(await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["bob@firm.com.au", "BOB@firm.com.au"] }), { role: "Portal Users - AU", members: ["bob@firm.com.au"], exclusive: false });
    });

    it("create adds the missing members in one UpdateRole and leaves other members alone", async () => {
        const created = await host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "portal users - au", members: ["bob@firm.com.au", "carol@firm.com.au"] }));
        assert.equal(created.id, "role-portal-au");
        assert.equal(created.outs.roleId, "role-portal-au");
        assert.deepEqual(created.outs.memberIds, { "bob@firm.com.au": uuidOf(3), "carol@firm.com.au": uuidOf(4) });
        assert.deepEqual(await members(), ["bob@firm.com.au", "carol@firm.com.au", "dan@firm.com.au"]);
        assert.deepEqual(updateCalls(), [{ Name: "role-portal-au", Users: { Add: [uuidOf(3), uuidOf(4)], Delete: [] } }]);
        assert.equal(callCounts(emulator.current)["/Roles/GetRoleMembers"], 1);
    });

    it("create fails clearly for a role that does not exist, naming the roles that do", async () => {
        await assert.rejects(
            host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - NZ", members: [] })),
            /no role is named 'Portal Users - NZ'; the portal's roles are: 'Everybody', 'O'Brien's Team', 'Portal Users - AU', 'System Administrator', 'XPM Users'/,
        );
    });

    it("exclusive: the role holds exactly the listed users", async () => {
        await host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["bob@firm.com.au"], exclusive: true }));
        assert.deepEqual(await members(), ["bob@firm.com.au"]);
        assert.deepEqual(updateCalls(), [{ Name: "role-portal-au", Users: { Add: [uuidOf(3)], Delete: [uuidOf(6)] } }]);
    });

    it("diff ignores order and case; a new role name replaces", async () => {
        const olds = { role: "Portal Users - AU", members: ["bob@firm.com.au", "carol@firm.com.au"], exclusive: false, roleId: "role-portal-au", memberIds: {}, unexpectedMembers: [] };
        const same = await host.current.diff("role-portal-au", ROLE, olds, { role: "portal users - au", members: ["CAROL@firm.com.au", "bob@firm.com.au"], exclusive: false });
        assert.equal(same.changes, "none");
        assert.equal((await host.current.diff("role-portal-au", ROLE, olds, { ...olds, members: ["bob@firm.com.au"] })).changes, "some");
        const renamed = await host.current.diff("role-portal-au", ROLE, olds, { ...olds, role: "XPM Users" });
        assert.deepEqual([renamed.changes, renamed.replaces], ["some", ["role"]]);
    });

    it("update sends only the differences, in one call", async () => {
        const created = await host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["bob@firm.com.au", "carol@firm.com.au"] }));
        emulator.current.calls.length = 0;
        const updated = await host.current.update(created.id, ROLE, created.outs, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["carol@firm.com.au", "dan@firm.com.au"] }));
        assert.deepEqual(updateCalls(), [{ Name: "role-portal-au", Users: { Add: [], Delete: [uuidOf(3)] } }], "dan was already a member; bob leaves");
        assert.deepEqual(await members(), ["carol@firm.com.au", "dan@firm.com.au"]);
        assert.deepEqual(updated.outs.memberIds, { "carol@firm.com.au": uuidOf(4), "dan@firm.com.au": uuidOf(6) });
        assert.deepEqual(callCounts(emulator.current), { "/Redrock/query": 1, "/Roles/GetRoleMembers": 1, "/Roles/UpdateRole": 1 }, "one look-up for the new name, one read, one write");
    });

    it("read shows a member removed in the portal, so the next update puts them back", async () => {
        const inputs = await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["bob@firm.com.au", "carol@firm.com.au"] });
        const created = await host.current.create(ROLE, inputs);
        const role = emulator.current.state.roles.get("role-portal-au")!;
        role.members = role.members.filter((m) => m.guid !== uuidOf(4));
        const read = await host.current.read(created.id, ROLE, created.outs);
        assert.deepEqual(read.props.members, ["bob@firm.com.au"]);
        assert.equal((await host.current.diff(created.id, ROLE, read.props, inputs)).changes, "some");
        await host.current.update(created.id, ROLE, read.props, inputs);
        assert.deepEqual(await members(), ["bob@firm.com.au", "carol@firm.com.au", "dan@firm.com.au"]);
    });

    it("after a failed update, running again converges without losing the change", async () => {
        const created = await host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["bob@firm.com.au"] }));
        const wanted = await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["carol@firm.com.au"] });
        emulator.current.injectFaults({ kind: "500" }, 10, { path: /UpdateRole/ });
        await assert.rejects(host.current.update(created.id, ROLE, created.outs, wanted), /Practice Protect \/Roles\/UpdateRole: still HTTP 500/);
        assert.deepEqual(await members(), ["bob@firm.com.au", "dan@firm.com.au"], "nothing half-applied");
        emulator.current.clearFaults();
        // The engine keeps the old outputs after a failed update and tries again on the next run.
        await host.current.update(created.id, ROLE, created.outs, wanted);
        assert.deepEqual(await members(), ["carol@firm.com.au", "dan@firm.com.au"]);
    });

    it("delete removes only the members it manages", async () => {
        const created = await host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["bob@firm.com.au"] }));
        await host.current.delete(created.id, ROLE, created.outs);
        assert.deepEqual(await members(), ["dan@firm.com.au"]);
    });

    it("delete of a role already deleted in the portal succeeds", async () => {
        const created = await host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["bob@firm.com.au"] }));
        emulator.current.state.roles.delete("role-portal-au");
        await host.current.delete(created.id, ROLE, created.outs);
    });

    it("refuses a member who is not in the portal, naming them and the fix", async () => {
        await assert.rejects(
            host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["jane@firm.com.au"] })),
            /jane@firm\.com\.au is not in the Practice Protect portal; invite them first \(practiceProtect\.invite: true in users\.yaml\)/,
        );
        assert.equal(updateCalls().length, 0);
    });
});

describe("Practice Protect providers, in the SDK's provider host, against a tenant as real callers find it", function () {
    this.timeout(30_000);
    const ROLE = urnFor("RoleMembers", "Portal Users - AU");

    describe("a role with an orphan member (its user deleted, still listed by GetRoleMembers)", () => {
        const emulator = withEmulator();
        const host = hosted(roleMembersProvider, emulator);
        const memberIds = () => emulator.current.state.roles.get("role-portal-au")!.members.map((m) => m.guid).sort();
        beforeEach(() => emulator.current.state.deleteDirectoryUser(uuidOf(6)));

        it("manages the role around it: added members join, the orphan stays when not exclusive", async () => {
            const created = await host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["bob@firm.com.au"] }));
            assert.deepEqual(memberIds(), [uuidOf(3), uuidOf(6)].sort());
            const read = await host.current.read(created.id, ROLE, created.outs);
            assert.deepEqual([read.props.members, read.props.unexpectedMembers], [["bob@firm.com.au"], []]);
        });

        it("exclusive: shows the orphan as unexpected on read, and removes it", async () => {
            const created = await host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: [], exclusive: false }));
            const exclusive = await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["bob@firm.com.au"], exclusive: true });
            const read = await host.current.read(created.id, ROLE, { ...created.outs, exclusive: true });
            assert.deepEqual(read.props.unexpectedMembers, ["dan@firm.com.au"]);
            await host.current.update(created.id, ROLE, read.props, exclusive);
            assert.deepEqual(memberIds(), [uuidOf(3)]);
        });
    });

    describe("a tenant that stores user names lower-cased, with mixed-case UPNs from Entra", () => {
        const seed = () => {
            const s = largeTenantSeed(0);
            s.directoryUsers.push({ directoryUuid: AZURE_AD, uuid: "u-kim", userName: "Kim.Lee@Firm.com.au", displayName: "Kim Lee" });
            return s;
        };
        const emulator = withEmulator(seed, { lowerCaseUserNames: true });
        const portalUser = hosted(portalUserProvider, emulator);
        const role = hosted(roleMembersProvider, emulator);

        it("invites, reads, puts in a role and removes a user whose UPN has capitals", async () => {
            const KIM = urnFor("PortalUser", "kim");
            const created = await portalUser.current.create(KIM, await inputsFor(portalUser.current, KIM, { userName: "Kim.Lee@Firm.com.au" }));
            assert.equal(created.id, "u-kim");
            assert.equal((await portalUser.current.read(created.id, KIM, created.outs)).id, "u-kim", "found in the listing, not reported gone");
            // A new provider process (the role's) knows nobody yet: it looks Kim up by name.
            await role.current.create(ROLE, await inputsFor(role.current, ROLE, { role: "Portal Users - AU", members: ["kim.lee@firm.com.au"] }));
            assert.ok(emulator.current.state.roles.get("role-portal-au")!.members.some((m) => m.guid === "u-kim"));
            emulator.current.state.removeFromPortal("u-kim");
            await portalUser.current.delete(created.id, KIM, created.outs);
        });
    });

    describe("a tenant of 2,500 portal users where Limit caps the whole result", () => {
        const emulator = withEmulator(() => largeTenantSeed(2500), { limit: "total" });
        const host = hosted(portalUserProvider, emulator, { "practiceprotect:pageSize": "1000" });

        it("a refresh finds the last user of the listing (it is not reported gone)", async () => {
            const LAST = urnFor("PortalUser", "bulk2499");
            const props = { userName: "bulk2499@firm.com.au", sendInvite: true, removeOnDelete: true, uuid: "00000000-0000-4000-8000-000000002499", status: "Active", directoryServiceUuid: AZURE_AD, mobileNumber: "", mobileNumberNote: "" };
            const read = await host.current.read(props.uuid, LAST, props);
            assert.equal(read.id, props.uuid);
            assert.deepEqual(
                emulator.current.calls.filter((c) => c.path === "/Redrock/query").map((c) => (c.body as { Args: object }).Args),
                [1, 2, 3].map((PageNumber) => ({ PageNumber, PageSize: 1000, Limit: 100_000, SortBy: "", Caching: -1 })),
            );
        });
    });

    describe("slow calls", () => {
        const emulator = withEmulator();
        const host = hosted(roleMembersProvider, emulator, { "practiceprotect:requestTimeoutSeconds": "2", "practiceprotect:callBudgetSeconds": "2" });

        it("a GetRoleMembers slower than practiceprotect:requestTimeoutSeconds fails naming the call, the wait and the settings", async () => {
            emulator.current.injectFaults({ kind: "slow", ms: 5_000 }, 5, { path: /GetRoleMembers/ });
            await assert.rejects(
                host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: [] })),
                /Practice Protect \/Roles\/GetRoleMembers: no answer within 2 s \(1 attempt in [\d.]+ s, budget 2 s\); large tenants answer slowly: raise practiceprotect:requestTimeoutSeconds and practiceprotect:callBudgetSeconds/,
            );
        });
    });

    describe("a platform service user (practiceprotect:signIn platform-service-user)", () => {
        const emulator = withEmulator(() => largeTenantSeed(0));
        const host = hosted(roleMembersProvider, emulator, {
            "practiceprotect:signIn": "platform-service-user",
            "practiceprotect:oauthAppId": "",
            "practiceprotect:clientId": PLATFORM_CLIENT_ID,
            "practiceprotect:clientSecret": PLATFORM_SECRET,
        });

        it("signs in at /oauth2/platformtoken and manages the role", async () => {
            await host.current.create(ROLE, await inputsFor(host.current, ROLE, { role: "Portal Users - AU", members: ["bob@firm.com.au"] }));
            assert.deepEqual(emulator.current.calls.filter((c) => c.path.startsWith("/oauth2/")).map((c) => c.path), ["/oauth2/platformtoken"]);
            assert.ok(emulator.current.state.roles.get("role-portal-au")!.members.some((m) => m.guid === uuidOf(3)));
        });
    });
});

describe("loadedProvider (what the state carries instead of the provider's code)", function () {
    this.timeout(20_000);

    it("gives an implementation that leaves methods out what the SDK's host gives a provider without them", async () => {
        const minimal = loadedProvider<{ name: string }, { name: string; created: boolean }>("test/support/minimalProvider", "minimalImplementation");
        const host = await startDynamicProviderHost(minimal, { env: { PATH: process.env.PATH ?? "" } });
        const urn = urnFor("Minimal", "x");
        try {
            await host.configure({});
            assert.deepEqual((await host.check(urn, {}, { name: "x" })).inputs, { name: "x" }, "check keeps the new inputs");
            const created = await host.create(urn, { name: "x" });
            assert.deepEqual(created, { id: "id-x", outs: { name: "x", created: true } });
            assert.equal((await host.diff(created.id, urn, created.outs, { name: "y" })).changes, "unknown", "diff leaves the comparison to the engine");
            assert.deepEqual((await host.read(created.id, urn, created.outs)).props, { name: "x", created: true }, "read returns what is stored");
            assert.deepEqual((await host.update(created.id, urn, created.outs, { name: "y" })).outs, {}, "update answers no outputs, as the host does without one");
            await host.delete(created.id, urn, created.outs);
        } finally {
            await host.close();
        }
    });

    it("says what to do when the provider cannot be loaded, in the SDK's host as in the program", async () => {
        const missing = loadedProvider<object, object>("components/practiceprotect/noSuchProvider", "noSuchProvider");
        await assert.rejects(missing.check!({}, {}), /cannot load components\/practiceprotect\/noSuchProvider \(run Pulumi in the project directory, after npm ci\)/);
        const host = await startDynamicProviderHost(missing, { env: { PATH: process.env.PATH ?? "" } });
        try {
            await host.configure({});
            await assert.rejects(host.check(urnFor("PortalUser", "x"), {}, {}), /cannot load components\/practiceprotect\/noSuchProvider/);
        } finally {
            await host.close();
        }
    });
});
