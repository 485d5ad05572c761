/**
 * Where and as whom the client talks to Practice Protect. Read from stack config (`practiceprotect:url`, ...)
 * with an environment fallback (`PRACTICEPROTECT_URL`, ...) so that credentials can rotate without a deploy.
 */
export interface PracticeProtectSettings {
    /** The tenant root, e.g. https://firm.my.idaptive.app */
    url: string;
    oauthAppId: string;
    clientId: string;
    clientSecret: string;
    /** The Azure AD directory source's display name or uuid. */
    directory: string;
    scope?: string;
    /** How long to wait for a new Entra user to appear in the directory source. */
    lookupTimeoutSeconds: number;
}

export const SETTING_NAMES = {
    url: "url",
    oauthAppId: "oauthAppId",
    clientId: "clientId",
    clientSecret: "clientSecret",
    directory: "directory",
    scope: "scope",
    lookupTimeoutSeconds: "lookupTimeoutSeconds",
} as const;

const envName = (setting: string) => `PRACTICEPROTECT_${setting.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

export const DEFAULT_LOOKUP_TIMEOUT_SECONDS = 600;

/**
 * Settings from a config lookup (keys `practiceprotect:<name>`) falling back to the environment. Throws one
 * error naming every missing or unusable setting; never echoes the client secret.
 */
export function readPracticeProtectSettings(config: (key: string) => string | undefined, env: NodeJS.ProcessEnv): PracticeProtectSettings {
    // Empty counts as unset: CI systems pass an unset variable as "".
    const value = (name: string) => config(`practiceprotect:${name}`) || env[envName(name)] || undefined;
    const problems: string[] = [];
    const required = (name: string) => {
        const v = value(name);
        if (!v) problems.push(`practiceprotect:${name} (or ${envName(name)}) is not set`);
        return v ?? "";
    };
    const url = required("url").replace(/\/+$/, "");
    if (url && !/^https?:\/\/[^/]+$/.test(url)) problems.push(`practiceprotect:url is '${url}'; use the tenant root, e.g. https://firm.my.idaptive.app`);
    const settings: PracticeProtectSettings = {
        url,
        oauthAppId: required("oauthAppId"),
        clientId: required("clientId"),
        clientSecret: required("clientSecret"),
        directory: required("directory"),
        scope: value("scope") || undefined,
        lookupTimeoutSeconds: DEFAULT_LOOKUP_TIMEOUT_SECONDS,
    };
    const timeout = value("lookupTimeoutSeconds");
    if (timeout !== undefined) {
        const seconds = Number(timeout);
        if (!Number.isFinite(seconds) || seconds < 0) problems.push(`practiceprotect:lookupTimeoutSeconds is '${timeout}'; use a number of seconds`);
        else settings.lookupTimeoutSeconds = seconds;
    }
    if (problems.length) throw new Error(`Practice Protect settings: ${problems.join("; ")}. See README, "Practice Protect settings".`);
    return settings;
}
