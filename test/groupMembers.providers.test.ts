import { strict as assert } from "node:assert";
import { existingGroupMembersProvider } from "../components/groupMembers";
import type { GraphEmulator } from "../emulator/graph";
import { urnFor } from "./support/dynamicProviderHost";
import { DEPLOY_APP, graphCalls, withGraphAndHost } from "./support/graphProviderHost";

/**
 * ExistingGroupMembers as `pulumi up` runs it (the SDK's provider host, over gRPC) against the Graph emulator's
 * example tenant, where Jane (adopted) and Peter (not in users.yaml) are in All Staff already.
 */

const ALL_STAFF = "1f0e2d3c-0001-4b5a-9c8d-7e6f5a4b3c01";
const ANNOUNCEMENTS = "1f0e2d3c-0006-4b5a-9c8d-7e6f5a4b3c06";
const PEOPLE = {
    jane: "0a1b2c3d-1001-4e5f-8a9b-0c1d2e3f4a01",
    raj: "0a1b2c3d-1002-4e5f-8a9b-0c1d2e3f4a02",
    tom: "0a1b2c3d-1004-4e5f-8a9b-0c1d2e3f4a04",
    peter: "9d8e7f6a-5b4c-4d3e-8f2a-1b0c9d8e7f6a",
};
type Person = keyof typeof PEOPLE;

const inputs = (people: Person[], group = ALL_STAFF, groupName = "All Staff", alreadyMembers: Person[] = []) => ({
    groupObjectId: group,
    groupName,
    members: people.map((key) => ({ key, objectId: PEOPLE[key] })),
    alreadyMembers,
});
const membersOf = (graph: GraphEmulator, group = ALL_STAFF) => [...graph.state.group(group).members].sort();
const ids = (...people: Person[]) => people.map((p) => PEOPLE[p]).sort();

