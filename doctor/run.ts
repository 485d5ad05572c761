import { graphConnectionFromEnvironment, type Environment } from "../graph";
import type { RetryPolicy } from "../practiceprotect/transport";
import type { Check } from "./check";
import { entraSection } from "./entraSection";
import type { Identity } from "./identity";
import { portalSection } from "./portalSection";
import type { GraphConnection } from "./probes/graphProbe";
import { pulumiFacts } from "./probes/pulumiProbe";
import { pulumiBackendCheck, pulumiSecretsCheck, type PulumiFacts } from "./pulumiChecks";
import type { DoctorReport } from "./report";
import { readStack } from "./stackSection";

export interface DoctorOptions {
    stack: string;
    identity: Identity;
    /** The project directory (Pulumi.yaml); default the working directory. */
    cwd?: string;
    env: NodeJS.ProcessEnv;
    /** How to reach Graph; default: as the azuread provider would (graph/environment.ts). Tests pass the emulator's. */
    connectGraph?: (env: Environment, tenantId?: string) => GraphConnection;
    /** Retries for portal calls; default: from the portal settings. */
    portalPolicy?: RetryPolicy;
    /** How to ask the Pulumi CLI; default: run `pulumi` from PATH. */
    pulumi?: (cwd: string, env: NodeJS.ProcessEnv) => Promise<PulumiFacts>;
}

/**
 * The doctor: reads the stack as `pulumi up` would, signs in as it would, makes read calls only, and returns the
 * checklist. Sections run one after the other (Graph and the portal are independent, but a checklist in a stable
 * order, and a portal that is not hammered, matter more than seconds).
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
    const cwd = options.cwd ?? process.cwd();
    const stack = readStack(cwd, options.stack, options.env);
    const checks: Check[] = [...stack.checks];
    checks.push(...(await entraSection(options.identity, stack, options.env, options.connectGraph ?? graphConnectionFromEnvironment)));
    checks.push(...(await portalSection(options.identity, stack, options.env, options.portalPolicy)));
    const facts = await (options.pulumi ?? pulumiFacts)(cwd, options.env);
    checks.push(pulumiBackendCheck(options.stack, facts, options.env), pulumiSecretsCheck(options.stack, facts, stack.secrets));
    return { stack: options.stack, usersFile: stack.usersFile, identity: options.identity, checks: checks.map((c) => redact(c, secretsOf(options.env, stack.config.settings))) };
}

/** Values that must never be printed: the client secrets the environment or the stack config hold. */
function secretsOf(env: NodeJS.ProcessEnv, config: Record<string, string>): string[] {
    return [env.ARM_CLIENT_SECRET, env.ARM_OIDC_TOKEN, env.ARM_OIDC_REQUEST_TOKEN, env.ACTIONS_ID_TOKEN_REQUEST_TOKEN, env.PRACTICEPROTECT_CLIENT_SECRET, env.PULUMI_ACCESS_TOKEN, config["practiceprotect:clientSecret"]].filter(
        (s): s is string => typeof s === "string" && s.length >= 4,
    );
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

/** Belt and braces: no message from a library may carry a secret or a token into the report. */
function redact(check: Check, secrets: readonly string[]): Check {
    const clean = (text: string) => secrets.reduce((t, s) => t.split(s).join("[redacted]"), text).replace(JWT, "[token]");
    return { ...check, detail: clean(check.detail), ...(check.advice ? { advice: check.advice.map(clean) } : {}) };
}
