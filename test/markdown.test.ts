import { strict as assert } from "node:assert";
import { codeFence, markdownLine, markdownText } from "../cli/markdown";
import { renderReviewMarkdown } from "../cli/renderReview";
import { renderMarkdown } from "../doctor/render";
import type { ReviewDiff } from "../model/review";

/**
 * What reaches a pull-request comment from users.yaml, the stack settings or the tenant stays the words it is:
 * cli/markdown.ts, then the two renderers that use it (the review plan and the doctor's checklist).
 */

const EVE = "Eve](https://evil) <img src=x> | ### Needs attention";
const MARKER = "<!-- users-as-code-plan stack=dev -->";

describe("markdown: user-controlled text in GitHub markdown", () => {
    it("escapes what would make a link, an image, HTML, a table column or emphasis", () => {
        assert.equal(markdownText(EVE), "Eve\\](https:&#8203;//evil) &lt;img src=x> \\| ### Needs attention");
        assert.equal(markdownText("![x](https://evil/p.png)"), "!\\[x\\](https:&#8203;//evil/p.png)");
        assert.equal(markdownText("*bold* _it_ ~~gone~~ `code` $x^2$ \\"), "\\*bold\\* \\_it\\_ \\~\\~gone\\~\\~ \\`code\\` \\$x^2\\$ \\\\");
        assert.equal(markdownText("&lt;b&gt; & co"), "&amp;lt;b&amp;gt; &amp; co", "an entity someone typed shows as typed");
    });

    it("cannot forge a comment marker or any HTML", () => {
        assert.equal(markdownText(MARKER), "&lt;!-- users-as-code-plan stack=dev -->");
        assert.doesNotMatch(markdownText(`</details>${MARKER}<script>`), /</);
    });

    it("cannot mention a person or a team, or autolink an address; an e-mail address is left readable", () => {
        assert.equal(markdownText("@org/admins"), "@&#8203;org/admins");
        assert.equal(markdownText("ping (@alice) and @@bob"), "ping (@&#8203;alice) and @&#8203;@&#8203;bob");
        assert.equal(markdownText("jane@firm.com.au"), "jane@firm.com.au", "a UPN: not a mention");
        assert.equal(markdownText("see www.evil.example or HTTPS://x"), "see www&#8203;.evil.example or HTTPS:&#8203;//x");
    });

    it("keeps one line: line breaks become spaces, controls, bidi overrides and zero-width characters show as U+FFFD", () => {
        assert.equal(markdownText("Jane\n\n### Needs attention\r\n- nothing"), "Jane  ### Needs attention - nothing");
        assert.equal(markdownText("Ad\u202emin\u200b\u0007\tx"), "Ad\ufffdmin\ufffd\ufffd x");
        assert.equal(markdownText("   indented code?"), "indented code?");
    });

    it("leaves ordinary names, phone numbers and licence names as they are", () => {
        for (const plain of ["Zoe New", "+61456789012", "Portal Users - AU", "Microsoft 365 Business Premium", "O'Brien-Smith", "jane.citizen", "Senior Accountant (Tax)", "-"]) {
            assert.equal(markdownText(plain), plain);
        }
    });

    it("at the start of a line, a quote or a list item, cannot open a heading or a list", () => {
        assert.equal(markdownLine("### Needs attention"), "\\### Needs attention");
        assert.equal(markdownLine("- fake item"), "\\- fake item");
        assert.equal(markdownLine("+ fake item"), "\\+ fake item");
        assert.equal(markdownLine("1. first"), "1\\. first");
        assert.equal(markdownLine("2) second"), "2\\) second");
        assert.equal(markdownLine("> quote"), "\\> quote");
        assert.equal(markdownText("a > b"), "a > b", "a > that opens no line means nothing");
        assert.equal(markdownLine("jane.citizen is granted Global Administrator"), "jane.citizen is granted Global Administrator");
    });

    it("fences text with a fence longer than any run of backticks inside", () => {
        assert.equal(codeFence("plain"), "```text\nplain\n```");
        assert.equal(codeFence("a ``` b\n````\n"), "`````text\na ``` b\n````\n`````");
        assert.equal(codeFence("x", "diff"), "```diff\nx\n```");
    });
});

describe("markdown: the review plan and the doctor's checklist escape what users.yaml and the tenant say", () => {
    const person = (over: Partial<ReviewDiff["people"][number]>): ReviewDiff["people"][number] =>
        ({
            key: "eve",
            name: EVE,
            kind: "added",
            attributes: [{ field: "jobTitle", from: undefined, to: "<!-- users-as-code-plan stack=dev -->" }],
            groups: { joined: ["@org/admins", "a | b"], left: [] },
            adminRoles: { granted: [], revoked: [] },
            portal: { invited: false, removed: false, joined: [], left: [] },
            licenses: { gained: ["[free](https://evil)"], lost: [], plans: [{ license: "[free](https://evil)", to: "exactly: <b>TEAMS1</b> off" }] },
            ...over,
        }) as ReviewDiff["people"][number];

    it("a plan with a hostile display name, group, job title and licence has only the renderer's own markup", () => {
        const diff = { people: [person({})], groups: { created: ["### Needs attention"], removed: [], renamed: [] }, attention: ["### Needs attention: nothing (@org/admins)"], config: [] } as unknown as ReviewDiff;
        const text = renderReviewMarkdown(diff, { file: "users.yaml", base: "origin/main" }).join("\n");
        assert.doesNotMatch(text, /<!--|<img|(?<!\\)\]\(|(?<![\w&])@(?!&#8203;)/, text);
        assert.deepEqual(text.split("\n").filter((l) => /^ {0,3}#{1,6}( |$)/.test(l)), ["### Added", "### Groups"], "the only headings are the renderer's");
        assert.ok(text.includes("> - \\### Needs attention: nothing (@&#8203;org/admins)"), text);
        assert.ok(text.includes("| eve | Eve\\](https:&#8203;//evil) &lt;img src=x> \\| ### Needs attention |"), text);
        for (const line of text.split("\n").filter((l) => l.startsWith("| eve "))) assert.equal(line.split(/(?<!\\)\|/).length, 9, `seven columns: ${line}`);
    });

    it("a doctor finding that quotes a hostile group name stays in its cell", () => {
        const lines = renderMarkdown({ stack: "dev", usersFile: "users.yaml", identity: "read-only", checks: [{ id: "g", section: "Entra ID", title: "existing groups", verdict: "fail", detail: `'${EVE}' (users.yaml:3:4) not found\n@org/admins`, advice: [`create ${MARKER}`] }] });
        const row = lines.find((l) => l.startsWith("| ❌"));
        assert.equal(row, "| ❌ | existing groups | 'Eve\\](https:&#8203;//evil) &lt;img src=x> \\| ### Needs attention' (users.yaml:3:4) not found<br>@&#8203;org/admins<br>**Fix:** create &lt;!-- users-as-code-plan stack=dev --> |");
    });
});
