import { strict as assert } from "node:assert";
import { codeChangeAttention } from "../model/codeChanges";

describe("review: a change to the workflows or the program needs attention", () => {
    it("names the workflow files and the program's files, not users files, stack settings or docs", () => {
        assert.deepEqual(codeChangeAttention(["users.yaml", "firms/acme/users-acme.yaml", "Pulumi.dev.yaml", "Pulumi.yaml", "docs/deploying.md", "README.md"]), []);
        const lines = codeChangeAttention([".github/workflows/pull-request.yml", "index.ts", "package-lock.json", "users.yaml"]);
        assert.deepEqual(lines, [
            "the workflows change (.github/workflows/pull-request.yml): this pull request's own runs, checks and any comment they post follow them; read the change before approving a preview or trusting its checks",
            "the program changes (index.ts, package-lock.json): an approved preview runs it with the read-only identity, and pulumi up with the deploying identity after the merge; read it as code",
        ]);
    });

    it("lists at most five files and counts the rest", () => {
        const [line] = codeChangeAttention(["a.ts", "b.ts", "c.ts", "d.ts", "e.ts", "f.ts", "g.ts"]);
        assert.match(line, /^the program changes \(a\.ts, b\.ts, c\.ts, d\.ts, e\.ts and 2 more\)/);
    });
});
