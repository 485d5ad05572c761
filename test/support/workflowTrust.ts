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
 *   they are safe only while they never check out or execute what the pull request produced.
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

/** Events whose runs execute the pull request's own code and workflow files. */
const PROPOSED_CODE_EVENTS = ["pull_request"];
/** Events that run the default branch's workflow with privileges, triggered by a pull request. */
const PRIVILEGED_PR_EVENTS = ["pull_request_target", "workflow_run"];
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
                for (const s of job.steps) {
                    if (action(s) === "actions/checkout" && PR_REF.test(text(s.with))) out.push(`${where}: ${on.join("/")} checks out the pull request's code`);
                }
                const tainted = checksOut(job) || job.steps.some((s) => action(s) === "actions/download-artifact");
                if (tainted && runsRepositoryCode(job)) out.push(`${where}: ${on.join("/")} runs code after checking out or downloading what the pull request produced`);
                for (const s of job.steps) {
                    if (action(s) === "actions/github-script" && EXECUTES.test(String(s.with?.script ?? ""))) out.push(`${where}: ${on.join("/")} github-script executes files or processes`);
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
