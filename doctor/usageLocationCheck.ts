import type { UserLicenses } from "../graph";
import type { ResolvedUser } from "../model";
import type { Check } from "./check";

/**
 * Graph refuses to assign a licence to a user without a usage location ("user: assignLicense": "License assignment
 * cannot be done for user with invalid usage location"). users.yaml's validator already requires one for every
 * licensed user; here each licensed user's usage location is what users.yaml sets, and Entra's current value is
 * compared so that a reviewer sees which will change before the licence is assigned.
 */
export function usageLocationCheck(users: readonly ResolvedUser[], current: readonly UserLicenses[]): Check {
    const base = { id: "entra.usageLocation", section: "Entra ID" as const, title: "Usage location for licences" };
    const licensed = users.filter((u) => u.licenses.length > 0);
    if (licensed.length === 0) return { ...base, verdict: "pass", detail: "users.yaml gives no licences, so no usage location is needed" };
    const missing = licensed.filter((u) => !u.usageLocation);
    if (missing.length) {
        return {
            ...base,
            verdict: "fail",
            detail: `licensed but without a usageLocation: ${missing.map((u) => u.key).join(", ")}`,
            advice: ["Set usageLocation (an ISO code such as AU) on these users, a profile they use, or defaults."],
        };
    }
    const byId = new Map(current.map((c) => [c.id.toLowerCase(), c]));
    const byUpn = new Map(current.map((c) => [c.userPrincipalName.toLowerCase(), c]));
    const changes = licensed.flatMap((u) => {
        const entra = (u.objectId && byId.get(u.objectId.toLowerCase())) || byUpn.get(u.userPrincipalName.toLowerCase());
        return entra && (entra.usageLocation ?? "") !== u.usageLocation ? [`${u.key} ${entra.usageLocation ?? "none"} → ${u.usageLocation}`] : [];
    });
    return {
        ...base,
        verdict: "pass",
        detail: `all ${licensed.length} licensed users have one in users.yaml${changes.length ? `; set before their licence: ${changes.join(", ")}` : ""}`,
    };
}
