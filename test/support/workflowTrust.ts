/**
 * Who can act on the tenant, read off GitHub Actions workflows: the rules of docs/ci-and-permissions.md
 * ("Threat model: what a pull request can and cannot do") as a check that returns every violation, so a test
 * can assert none in .github/workflows and assert that each kind of mistake is caught.
 *
 * Facts about GitHub this relies on (GitHub's "Security hardening for GitHub Actions" and OIDC docs):
 * - A `pull_request` run uses the workflow files of the pull request itself, runs its code, and for a branch of
 *   the same repository can hold repository secrets and an OIDC token whose subject is
 *   `repo:ORG/REPO:pull_request`, unless the job names an environment (subject `...:environment:NAME`), whose
 *   protection rules (required reviewers, deployment branches) GitHub enforces before the job starts.
 * - `pull_request_target` and `workflow_run` run the default branch's workflow with secrets and a write token;
 *   they are safe only while they never check out or execute what the pull request produced. GitHub's "Securely
 *   using pull_request_target": the workflow, and a checkout without `ref`, come from the default branch; "you must
 *   ensure the checked-out code is only ever inspected as data and never executed"; "a workflow_run workflow should
 *   treat artifacts uploaded by other workflows as untrusted data".
 * - GitHub's "Security hardening for GitHub Actions": pin third-party actions to a full-length commit SHA in any
 *   job that holds a secret, an OIDC token or a write token; a tag can be moved by its owner.
 */

export type Map_ = Record<string, unknown>;
export interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Map_;
    env?: Record<string, string>;
    "continue-on-error"?: unknown;
}
export interface Job {
    name?: string;
    if?: string;
    "runs-on"?: string;
    /** GitHub also takes `read-all` / `write-all` here: see permissionsOf. */
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    environment?: unknown;
    concurrency?: { group?: string; "cancel-in-progress"?: unknown };
    strategy?: { "fail-fast"?: unknown; matrix?: Map_ };
    "continue-on-error"?: unknown;
    needs?: string | string[];
    steps: Step[];
}
export interface Workflow {
    name: string;
    on: Record<string, Map_ | null>;
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    jobs: Record<string, Job>;
}
export interface WorkflowDoc {
    file: string;
    workflow: Workflow;
}

/** What only the deploying identity holds: its Entra app's client id and its secrets. */
export const DEPLOYING_IDENTITY = [
    "vars.ARM_CLIENT_ID",
    "secrets.PRACTICEPROTECT_CLIENT_ID",
    "secrets.PRACTICEPROTECT_CLIENT_SECRET",
    "secrets.PULUMI_ACCESS_TOKEN",
    "secrets.ARM_CLIENT_SECRET",
];
/** The deployment environment: the stack's own name. */
export const DEPLOY_ENVIRONMENT = "${{ matrix.stack }}";
/** The prefix of the environments that hold the read-only identity for previews. */
export const PREVIEW_ENVIRONMENT_PREFIX = "preview-";

/** Events whose runs execute the pull request's own code and workflow files (the merge commit's). */
export const PROPOSED_CODE_EVENTS = ["pull_request", "pull_request_review", "pull_request_review_comment"];
/** Events that run the default branch's workflow with privileges, and that a pull request (or a comment on it) starts. */
export const PRIVILEGED_PR_EVENTS = ["pull_request_target", "workflow_run", "issue_comment"];
/** The only ref a privileged job may check out: the default branch (also what a checkout without `ref` gives). */
export const DEFAULT_BRANCH_REF = "${{ github.event.repository.default_branch }}";
/** The one workflow whose runs' artifacts may be posted, and only after these checks with GitHub's API. */
export const PREVIEW_WORKFLOW = ".github/workflows/preview.yml";
const PREVIEW_RUN_CHECKS = [PREVIEW_WORKFLOW, "getWorkflow(", "getContent(", "getReviewsForRun("];
/** Pulumi commands that change a stack or what it manages. */
const WRITING_PULUMI_COMMANDS = ["up", "update", "destroy", "refresh", "import"];

