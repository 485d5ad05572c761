import type { Check, Probed } from "./check";

/** The Azure AD directory source practiceprotect:directory names is found, once. */
export function portalDirectoryCheck(wanted: string, found: Probed<{ uuid: string; displayName: string }>): Check {
    const base = { id: "portal.directory", section: "Practice Protect" as const, title: "Directory source" };
    if (found.ok) return { ...base, verdict: "pass", detail: `'${found.value.displayName}' (${found.value.uuid})` };
    return {
        ...base,
        verdict: "fail",
        detail: found.error,
        advice: ["Set practiceprotect:directory (or PRACTICEPROTECT_DIRECTORY) to the display name or uuid of the Azure AD source the portal lists (Admin portal > Settings > Users > User Management / Directory Services)."],
    };
}
