import { strict as assert } from "node:assert";
import { signInRevocationProvider, userLicensesProvider } from "../components/licenses";
import type { GraphEmulator } from "../emulator/graph";
import { urnFor } from "./support/dynamicProviderHost";
import { DEPLOY_APP, graphCalls, withGraphAndHost } from "./support/graphProviderHost";

/**
 * The licence providers as `pulumi up` runs them: serialized, in the SDK's own dynamic-provider host, over gRPC,
 * signed in from the environment, against the local Graph emulator (emulator/graph, seeded with the firm of
 * users.yaml: emulator/graph/seed.example.yaml).
 */

const SPB = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46";
const BASIC = "3b555118-da6a-4418-894f-7df1e2096870";
const EXO1 = "4b9405b0-7788-4568-add1-99614e613b69";
const TEAMS1 = "57ff2da0-773e-42df-b2af-ffb7a2317929";
const USERS = {
    jane: { id: "0a1b2c3d-1001-4e5f-8a9b-0c1d2e3f4a01", upn: "jane.citizen@harbourfinch.com.au" },
    raj: { id: "0a1b2c3d-1002-4e5f-8a9b-0c1d2e3f4a02", upn: "raj.patel@harbourfinch.com.au" },
    mei: { id: "0a1b2c3d-1003-4e5f-8a9b-0c1d2e3f4a03", upn: "mei.chen@harbourfinch.com.au" },
    tom: { id: "0a1b2c3d-1004-4e5f-8a9b-0c1d2e3f4a04", upn: "tom.nguyen@harbourfinch.com.au" },
    peter: { id: "9d8e7f6a-5b4c-4d3e-8f2a-1b0c9d8e7f6a", upn: "peter.jones@harbourfinch.com.au" },
};
type Person = keyof typeof USERS;

const inputs = (who: Person, licenses: { skuId: string; disabledPlans?: string[] }[]) => ({
    userId: USERS[who].id,
    userPrincipalName: USERS[who].upn,
    // No disabledPlans key when the test does not state them: as users.yaml that does not state them.
    licenses: licenses.map((l) => (l.disabledPlans ? { skuId: l.skuId, disabledPlans: l.disabledPlans } : { skuId: l.skuId })),
});

/** What the emulator holds for a user: [skuId, disabled plans, group] per licence, sorted. */
const held = (graph: GraphEmulator, who: Person) =>
    graph.state.users
        .get(USERS[who].id)!
        .licenses.map((l) => [l.skuId, [...l.disabledPlans].sort(), l.assignedByGroup])
        .sort((a, b) => String(a).localeCompare(String(b)));