const triggers = (w: Workflow) => (typeof w.on === "string" ? [w.on] : Array.isArray(w.on) ? (w.on as string[]) : Object.keys(w.on ?? {}));
const action = (s: Step) => s.uses?.split("@")[0];
const text = (value: unknown) => JSON.stringify(value ?? null);

export function environmentName(job: Job): string | undefined {
    const e = job.environment;
    if (e === undefined || e === null) return undefined;
    if (typeof e === "string") return e;
    return String((e as { name?: unknown }).name ?? "");
}

/** The job's token permissions after inheriting the workflow's; undefined means GitHub's default (may be write). */
function permissionsOf(w: Workflow, job: Job): Record<string, string> | string | undefined {
    return (job.permissions ?? w.permissions) as Record<string, string> | string | undefined;
}

function writePermissions(perms: Record<string, string> | string | undefined): string[] {
    if (perms === undefined) return ["(none declared: the repository's default token, which may be write)"];
    if (typeof perms === "string") return perms === "read-all" || perms === "{}" ? [] : [perms];
    return Object.entries(perms)
        .filter(([, level]) => level === "write")
        .map(([scope]) => `${scope}: write`);
}

/** Runs code from the checkout: a shell step or a local action (npm ci alone runs install scripts). */
const runsRepositoryCode = (job: Job) => job.steps.some((s) => s.run !== undefined || s.uses?.startsWith("./"));
const checksOut = (job: Job) => job.steps.some((s) => action(s) === "actions/checkout");
const secretsUsed = (job: Job) => [...new Set(text(job).match(/\bsecrets\.[A-Za-z0-9_]+/g) ?? [])];
const deployingIdentityUsed = (job: Job) => DEPLOYING_IDENTITY.filter((name) => new RegExp(`\\b${name.replace(".", "\\.")}\\b`).test(text(job)));

