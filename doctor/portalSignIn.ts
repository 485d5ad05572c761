import type { Check } from "./check";

/** The portal settings were read and a token was issued; with which scope the platform says it was issued. */
export function portalSignInCheck(result: { ok: true; grantedScope?: string; requestedScope?: string; signIn: string; clientId: string } | { ok: false; error: string; settingsProblem: boolean }): Check {
    const base = { id: "portal.token", section: "Practice Protect" as const, title: "Token" };
    if (!result.ok) {
        return {
            ...base,
            verdict: "fail",
            detail: result.error,
            advice: result.settingsProblem
                ? ["Set the missing settings in the stack config (pulumi config set practiceprotect:...) or the environment (PRACTICEPROTECT_...); keep the client secret in the environment: docs/practice-protect-setup.md, \"Practice Protect settings\"."]
                : [
                      "Check PRACTICEPROTECT_CLIENT_ID and PRACTICEPROTECT_CLIENT_SECRET (the service user's login name with its suffix, and its password), practiceprotect:oauthAppId (the OAuth2 client app's Application ID) and practiceprotect:url.",
                      "In the admin portal the service user must have \"Is OAuth confidential client\" ticked and be allowed on the app's Permissions page; the app's Tokens page must allow Client Creds.",
                  ],
        };
    }
    const scope = result.grantedScope ?? result.requestedScope;
    const said = result.grantedScope !== undefined ? `scope '${result.grantedScope || "(none)"}'` : scope ? `scope '${scope}' requested (the platform did not say which it granted)` : "no scope";
    return { ...base, verdict: "pass", detail: `issued to ${result.clientId} (${result.signIn}), ${said}` };
}