describe("UserLicenses provider, in the SDK's provider host, against the Graph emulator", function () {
    this.timeout(30_000);
    const ctx = withGraphAndHost(userLicensesProvider);
    const urn = (who: Person) => urnFor("UserLicenses", who);
    const create = async (who: Person, licenses: { skuId: string; disabledPlans?: string[] }[]) => {
        const checked = await ctx.host.check(urn(who), {}, inputs(who, licenses));
        assert.deepEqual(checked.failures, []);
        return ctx.host.create(urn(who), checked.inputs);
    };

    it("assigns a missing licence with one read and one assignLicense", async () => {
        const seatsBefore = ctx.graph.state.sku(SPB)!.consumedUnits;
        const created = await create("tom", [{ skuId: SPB }]);
        assert.equal(created.id, USERS.tom.id);
        assert.deepEqual(created.outs, { ...inputs("tom", [{ skuId: SPB }]), managed: [SPB], heldByGroup: [] });
        assert.deepEqual(held(ctx.graph, "tom"), [[SPB, [], null]]);
        assert.deepEqual(graphCalls(ctx.graph), [`GET /users/${USERS.tom.id} 200`, `POST /users/${USERS.tom.id}/assignLicense 200`]);
        assert.equal(ctx.graph.state.sku(SPB)!.consumedUnits, seatsBefore + 1, "one more seat of Business Premium in use");
    });

    it("does not touch an adopted user who already has the licence, and a re-run with no change makes no call", async () => {
        const created = await create("jane", [{ skuId: SPB }]);
        assert.equal(ctx.graph.writes(), 0);
        const before = ctx.graph.calls.length;
        const diff = await ctx.host.diff(created.id, urn("jane"), created.outs, (await ctx.host.check(urn("jane"), created.outs, inputs("jane", [{ skuId: SPB }]))).inputs);
        assert.equal(diff.changes, "none");
        assert.equal(ctx.graph.calls.length, before, "no Graph call when nothing changed");
    });

    it("switches service plans off by assigning the licence again with disabledPlans", async () => {
        const created = await create("jane", [{ skuId: SPB }]);
        const news = (await ctx.host.check(urn("jane"), created.outs, inputs("jane", [{ skuId: SPB, disabledPlans: [TEAMS1] }]))).inputs;
        assert.equal((await ctx.host.diff(created.id, urn("jane"), created.outs, news)).changes, "some");
        await ctx.host.update(created.id, urn("jane"), created.outs, news);
        assert.deepEqual(held(ctx.graph, "jane"), [[SPB, [TEAMS1], null]]);
    });

    it("keeps the plans switched off by hand on an adopted user when users.yaml does not state disabledPlans, on create, refresh and update", async () => {
        // Raj (adopted) holds Business Premium directly with Teams switched off by an administrator.
        assert.deepEqual(held(ctx.graph, "raj"), [[SPB, [TEAMS1], null]]);
        const created = await create("raj", [{ skuId: SPB }]);
        assert.equal(ctx.graph.writes(), 0, "create: the licence is held, its plans are not ours: no call");
        const read = await ctx.host.read(created.id, urn("raj"), created.outs);
        assert.deepEqual(read.props.licenses, [{ skuId: SPB }], "refresh: no drift in plans users.yaml does not state");
        const news = (await ctx.host.check(urn("raj"), read.props, inputs("raj", [{ skuId: SPB }, { skuId: EXO1 }]))).inputs;
        assert.equal((await ctx.host.diff(created.id, urn("raj"), read.props, news)).changes, "some");
        await ctx.host.update(created.id, urn("raj"), read.props, news);
        assert.deepEqual(held(ctx.graph, "raj"), [[EXO1, [], null], [SPB, [TEAMS1], null]], "Teams stays off; the new licence gets every plan");
        const posts = ctx.graph.calls.filter((c) => c.method === "POST" && c.path.endsWith("/assignLicense"));
        assert.deepEqual(posts.map((c) => c.body), [{ addLicenses: [{ skuId: EXO1, disabledPlans: [] }], removeLicenses: [] }], "Business Premium is not sent again");
    });

    it("a stated disabledPlans: [] switches the plans disabled by hand back on, and shows as a change first", async () => {
        const created = await create("raj", [{ skuId: SPB }]);
        const news = (await ctx.host.check(urn("raj"), created.outs, inputs("raj", [{ skuId: SPB, disabledPlans: [] }]))).inputs;
        assert.deepEqual(news.licenses, [{ skuId: SPB, disabledPlans: [] }], "a stated [] survives check");
        assert.equal((await ctx.host.diff(created.id, urn("raj"), created.outs, news)).changes, "some", "unstated → [] is a change");
        const updated = await ctx.host.update(created.id, urn("raj"), created.outs, news);
        assert.deepEqual(held(ctx.graph, "raj"), [[SPB, [], null]]);
        const read = await ctx.host.read(created.id, urn("raj"), updated.outs);
        assert.deepEqual(read.props.licenses, [{ skuId: SPB, disabledPlans: [] }]);
        ctx.graph.state.users.get(USERS.raj.id)!.licenses[0].disabledPlans = [TEAMS1]; // switched off by hand again
        const drifted = await ctx.host.read(created.id, urn("raj"), read.props);
        assert.deepEqual(drifted.props.licenses, [{ skuId: SPB, disabledPlans: [TEAMS1] }], "stated plans are compared on refresh");
    });

    it("waits when assignLicense reaches a replica that does not know the user yet, though the read found them", async () => {
        ctx.graph.faults.notFound(2, { path: /assignLicense$/ });
        await create("tom", [{ skuId: SPB }]);
        assert.deepEqual(held(ctx.graph, "tom"), [[SPB, [], null]]);
        assert.deepEqual(graphCalls(ctx.graph).map((c) => c.split(" ").at(-1)), ["200", "404", "404", "200"]);
    });

    it("rides out a long run of throttling (ten 429s, more than the library's default of 3 retries), waiting as Retry-After says", async () => {
        ctx.graph.faults.throttle(1, { path: /assignLicense$/, retryAfterSeconds: 1 });
        ctx.graph.faults.throttle(9, { path: /assignLicense$/, retryAfterSeconds: 0 });
        await create("tom", [{ skuId: SPB }]);
        assert.deepEqual(held(ctx.graph, "tom"), [[SPB, [], null]]);
        const posts = ctx.graph.calls.filter((c) => c.path.endsWith("/assignLicense"));
        assert.deepEqual(posts.map((c) => c.status), [...Array(10).fill(429), 200], "ten throttled attempts, then the eleventh succeeds");
        assert.ok(posts[1].at - posts[0].at >= 950, `waited Retry-After: 1 before the first retry (${posts[1].at - posts[0].at} ms)`);
    });

    it("removes a licence users.yaml no longer gives, and leaves one assigned by hand", async () => {
        const created = await create("tom", [{ skuId: SPB }]);
        // By hand, in the admin centre: Exchange Online (Plan 1).
        ctx.graph.state.users.get(USERS.tom.id)!.licenses.push({ skuId: EXO1, disabledPlans: [], assignedByGroup: null, lastUpdatedDateTime: new Date().toISOString() });
        const news = (await ctx.host.check(urn("tom"), created.outs, inputs("tom", []))).inputs;
        const updated = await ctx.host.update(created.id, urn("tom"), created.outs, news);
        assert.deepEqual(updated.outs.managed, []);
        assert.deepEqual(held(ctx.graph, "tom"), [[EXO1, [], null]]);
        const post = ctx.graph.calls.filter((c) => c.method === "POST" && c.path.endsWith("/assignLicense")).at(-1);
        assert.deepEqual(post?.body, { addLicenses: [], removeLicenses: [SPB] });
    });

    it("leaves a licence that comes from group-based licensing to the group", async () => {
        const created = await create("mei", [{ skuId: SPB }]);
        assert.deepEqual(created.outs.heldByGroup, [SPB]);
        const news = (await ctx.host.check(urn("mei"), created.outs, inputs("mei", []))).inputs;
        await ctx.host.update(created.id, urn("mei"), created.outs, news);
        assert.equal(ctx.graph.writes(), 0, "neither a direct copy added nor the group's licence removed");
        assert.deepEqual(held(ctx.graph, "mei"), [[SPB, [], "1f0e2d3c-0005-4b5a-9c8d-7e6f5a4b3c05"]]);
    });

    it("shows a licence taken off by hand as drift on refresh, and the next update puts it back", async () => {
        const created = await create("tom", [{ skuId: SPB }]);
        ctx.graph.state.users.get(USERS.tom.id)!.licenses = [];
        const read = await ctx.host.read(created.id, urn("tom"), created.outs);
        assert.deepEqual(read.props.licenses, []);
        const news = (await ctx.host.check(urn("tom"), read.props, inputs("tom", [{ skuId: SPB }]))).inputs;
        assert.equal((await ctx.host.diff(created.id, urn("tom"), read.props, news)).changes, "some");
        await ctx.host.update(created.id, urn("tom"), read.props, news);
        assert.deepEqual(held(ctx.graph, "tom"), [[SPB, [], null]]);
    });

    it("says plainly when the subscription has no seat left, and changes nothing", async () => {
        ctx.graph.faults.exhaustSeats(SPB);
        await assert.rejects(create("tom", [{ skuId: SPB }]), (e: Error) => {
            assert.match(e.message, /Microsoft Graph refused the licence change for tom\.nguyen@harbourfinch\.com\.au \(HTTP 400 Request_BadRequest\): .*does not have any available licenses/);
            assert.match(e.message, /Buy more seats of that subscription, or take the licence off someone in users\.yaml\./);
            return true;
        });
        assert.deepEqual(held(ctx.graph, "tom"), []);
    });

    it("converges on the next run once the cause is fixed: a refused change leaves nothing half-done", async () => {
        ctx.graph.faults.exhaustSeats(SPB);
        await assert.rejects(create("tom", [{ skuId: SPB }, { skuId: EXO1 }]), /does not have any available licenses/);
        assert.deepEqual(held(ctx.graph, "tom"), [], "one assignLicense call: neither licence was assigned");
        ctx.graph.state.setSeats(SPB, { enabled: 20 });
        ctx.graph.faults.unavailable(1, { path: /assignLicense/, retryAfterSeconds: 1 });
        const created = await create("tom", [{ skuId: SPB }, { skuId: EXO1 }]);
        assert.deepEqual(created.outs.managed, [SPB, EXO1]);
        assert.deepEqual(held(ctx.graph, "tom"), [[EXO1, [], null], [SPB, [], null]]);
    });

    it("says which service plan Graph refused", async () => {
        await assert.rejects(create("tom", [{ skuId: EXO1, disabledPlans: [TEAMS1] }]), /Check disabledPlans in users\.yaml against the subscription's service plans\./);
    });

    it("waits for a user Graph does not know yet, and rides out throttling", async () => {
        ctx.graph.faults.hideUser(USERS.tom.id, 2);
        ctx.graph.faults.throttle(1, { path: /assignLicense/, retryAfterSeconds: 1 });
        await create("tom", [{ skuId: BASIC }]);
        assert.deepEqual(held(ctx.graph, "tom"), [[BASIC, [], null]]);
        const statuses = graphCalls(ctx.graph).map((c) => c.split(" ").at(-1));
        assert.deepEqual(statuses, ["404", "404", "200", "429", "200"]);
    });

    it("refuses inputs that are not ids", async () => {
        const checked = await ctx.host.check(urn("tom"), {}, { userId: "", userPrincipalName: "x", licenses: [{ skuId: "SPB", disabledPlans: ["TEAMS1"] }] });
        assert.deepEqual(checked.failures.map((f) => f.reason), [
            "userId must be the user's object id",
            'skuId must be a GUID, got "SPB"',
            'disabledPlans must be service plan GUIDs, got "TEAMS1"',
        ]);
    });
});

describe("SignInRevocation provider, in the SDK's provider host, against the Graph emulator", function () {
    this.timeout(30_000);
    const ctx = withGraphAndHost(signInRevocationProvider);
    const URN = urnFor("SignInRevocation", "peter");

    it("revokes the offboarded user's sessions once, when created, and never again on refresh, update or delete", async () => {
        const created = await ctx.host.create(URN, { userId: USERS.peter.id, userPrincipalName: USERS.peter.upn });
        assert.equal(ctx.graph.state.revocations.get(USERS.peter.id), 1);
        assert.match(String(created.outs.revokedAt), /^\d{4}-\d{2}-\d{2}T/);
        await ctx.host.read(created.id, URN, created.outs);
        await ctx.host.update(created.id, URN, created.outs, { userId: USERS.peter.id, userPrincipalName: "peter.jones2@harbourfinch.com.au" });
        await ctx.host.delete(created.id, URN, created.outs);
        assert.equal(ctx.graph.state.revocations.get(USERS.peter.id), 1);
        assert.equal(ctx.graph.writes(), 1);
    });

    it("says the sessions stay open when Graph refuses, so the run fails rather than pretending", async () => {
        ctx.graph.state.grant(DEPLOY_APP.id, ["User.Read.All"]);
        await assert.rejects(ctx.host.create(URN, { userId: USERS.peter.id, userPrincipalName: USERS.peter.upn }), /refused to revoke the sign-in sessions of peter\.jones@harbourfinch\.com\.au \(HTTP 403 Authorization_RequestDenied\).*sessions already open keep working/);
    });
});