/** Something that names the pull request's own commit or branch, so a checkout of it brings proposed code. */
const PR_REF = /github\.event\.(pull_request\.head|workflow_run\.head_(sha|branch|commit))|github\.head_ref|refs\/pull\//;
/** git and gh commands that write a commit's files out (so something could then run them), or move HEAD to it. */
const MATERIALISES = /\bgit\s+(checkout|switch|worktree|reset|restore|merge|pull|rebase|cherry-pick|stash|read-tree|checkout-index|archive|apply|am)\b|\bgh\s+pr\s+checkout\b/;
/** A file read out of git and run: piped into an interpreter, sourced, or eval'd. */
const RUNS_FETCHED = /\bgit\s+(show|cat-file)\b[^\n]*\|\s*(bash|sh|zsh|node|python3?|perl|ruby)\b|\b(bash|sh|node|source|\.)\s+<\(|\beval\b/;
/** npm that fetches or runs anything beyond the default branch's own scripts and lock file. */
const FOREIGN_NPM = /\bnpx\b|\bnpm\s+(install|i|add|exec|x|link|pack|publish)\b/;
/** A full 40-hex commit SHA after the action's name. */
const PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/;
/** A github-script that executes files or processes rather than only reading text. */
const EXECUTES = /child_process|(?<![.\w])exec(Sync|File)?\s*\(|\beval\s*\(|new Function|require\(\s*[`'"](\.|\/|\$)/;

export function trustViolations(docs: WorkflowDoc[]): string[] {
    const out: string[] = [];
    for (const { file, workflow } of docs) {
        const on = triggers(workflow);
        const proposed = on.some((t) => PROPOSED_CODE_EVENTS.includes(t));
        const privileged = on.some((t) => PRIVILEGED_PR_EVENTS.includes(t));
        for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
            const where = `${file} job ${id}`;
            const environment = environmentName(job);
            const perms = permissionsOf(workflow, job);
            const idToken = typeof perms === "object" && perms["id-token"] === "write";
            const secrets = secretsUsed(job);
            const deploying = deployingIdentityUsed(job);

            // Proposed code holds nothing, unless a maintainer's approval (an environment) stands in between.
            if (proposed && (runsRepositoryCode(job) || checksOut(job)) && environment === undefined) {
                for (const p of writePermissions(perms)) out.push(`${where}: runs the pull request's code with ${p === "id-token: write" ? "an OIDC token (id-token: write)" : `a write token (${p})`}`);
                for (const s of secrets) out.push(`${where}: runs the pull request's code holding ${s}`);
            }
            if ((proposed || privileged) && deploying.length) out.push(`${where}: a pull-request workflow uses the deploying identity (${deploying.join(", ")})`);
            if (proposed && environment !== undefined && !environment.startsWith(PREVIEW_ENVIRONMENT_PREFIX)) {
                out.push(`${where}: a pull-request job runs in environment '${environment}'; only ${PREVIEW_ENVIRONMENT_PREFIX}<stack> environments (read-only) are allowed`);
            }

            // Privileged pull-request events never touch what the pull request produced.
            if (privileged) {
                const what = on.join("/");
                for (const s of job.steps) {
                    if (action(s) !== "actions/checkout") continue;
                    if (PR_REF.test(text(s.with))) out.push(`${where}: ${what} checks out the pull request's code`);
                    else if (s.with?.ref !== undefined && s.with.ref !== DEFAULT_BRANCH_REF) out.push(`${where}: ${what} checks out ${text(s.with.ref)}; only the default branch (${DEFAULT_BRANCH_REF})`);
                    if (s.with?.repository !== undefined) out.push(`${where}: ${what} checks out another repository (${text(s.with.repository)})`);
                }
                // Another run's artifacts come from a pull request's run: text to read, never code to run.
                const fromOtherRun = job.steps.filter((s) => action(s) === "actions/download-artifact" && s.with?.["run-id"] !== undefined);
                const tainted = job.steps.some((s) => action(s) === "actions/checkout" && (PR_REF.test(text(s.with)) || (s.with?.ref !== undefined && s.with.ref !== DEFAULT_BRANCH_REF))) || fromOtherRun.length > 0;
                if (tainted && runsRepositoryCode(job)) out.push(`${where}: ${what} runs code after checking out or downloading what the pull request produced`);
                for (const s of job.steps) {
                    if (action(s) === "actions/github-script" && EXECUTES.test(String(s.with?.script ?? ""))) out.push(`${where}: ${what} github-script executes files or processes`);
                }
                // What the pull request wrote is read as data (git fetch, git show): never written out as files, and
                // the only packages installed are the default branch's lock file, without install scripts.
                for (const s of job.steps) {
                    const run = s.run ?? "";
                    const first = run.split("\n")[0];
                    if (MATERIALISES.test(run)) out.push(`${where}: ${what} step "${s.name ?? first}" writes a commit's files out (${MATERIALISES.exec(run)![0]}); read the pull request with git show`);
                    if (RUNS_FETCHED.test(run)) out.push(`${where}: ${what} step "${s.name ?? first}" runs what it read (${RUNS_FETCHED.exec(run)![0]}); read the pull request as data only`);
                    if (FOREIGN_NPM.test(run)) out.push(`${where}: ${what} step "${s.name ?? first}" installs or runs packages (${FOREIGN_NPM.exec(run)![0]}); only npm ci --ignore-scripts of the default branch's lock file`);
                    if (/\bnpm\s+ci\b/.test(run) && !/--ignore-scripts\b/.test(run)) out.push(`${where}: ${what} runs install scripts (${first})`);
                }
                // A job that can write to the repository or its pull requests runs no code at all and checks out
                // nothing: whatever it posts was made by another job (holding contents: read only).
                const writes = writePermissions(perms).filter((p) => p !== "id-token: write");
                if (writes.length && (runsRepositoryCode(job) || checksOut(job))) {
                    out.push(`${where}: ${what} holds a write token (${writes.join(", ")}) and ${checksOut(job) ? "checks out code" : "runs a shell step or a local action"}; render in a job with contents: read, post in another`);
                }
                // ... and posts only what a job of the same run wrote, or what a run of preview.yml left once GitHub's
                // API has confirmed it is that workflow, unchanged from the default branch, approved in its environment.
                if (writes.length && fromOtherRun.length) {
                    const script = job.steps.map((s) => String(s.with?.script ?? "")).join("\n");
                    const missing = PREVIEW_RUN_CHECKS.filter((check) => !script.includes(check));
                    if (missing.length) out.push(`${where}: ${what} posts what another run left without checking with GitHub that it is an approved run of ${PREVIEW_WORKFLOW} (missing ${missing.join(", ")})`);
                    const runOf = (workflow.on as Record<string, Map_ | null>).workflow_run?.workflows;
                    if (text(runOf) !== text(["Preview"])) out.push(`${where}: ${what} takes another run's artifacts on runs of ${text(runOf)}; only the Preview workflow's`);
                }
            }

            // Credentials only inside an environment: federated credentials trust environment subjects only, and
            // environment secrets are out of reach of other branches' workflows.
            if (idToken && environment === undefined) out.push(`${where}: holds id-token: write outside an environment`);
            const ownSecrets = secrets.filter((s) => s !== "secrets.GITHUB_TOKEN");
            if (ownSecrets.length && environment === undefined) out.push(`${where}: reads ${ownSecrets.join(", ")} outside an environment`);

            // A job's OIDC token is there for every step to ask for, install scripts included: a job that holds
            // credentials installs with --ignore-scripts (the program's own dependencies need none).
            if (idToken || ownSecrets.length) {
                for (const s of job.steps) {
                    if (/\bnpm (ci|install|i)\b/.test(s.run ?? "") && !/--ignore-scripts\b/.test(s.run ?? "")) out.push(`${where}: runs install scripts (${s.run}) while holding credentials`);
                }
            }

            // Third-party code where a credential is within reach is the code that was reviewed: a full commit SHA
            // (a tag can be moved), and the Pulumi CLI at a stated version (the action installs the newest otherwise).
            const writes = writePermissions(perms).filter((p) => p !== "id-token: write");
            if (idToken || ownSecrets.length || writes.length) {
                for (const s of job.steps) {
                    if (s.uses === undefined || s.uses.startsWith("./")) continue;
                    if (!PINNED.test(s.uses)) out.push(`${where}: holds ${idToken ? "an OIDC token" : ownSecrets.length ? "a secret" : "a write token"} and uses ${s.uses}, not pinned to a full commit SHA`);
                    if (action(s) === "pulumi/actions" && !/^\d+\.\d+\.\d+$/.test(String(s.with?.["pulumi-version"] ?? ""))) out.push(`${where}: installs the Pulumi CLI without pinning its version (pulumi-version: X.Y.Z)`);
                }
            }

            // The deploying identity, and any Pulumi command that writes, only in the stack's own environment.
            const writesStack = job.steps.some((s) => action(s) === "pulumi/actions" && WRITING_PULUMI_COMMANDS.includes(String(s.with?.command)));
            if (deploying.length || writesStack) {
                const what = writesStack ? "deploys" : `uses the deploying identity (${deploying.join(", ")})`;
                if (environment !== DEPLOY_ENVIRONMENT) out.push(`${where}: ${what} outside its stack's environment (environment: ${environment ?? "none"}; want ${DEPLOY_ENVIRONMENT})`);
                const others = on.filter((t) => t !== "push" && t !== "workflow_dispatch");
                if (others.length) out.push(`${where}: ${what} on ${others.join(", ")}; only pushes to main (or a manual run) may deploy`);
                const push = (workflow.on as Record<string, Map_ | null>).push;
                if (on.includes("push") && text(push?.branches) !== text(["main"])) out.push(`${where}: ${what} on pushes to ${text(push?.branches ?? "any branch")}; only main may deploy`);
            }
        }
    }
    return out;
}
