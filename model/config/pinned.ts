import type { ConfigProblem, ResolvedConfig } from "./resolve";

/**
 * Settings only an administrator chooses, held by the environment (in CI the protected GitHub environment's
 * variables): where the service account's first password is written, and where and how the portal's client
 * secret is sent. A committed file may repeat the environment's value but cannot choose one:
 * - set in a committed file with a different value: the run stops before any credential is used;
 * - set in a committed file while the environment does not hold it: the run stops too. Otherwise a firm that
 *   never set the variable would take the value from a pull request (a vault of the author's own, receiving
 *   the Global Administrator's first password; a portal URL of theirs, receiving the client secret);
 * - set only in the environment: the environment's value is used.
 */
export interface PinnedSetting {
    /** The name in the namespace, e.g. serviceAccountKeyVaultId. */
    name: string;
    /** "project" for this program's own namespace (the project's name), else the namespace itself. */
    namespace: "project" | "practiceprotect";
    variable: string;
    /** How two values compare: a URL ignores case and trailing slashes, a resource id ignores case (ARM ids do). */
    same(a: string, b: string): boolean;
}

const caseless = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const exact = (a: string, b: string) => a === b;
const url = (a: string, b: string) => caseless(a.replace(/\/+$/, ""), b.replace(/\/+$/, ""));

export const PINNED_SETTINGS: readonly PinnedSetting[] = [
    { name: "serviceAccountKeyVaultId", namespace: "project", variable: "SERVICE_ACCOUNT_KEY_VAULT_ID", same: caseless },
    { name: "url", namespace: "practiceprotect", variable: "PRACTICEPROTECT_URL", same: url },
    { name: "scope", namespace: "practiceprotect", variable: "PRACTICEPROTECT_SCOPE", same: exact },
    { name: "signIn", namespace: "practiceprotect", variable: "PRACTICEPROTECT_SIGN_IN", same: exact },
];

export const pinnedKey = (setting: PinnedSetting, project: string) => `${setting.namespace === "project" ? project : setting.namespace}:${setting.name}`;

/** Empty counts as unset: CI passes an unset variable as "". */
const held = (env: Readonly<Record<string, string | undefined>>, variable: string) => env[variable] || undefined;

/** Every committed value of a pinned setting that the environment does not hold, at its file:line:col. */
export function checkPinned(config: ResolvedConfig, env: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const setting of PINNED_SETTINGS) {
        const key = pinnedKey(setting, config.project);
        const pinned = held(env, setting.variable);
        for (const entry of config.written.filter((e) => e.key === key && !e.secret)) {
            const message = pinnedMismatch(key, entry.value, setting, pinned);
            if (message) problems.push({ source: entry.source, diagnostic: { severity: "error", code: "config-pinned", range: entry.valueRange, message } });
        }
    }
    return problems;
}

/** Why a configured value of a pinned setting cannot be used with this environment's value, if it cannot. */
export function pinnedMismatch(key: string, configured: string, setting: PinnedSetting, pinned: string | undefined): string | undefined {
    if (pinned === undefined) {
        return `${key} is '${configured}' but ${setting.variable} is not set: only the environment chooses this setting (an administrator's choice, which a pull request must not make); set ${setting.variable} to the value in the deploying environment, or remove ${key} from the configuration`;
    }
    if (!setting.same(configured, pinned)) {
        return `${key} is '${configured}' but ${setting.variable} is '${pinned}': only the environment chooses this setting; remove ${key} from the configuration, or make the two the same`;
    }
    return undefined;
}

/** A pinned setting's value for the run: the environment's (a committed value is only ever the same). */
export function pinnedValue(setting: PinnedSetting, env: Readonly<Record<string, string | undefined>>): string | undefined {
    return held(env, setting.variable);
}
