import { PINNED_SETTINGS, pinnedMismatch, pinnedValue } from "../model/config/pinned";

/**
 * Where and as whom the client talks to Practice Protect, and how patiently. Read from stack config
 * (`practiceprotect:url`, ...) with an environment fallback (`PRACTICEPROTECT_URL`, ...) so that credentials
 * can rotate without a deploy.
 */
export interface PracticeProtectSettings {
    /** The tenant root, e.g. https://firm.my.idaptive.app */
    url: string;
    /** How the client gets its token (see SIGN_IN_METHODS). */
    signIn: SignInMethod;
    /** The OAuth2 client app's Application ID; empty with the platform-service-user sign-in, which needs none. */
    oauthAppId: string;
    clientId: string;
    clientSecret: string;
    /** The Azure AD directory source's display name or uuid. */
    directory: string;
    scope?: string;
    /** How long to wait for a new Entra user to appear in the directory source. */
    lookupTimeoutSeconds: number;
    /** Rows per Redrock page (the portal user listing). */
    pageSize: number;
    /** How long one HTTP request may take before it is abandoned (and retried). */
    requestTimeoutSeconds: number;
    /** How long one call may take in all, its retries and their backoff included. */
    callBudgetSeconds: number;
}

/**
 * `oauth2-client`: POST /oauth2/token/{oauthAppId} as a confidential client of an "OAuth2 Client" web app
 * (the reference, Authentication). `platform-service-user`: POST /oauth2/platformtoken with client_id and
 * client_secret in the form body and no app id, as Identity Security Platform service users sign in (seen in
 * several public callers: CyberArk's own PowerShell and Python scripts, a Go API client, SIEM connectors).
 */
export const SIGN_IN_METHODS = ["oauth2-client", "platform-service-user"] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

export const SETTING_NAMES = {
    url: "url",
    signIn: "signIn",
    oauthAppId: "oauthAppId",
    clientId: "clientId",
    clientSecret: "clientSecret",
    directory: "directory",
    scope: "scope",
    lookupTimeoutSeconds: "lookupTimeoutSeconds",
    pageSize: "pageSize",
    requestTimeoutSeconds: "requestTimeoutSeconds",
    callBudgetSeconds: "callBudgetSeconds",
} as const;

const envName = (setting: string) => `PRACTICEPROTECT_${setting.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

export const DEFAULT_LOOKUP_TIMEOUT_SECONDS = 600;
/**
 * A Redrock call costs about 15 s however small, plus about 0.8 ms per row on large tenants (one long-running
 * integration's logs; it moved to pages of 50,000): 10,000 rows a page lists a 25,000-user tenant in three calls
 * of about 23 s each.
 */
export const DEFAULT_PAGE_SIZE = 10_000;
export const MAX_PAGE_SIZE = 100_000;
/**
 * GetRoleMembers has taken 11-26 s for roles of 5,000-13,000 members and Redrock ~15 s plus its rows (above);
 * that integration allows 240 s for a 50,000-row page. 120 s leaves room over everything seen at our page size.
 */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 120;
/** Room for a few slow attempts and their backoff before a call is given up. */
export const DEFAULT_CALL_BUDGET_SECONDS = 600;

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
    const number = (name: string, fallback: number, { min, max, integer }: { min: number; max?: number; integer?: boolean }) => {
        const text = value(name);
        if (text === undefined) return fallback;
        const n = Number(text);
        if (!Number.isFinite(n) || n < min || (max !== undefined && n > max) || (integer && !Number.isInteger(n))) {
            problems.push(`practiceprotect:${name} is '${text}'; use ${integer ? "a whole number" : "a number"} ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}`);
            return fallback;
        }
        return n;
    };

    const url = required("url").replace(/\/+$/, "");
    if (url && !/^https?:\/\/[^/]+$/.test(url)) problems.push(`practiceprotect:url is '${url}'; use the tenant root, e.g. https://firm.my.idaptive.app`);
    // Where and how the client secret is sent: the environment (in CI, the protected GitHub environment) chooses,
    // and stack config, which a pull request can change, may only repeat it (model/config/pinned.ts).
    for (const setting of PINNED_SETTINGS.filter((p) => p.namespace === "practiceprotect")) {
        const configured = config(`practiceprotect:${setting.name}`);
        const mismatch = configured ? pinnedMismatch(`practiceprotect:${setting.name}`, configured, setting, pinnedValue(setting, env)) : undefined;
        if (mismatch) problems.push(mismatch);
    }
    const signIn = (value("signIn") ?? "oauth2-client") as SignInMethod;
    if (!SIGN_IN_METHODS.includes(signIn)) problems.push(`practiceprotect:signIn is '${signIn}'; use ${SIGN_IN_METHODS.join(" or ")}`);
    const settings: PracticeProtectSettings = {
        url,
        signIn,
        // A platform service user signs in without an app id (POST /oauth2/platformtoken).
        oauthAppId: signIn === "platform-service-user" ? (value("oauthAppId") ?? "") : required("oauthAppId"),
        clientId: required("clientId"),
        clientSecret: required("clientSecret"),
        directory: required("directory"),
        scope: value("scope") || undefined,
        lookupTimeoutSeconds: number("lookupTimeoutSeconds", DEFAULT_LOOKUP_TIMEOUT_SECONDS, { min: 0 }),
        pageSize: number("pageSize", DEFAULT_PAGE_SIZE, { min: 1, max: MAX_PAGE_SIZE, integer: true }),
        requestTimeoutSeconds: number("requestTimeoutSeconds", DEFAULT_REQUEST_TIMEOUT_SECONDS, { min: 1 }),
        callBudgetSeconds: number("callBudgetSeconds", DEFAULT_CALL_BUDGET_SECONDS, { min: 1 }),
    };
    if (settings.callBudgetSeconds < settings.requestTimeoutSeconds) {
        problems.push(`practiceprotect:callBudgetSeconds (${settings.callBudgetSeconds}) is shorter than practiceprotect:requestTimeoutSeconds (${settings.requestTimeoutSeconds}); a slow call could never be retried`);
    }
    if (problems.length) throw new Error(`Practice Protect settings: ${problems.join("; ")}. See docs/practice-protect-setup.md.`);
    return settings;
}