describe("ExistingGroupMembers provider, in the SDK's provider host, against the Graph emulator", function () {
    this.timeout(30_000);
    const ctx = withGraphAndHost(existingGroupMembersProvider);
    const urn = urnFor("ExistingGroupMembers", "all-staff");
    const checked = async (olds: object, news: ReturnType<typeof inputs>) => {
        const result = await ctx.host.check(urn, olds, news);
        assert.deepEqual(result.failures, []);
        return result.inputs;
    };
    const create = async (people: Person[], alreadyMembers: Person[] = []) => ctx.host.create(urn, await checked({}, inputs(people, ALL_STAFF, "All Staff", alreadyMembers)));

    it("adds only who is missing: an adopted member is taken over without a call, someone outside users.yaml stays", async () => {
        const created = await create(["jane", "tom"], ["jane"]);
        assert.equal(created.id, ALL_STAFF);
        assert.deepEqual([...created.outs.managed].sort(), ids("jane", "tom"));
        assert.deepEqual(membersOf(ctx.graph), ids("jane", "peter", "tom"));
        assert.deepEqual(graphCalls(ctx.graph), [`GET /groups/${ALL_STAFF}/members 200`, `POST /groups/${ALL_STAFF}/members/$ref 204`]);
        const post = ctx.graph.calls.find((c) => c.method === "POST" && c.path.endsWith("$ref"));
        assert.deepEqual(post?.body, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${PEOPLE.tom}` });
    });

    it("a re-run with the same people changes nothing and calls nothing", async () => {
        const created = await create(["jane", "tom"]);
        const before = ctx.graph.calls.length;
        const diff = await ctx.host.diff(created.id, urn, created.outs, await checked(created.outs, inputs(["tom", "jane"])));
        assert.equal(diff.changes, "none");
        assert.equal(ctx.graph.calls.length, before);
    });

    it("takes out only the people users.yaml no longer puts there, never one it did not put there", async () => {
        const created = await create(["jane", "tom"]);
        const news = await checked(created.outs, inputs(["jane", "raj"]));
        assert.equal((await ctx.host.diff(created.id, urn, created.outs, news)).changes, "some");
        const updated = await ctx.host.update(created.id, urn, created.outs, news);
        assert.deepEqual(membersOf(ctx.graph), ids("jane", "peter", "raj"));
        assert.deepEqual([...updated.outs.managed].sort(), ids("jane", "raj"));
        assert.ok(graphCalls(ctx.graph).includes(`DELETE /groups/${ALL_STAFF}/members/${PEOPLE.tom}/$ref 204`));
    });

    it("on delete takes out everyone it manages and leaves the rest", async () => {
        const created = await create(["jane", "tom"]);
        await ctx.host.delete(created.id, urn, created.outs);
        assert.deepEqual(membersOf(ctx.graph), ids("peter"));
    });

    it("waits for a person created a moment ago until Graph knows them", async () => {
        const fresh = "0b0b0b0b-2001-4e5f-8a9b-0c1d2e3f4a01";
        ctx.graph.state.addUser({ id: fresh, userPrincipalName: "new.starter@harbourfinch.com.au", displayName: "New Starter", hiddenForRequests: 2 });
        const news = await checked({}, { ...inputs([]), members: [{ key: "new.starter" as Person, objectId: fresh }] });
        const created = await ctx.host.create(urn, news);
        assert.deepEqual(created.outs.managed, [fresh]);
        assert.ok(ctx.graph.state.group(ALL_STAFF).members.includes(fresh));
        const posts = graphCalls(ctx.graph).filter((c) => c.startsWith("POST"));
        assert.deepEqual(posts, [`POST /groups/${ALL_STAFF}/members/$ref 404`, `POST /groups/${ALL_STAFF}/members/$ref 404`, `POST /groups/${ALL_STAFF}/members/$ref 204`]);
    });

    it("gives up on a person Graph still does not show, saying what to do, and adds nobody else in vain", async () => {
        const fresh = "0b0b0b0b-2001-4e5f-8a9b-0c1d2e3f4a02";
        ctx.graph.state.addUser({ id: fresh, userPrincipalName: "slow.starter@harbourfinch.com.au", displayName: "Slow Starter", hiddenForRequests: 100 });
        await ctx.host.configure({ "azuread:tenantId": ctx.graph.tenantId, "practiceprotect-users:userLookupTimeoutSeconds": "1" });
        const news = await checked({}, { ...inputs([]), members: [{ key: "slow.starter" as Person, objectId: fresh }] });
        await assert.rejects(ctx.host.create(urn, news), /slow\.starter \(0b0b0b0b-2001-[^)]*\) is still unknown to Microsoft Graph after 1 s; run pulumi up again, or raise practiceprotect-users:userLookupTimeoutSeconds/);
        assert.ok(!ctx.graph.state.group(ALL_STAFF).members.includes(fresh));
    });

    it("shows a member taken out by hand as drift on refresh, and the next update puts them back", async () => {
        const created = await create(["jane", "tom"]);
        ctx.graph.state.group(ALL_STAFF).members.splice(ctx.graph.state.group(ALL_STAFF).members.indexOf(PEOPLE.tom), 1);
        const read = await ctx.host.read(created.id, urn, created.outs);
        assert.deepEqual(read.props.members, [{ key: "jane", objectId: PEOPLE.jane }]);
        const news = await checked(read.props, inputs(["jane", "tom"]));
        assert.equal((await ctx.host.diff(read.id, urn, read.props, news)).changes, "some");
        await ctx.host.update(read.id, urn, read.props, news);
        assert.deepEqual(membersOf(ctx.graph), ids("jane", "peter", "tom"));
    });

    it("keeps who it added when a refresh's member list lags behind the add, and takes them out once users.yaml drops them", async () => {
        ctx.graph.faults.lagMemberList(ALL_STAFF, 2); // the next two listings show Jane and Peter only
        const created = await create(["jane", "tom"]);
        assert.deepEqual(membersOf(ctx.graph), ids("jane", "peter", "tom"));
        const read = await ctx.host.read(created.id, urn, created.outs);
        assert.deepEqual(read.props.members, [{ key: "jane", objectId: PEOPLE.jane }], "the lagging list does not show Tom yet");
        assert.deepEqual([...read.props.managed].sort(), ids("jane", "tom"), "but Tom stays managed");
        const news = await checked(read.props, inputs(["jane"]));
        assert.equal((await ctx.host.diff(read.id, urn, read.props, news)).changes, "some", "Tom, managed and no longer listed, is a change");
        const updated = await ctx.host.update(read.id, urn, read.props, news);
        assert.deepEqual(membersOf(ctx.graph), ids("jane", "peter"), "Tom is taken out");
        assert.deepEqual(updated.outs.managed, [PEOPLE.jane]);
    });

    it("takes out a managed person users.yaml drops even when the listing at update does not show them yet", async () => {
        ctx.graph.faults.lagMemberList(ALL_STAFF, 2); // create's listing and the update's: Jane and Peter only
        const created = await create(["jane", "tom"]);
        const updated = await ctx.host.update(created.id, urn, created.outs, await checked(created.outs, inputs(["jane"])));
        assert.deepEqual(updated.outs.managed, [PEOPLE.jane]);
        assert.deepEqual(membersOf(ctx.graph), ids("jane", "peter"), "Tom is taken out though the listing did not show him");
    });

    it("names a group deleted in Entra at once, instead of waiting for the person and blaming them", async () => {
        // Waiting for Tom would end in "still unknown to Microsoft Graph after 2 s"; the group is named instead.
        await ctx.host.configure({ "azuread:tenantId": ctx.graph.tenantId, "practiceprotect-users:userLookupTimeoutSeconds": "2" });
        const gone = /the existing group 'All Staff' \(1f0e2d3c-0001-4b5a-9c8d-7e6f5a4b3c01\) is no longer in Entra: Microsoft Graph answers 404 for it, so it was deleted\. Restore it .*or take it out of users\.yaml/;
        ctx.graph.faults.deleteGroup(ALL_STAFF);
        await assert.rejects(create(["tom"]), (e: Error) => assert.match(e.message, gone) === undefined && !/still unknown|\btom\b/.test(e.message));
        assert.deepEqual(graphCalls(ctx.graph), [`GET /groups/${ALL_STAFF}/members 404`], "no add tried, no wait");

        // A replica that still lists the deleted group: the add answers 404, and the group is checked, not waited on.
        ctx.graph.state.groups.push({ id: ALL_STAFF, displayName: "All Staff", description: "", securityEnabled: true, mailEnabled: false, groupTypes: [], mailNickname: "AllStaff", isAssignableToRole: false, members: [PEOPLE.jane] });
        ctx.graph.faults.lagMemberList(ALL_STAFF, 1);
        ctx.graph.faults.deleteGroup(ALL_STAFF);
        ctx.graph.calls.length = 0;
        await assert.rejects(create(["tom"]), (e: Error) => assert.match(e.message, gone) === undefined && !/still unknown|\btom\b/.test(e.message));
        assert.deepEqual(
            graphCalls(ctx.graph),
            [`GET /groups/${ALL_STAFF}/members 200`, `POST /groups/${ALL_STAFF}/members/$ref 404`, `GET /groups/${ALL_STAFF}/members 404`],
            "one add, the group checked, no second attempt: no wait",
        );
    });

    it("a person Graph does not show yet is still waited for: the group is checked and found there", async () => {
        ctx.graph.faults.hideUser(PEOPLE.tom, 1);
        await create(["tom"]);
        assert.deepEqual(membersOf(ctx.graph), ids("jane", "peter", "tom"));
        assert.deepEqual(graphCalls(ctx.graph), [
            `GET /groups/${ALL_STAFF}/members 200`,
            `POST /groups/${ALL_STAFF}/members/$ref 404`,
            `GET /groups/${ALL_STAFF}/members 200`,
            `POST /groups/${ALL_STAFF}/members/$ref 204`,
        ]);
    });

    it("on delete, a group already deleted in Entra leaves nothing to do", async () => {
        const created = await create(["jane", "tom"]);
        ctx.graph.faults.deleteGroup(ALL_STAFF);
        await ctx.host.delete(created.id, urn, created.outs);
    });

    it("says what to do when Graph refuses a distribution list", async () => {
        await assert.rejects(
            ctx.host.create(urnFor("ExistingGroupMembers", "announcements"), await checked({}, inputs(["tom"], ANNOUNCEMENTS, "Staff Announcements"))),
            /Microsoft Graph refused to add tom \(0a1b2c3d-1004-[^)]*\) to 'Staff Announcements' \(HTTP 400 Request_BadRequest\): Cannot Update a mail-enabled security groups and or distribution list\. 'Staff Announcements' is managed in Exchange/,
        );
    });

    it("names the permission when the deploying app lacks it, and adds nobody", async () => {
        ctx.graph.state.grant(DEPLOY_APP.id, ["User.ReadWrite.All", "GroupMember.Read.All"]);
        await assert.rejects(create(["tom"]), /refused to add tom .* \(HTTP 403 Authorization_RequestDenied\).*needs the application permission GroupMember\.ReadWrite\.All/);
        assert.deepEqual(membersOf(ctx.graph), ids("jane", "peter"), "nothing added");
    });

    it("refuses inputs that are not object ids before any call", async () => {
        const result = await ctx.host.check(urn, {}, { ...inputs([]), members: [{ key: "tom", objectId: "tom@harbourfinch.com.au" }] });
        assert.deepEqual(result.failures.map((f) => f.reason), ['tom: objectId must be a GUID, got "tom@harbourfinch.com.au"']);
        assert.deepEqual(graphCalls(ctx.graph), []);
    });
});
