import { strict as assert } from "node:assert";
import { describePerson, renderReviewMarkdown } from "../cli/renderReview";
import { checkUsersYaml, SourceFile } from "../model";
import { reviewChanges, ReviewSide } from "../model/review";
import { SMALL_FIRM } from "./support/fixtures";

/** The review (`npm run plan -- --base`): licences gained and lost per person; removals need attention. */

const model = (text: string) => {
    const result = checkUsersYaml(new SourceFile("users.yaml", text));
    assert.ok(result.model, result.diagnostics.map((d) => d.message).join("\n"));
    return result.model;
};
const review = (before: string, after: string, base: Omit<ReviewSide, "model"> = {}, head: Omit<ReviewSide, "model"> = base) =>
    reviewChanges({ ...base, model: model(before) }, { ...head, model: model(after) });
const LICENSED = SMALL_FIRM.replace("  groups: [All Staff]\n", "  groups: [All Staff]\n  licenses: [Microsoft 365 Business Premium]\n");

describe("review: licences", () => {
    it("shows a licence given to everyone through defaults on every person", () => {
        const diff = review(SMALL_FIRM, LICENSED);
        assert.deepEqual(
            diff.people.map((p) => [p.key, p.licenses.gained, p.licenses.lost]),
            ["jane.citizen", "bob.lee", "ann.adopted", "pete.leaver"].map((key) => [key, ["Microsoft 365 Business Premium"], []]),
        );
        assert.deepEqual(diff.attention, []);
        assert.match(describePerson(diff.people[0]), /gets the licence Microsoft 365 Business Premium \(plans as in Entra\)$/);
    });

    it("treats a product name and its part number as the same licence", () => {
        const diff = review(LICENSED, LICENSED.replace("licenses: [Microsoft 365 Business Premium]", "licenses: [SPB]"));
        assert.deepEqual(diff.people, []);
    });

    it("lists licence removals under Needs attention, since the mailbox goes 30 days later", () => {
        const diff = review(LICENSED, SMALL_FIRM);
        assert.deepEqual(diff.people.find((p) => p.key === "bob.lee")?.licenses, { gained: [], lost: ["Microsoft 365 Business Premium"], plans: [] });
        assert.ok(diff.attention.includes("bob.lee loses the licence Microsoft 365 Business Premium (without an Exchange licence the mailbox is deleted 30 days later)"), diff.attention.join("\n"));
        const markdown = renderReviewMarkdown(diff, { base: "origin/main", head: "working tree", file: "users.yaml" } as never).join("\n");
        assert.match(markdown, /\| bob\.lee \| - \| - \| - \| −Microsoft 365 Business Premium \|/);
    });

    it("says whether offboarding takes licences away, by the stack setting", () => {
        const offboarded = LICENSED.replace("    usageLocation: NZ\n", "    usageLocation: NZ\n    enabled: false\n");
        assert.deepEqual(review(LICENSED, offboarded).people.find((p) => p.key === "bob.lee")?.licenses, { gained: [], lost: [], plans: [] }, "kept by default");
        const removing = review(LICENSED, offboarded, { removeLicensesOnOffboarding: true });
        assert.deepEqual(removing.people.find((p) => p.key === "bob.lee")?.licenses, { gained: [], lost: ["Microsoft 365 Business Premium"], plans: [] });
        assert.ok(removing.attention.some((a) => a.startsWith("bob.lee loses the licence")));
    });

    it("a person removed from users.yaml keeps their licences with their account, unless removed users are deleted", () => {
        const withoutBob = LICENSED.replace(/  bob\.lee:\n(    .*\n)+/, "");
        assert.deepEqual(review(LICENSED, withoutBob).people.find((p) => p.key === "bob.lee")?.licenses.lost, []);
        assert.deepEqual(review(LICENSED, withoutBob, { deleteRemovedUsers: true }).people.find((p) => p.key === "bob.lee")?.licenses.lost, ["Microsoft 365 Business Premium"]);
    });
    it("says what happens to a licence's service plans: left as in Entra when unstated, exactly the stated ones otherwise", () => {
        const stated = LICENSED.replace("licenses: [Microsoft 365 Business Premium]", "licenses: [{ name: Microsoft 365 Business Premium, disabledPlans: [TEAMS1] }]");
        const diff = review(LICENSED, stated);
        const jane = diff.people.find((p) => p.key === "jane.citizen")!;
        assert.deepEqual(jane.licenses, { gained: [], lost: [], plans: [{ license: "Microsoft 365 Business Premium", from: "plans as in Entra", to: "exactly: TEAMS1 off" }] });
        assert.equal(describePerson(jane), "Microsoft 365 Business Premium plans: plans as in Entra → exactly: TEAMS1 off");
        const none = review(stated, stated.replace("disabledPlans: [TEAMS1]", "disabledPlans: []")).people.find((p) => p.key === "jane.citizen")!;
        assert.deepEqual(none.licenses.plans, [{ license: "Microsoft 365 Business Premium", from: "exactly: TEAMS1 off", to: "exactly: every plan on" }]);
        assert.equal(review(stated, stated.replace("[TEAMS1]", "[teams1]")).people.length, 0, "the same plans in another case are no change");
        const added = review(SMALL_FIRM, stated).people.find((p) => p.key === "bob.lee")!;
        assert.match(describePerson(added), /gets the licence Microsoft 365 Business Premium \(exactly: TEAMS1 off\)$/);
        assert.match(renderReviewMarkdown(diff, { base: "origin/main", head: "working tree", file: "users.yaml" } as never).join("\n"), /\| jane\.citizen \|.*Microsoft 365 Business Premium plans: plans as in Entra → exactly: TEAMS1 off/);
    });
});
