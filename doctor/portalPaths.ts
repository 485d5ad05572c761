import type { Check } from "./check";
import type { Identity } from "./identity";

/**
 * The REST paths the program calls (practiceprotect/client.ts), each probed with a call that changes nothing:
 * the reads as the program makes them (a directory listing, a look-up of one user, a role listing, one role's
 * members), the writes with an empty body `{}`, which names no user and no role, so there is nothing it could
 * change: the platform refuses it ("Parameter '...' must be specified", reference: Transport) once the call has
 * passed the scope check.
 *
 * What an answer to an empty write proves: a platform error about the request means the token's scope let the call
 * through to the endpoint (the scope's allowed REST paths are checked before the request is read: L, not
 * published). What it cannot prove: that the service user's role holds the administrative rights (User Management,
 * Role Management) the real write needs: the platform checks those only when there is something to change, so the
 * first `pulumi up` is still the proof of them. Never sent: a body naming a user or role, which could succeed.
 */
export interface PortalPath {
    path: string;
    access: "read" | "write";
    purpose: string;
}

export const PORTAL_PATHS: readonly PortalPath[] = [
    { path: "/Core/GetDirectoryServices", access: "read", purpose: "finding the directory source" },
    { path: "/UserMgmt/DirectoryServiceQuery", access: "read", purpose: "finding users in the directory source" },
    { path: "/Redrock/query", access: "read", purpose: "listing portal users and roles" },
    { path: "/Roles/GetRoleMembers", access: "read", purpose: "reading role members" },
    { path: "/UserMgmt/InviteUsers", access: "write", purpose: "inviting users" },
    { path: "/UserMgmt/RemoveUsers", access: "write", purpose: "removing offboarded users' portal accounts" },
    { path: "/Roles/UpdateRole", access: "write", purpose: "changing role members" },
];

/** The empty request each write is probed with: it names nothing to change. */
export const EMPTY_WRITE_PROBE = {} as const;

export interface PathProbe {
    path: string;
    /** allowed: the call reached the endpoint; refused: the platform refused the token for it; unknown: could not tell */
    outcome: "allowed" | "refused" | "unknown";
    /** what the platform answered, for the report (never a token) */
    answer: string;
}

export function portalPathsCheck(identity: Identity, probes: readonly PathProbe[], settings: { signIn: string; oauthAppId: string; scope?: string }): Check {
    const base = { id: "portal.paths", section: "Practice Protect" as const, title: "Scope allows each path" };
    const of = (access: PortalPath["access"], outcome: PathProbe["outcome"]) =>
        probes.filter((p) => p.outcome === outcome && PORTAL_PATHS.find((x) => x.path === p.path)?.access === access).map((p) => p.path);
    const readsRefused = of("read", "refused");
    const writesRefused = of("write", "refused");
    const writesAllowed = of("write", "allowed");
    const unknown = probes.filter((p) => p.outcome === "unknown");
    const where = settings.signIn === "platform-service-user" ? "the service user's role (a platform service user has no app scope)" : `the scope${settings.scope ? ` '${settings.scope}'` : ""} of the OAuth2 client app '${settings.oauthAppId}'`;
    const scopeAdvice = (paths: string[]) =>
        settings.signIn === "platform-service-user"
            ? `Give the service user's role the administrative rights these calls need (Core Services > Roles): ${paths.join(", ")}.`
            : `Admin portal > Apps & Widgets > Web Apps > ${settings.oauthAppId} > Scope > ${settings.scope ?? "the scope"}: add each of ${paths.map((p) => p.slice(1)).join(", ")} to its allowed REST APIs (regexes).`;
    const refused = identity === "deploying" ? [...readsRefused, ...writesRefused] : readsRefused;
    const unknownText = unknown.length ? `; could not tell for ${unknown.map((u) => `${u.path} (${u.answer})`).join(", ")}` : "";
    if (refused.length) {
        return {
            ...base,
            verdict: "fail",
            detail: `${where} refuses ${refused.join(", ")}${unknownText}`,
            advice: [scopeAdvice(refused), "Writes were probed with an empty request that names nothing to change; this proves the scope lets them through, not that the role holds the rights to make them."],
        };
    }
    if (identity === "read-only" && writesAllowed.length) {
        return {
            ...base,
            verdict: "warn",
            detail: `the read paths are allowed, but the read-only ${where} also lets through ${writesAllowed.join(", ")}`,
            advice: [`Remove ${writesAllowed.map((p) => p.slice(1)).join(", ")} from the read-only scope's allowed REST APIs: pull requests' code runs as this identity once a preview is approved.`],
        };
    }
    if (unknown.length) return { ...base, verdict: "warn", detail: `allowed: ${probes.filter((p) => p.outcome === "allowed").map((p) => p.path).join(", ") || "none"}${unknownText}`, advice: ["Run the doctor again; if it persists, check practiceprotect:url and the portal's status."] };
    const checked = identity === "deploying" ? probes.map((p) => p.path) : probes.filter((p) => PORTAL_PATHS.find((x) => x.path === p.path)?.access === "read").map((p) => p.path);
    const writesNote = identity === "deploying" ? " (writes probed with an empty request naming nothing to change: the scope lets them through; the role's rights are proven only by a real change)" : writesRefused.length ? `; writes refused, as a read-only scope should: ${writesRefused.join(", ")}` : "";
    return { ...base, verdict: "pass", detail: `${where} allows ${checked.join(", ")}${writesNote}` };
}
