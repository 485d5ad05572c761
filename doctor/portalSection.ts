import { PracticeProtectClient, type Directory, type Role } from "../practiceprotect/client";
import { PracticeProtectError } from "../practiceprotect/errors";
import { readPracticeProtectSettings, type PracticeProtectSettings } from "../practiceprotect/settings";
import type { RetryPolicy } from "../practiceprotect/transport";
import type { Check, Probed } from "./check";
import type { Identity } from "./identity";
import { portalDirectoryCheck } from "./portalDirectory";
import { EMPTY_WRITE_PROBE, PORTAL_PATHS, portalPathsCheck, type PathProbe } from "./portalPaths";
import { builtInRolesCheck, portalRolesCheck, portalRolesNamed } from "./portalRoles";
import { portalSignInCheck } from "./portalSignIn";
import { probePath } from "./probes/portalProbe";
import type { StackFiles } from "./stackSection";

const SECTION = "Practice Protect" as const;
const LATER_CHECKS: [string, string][] = [
    ["portal.paths", "Scope allows each path"],
    ["portal.directory", "Directory source"],
    ["portal.roles", "Portal roles"],
];
const skipped = (why: string): Check[] => LATER_CHECKS.map(([id, title]) => ({ id, section: SECTION, title, verdict: "skip", detail: `not checked: ${why}` }));
const TOKEN_ENDPOINTS = ["/oauth2/token", "/oauth2/platformtoken"];

/**
 * Signs in to the portal with the settings the providers use (stack config, else PRACTICEPROTECT_* from the
 * environment) and probes every path the program calls, changing nothing (see portalPaths.ts for what the write
 * probes prove). The client's own errors never contain the secret or the token.
 */
export async function portalSection(identity: Identity, stack: StackFiles, env: NodeJS.ProcessEnv, policy?: RetryPolicy): Promise<Check[]> {
    const model = stack.model;
    if (!model) return [{ id: "portal.token", section: SECTION, title: "Token", verdict: "skip", detail: "not checked: users.yaml has errors" }, ...skipped("users.yaml has errors")];
    const named = portalRolesNamed(model.users);
    const usesPortal = model.users.some((u) => u.practiceProtect.invite || u.practiceProtect.invitedWhenEnabled);
    if (!usesPortal) {
        return [{ id: "portal.token", section: SECTION, title: "Token", verdict: "skip", detail: "users.yaml invites no one to the portal, so pulumi up does not contact it" }, ...skipped("the portal is not used"), builtInRolesCheck(named)];
    }

    let settings: PracticeProtectSettings;
    try {
        settings = readPracticeProtectSettings((key) => stack.config.settings[key], env);
    } catch (e) {
        const secretInConfig = stack.config.secretKeys.filter((k) => k.startsWith("practiceprotect:"));
        const note = secretInConfig.length ? ` (${secretInConfig.join(", ")} is encrypted in the stack config, which the doctor does not decrypt: set it in the environment too)` : "";
        return [portalSignInCheck({ ok: false, error: `${(e as Error).message}${note}`, settingsProblem: true }), ...skipped("no token"), builtInRolesCheck(named)];
    }
    const client = new PracticeProtectClient(settings, policy ? { policy } : {});

    // The first call fetches the token: a failure there is the sign-in's; any other is the path's.
    let listingError: unknown;
    try {
        await client.listDirectories();
    } catch (e) {
        if (e instanceof PracticeProtectError && TOKEN_ENDPOINTS.includes(e.endpoint)) {
            return [portalSignInCheck({ ok: false, error: e.message, settingsProblem: false }), ...skipped("no token"), builtInRolesCheck(named)];
        }
        listingError = e ?? new Error("GetDirectoryServices failed without saying why");
    }
    const checks: Check[] = [portalSignInCheck({ ok: true, grantedScope: client.grantedScope, requestedScope: settings.scope, signIn: settings.signIn, clientId: settings.clientId })];

    const probes: PathProbe[] = [];
    probes.push(
        await probePath("/Core/GetDirectoryServices", async () => {
            if (listingError !== undefined) throw listingError;
        }),
    );
    let directory: Probed<Directory>;
    try {
        directory = { ok: true, value: await client.findDirectory(settings.directory) };
    } catch (e) {
        directory = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    const someone = model.users.find((u) => u.practiceProtect.invite)?.userPrincipalName ?? model.users[0]?.userPrincipalName ?? "nobody@example.invalid";
    probes.push(
        directory.ok
            ? await probePath("/UserMgmt/DirectoryServiceQuery", () => client.findDirectoryUser(directory.value.uuid, someone))
            : { path: "/UserMgmt/DirectoryServiceQuery", outcome: "unknown", answer: "not probed: the directory source was not found" },
    );
    const listing: { roles?: Role[] } = {};
    const rolesProbe = await probePath("/Redrock/query", async () => {
        listing.roles = await client.listRoles();
    });
    probes.push(rolesProbe);
    const roles: Probed<Role[]> = listing.roles ? { ok: true, value: listing.roles } : { ok: false, error: rolesProbe.answer };
    const listed = roles.ok ? roles.value : [];
    const memberRole = listed.find((r) => named.some((n) => n.toLowerCase() === r.name.toLowerCase())) ?? listed[0];
    probes.push(memberRole ? await probePath("/Roles/GetRoleMembers", () => client.getRoleMembers(memberRole.id)) : { path: "/Roles/GetRoleMembers", outcome: "unknown", answer: "not probed: no role was listed" });
    for (const p of PORTAL_PATHS.filter((x) => x.access === "write")) probes.push(await probePath(p.path, () => client.call(p.path, EMPTY_WRITE_PROBE), { emptyWrite: true }));

    checks.push(portalPathsCheck(identity, probes, settings));
    checks.push(portalDirectoryCheck(settings.directory, directory));
    checks.push(
        roles.ok
            ? portalRolesCheck(named, roles.value)
            : { id: "portal.roles", section: SECTION, title: "Portal roles", verdict: "fail", detail: `the portal's roles could not be listed: ${roles.error}`, advice: ["The scope must allow Redrock/query (see the line on paths)."] },
    );
    checks.push(builtInRolesCheck(named));
    return checks;
}
