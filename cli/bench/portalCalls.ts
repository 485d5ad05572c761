import { portalUserProvider, roleMembersProvider } from "../../components/practiceprotect";
import { Emulator, EmulatorSeed, startEmulator } from "../../emulator";

const DIRECTORY = "3f2b8c1e-7d6a-4b5c-9e8f-0a1b2c3d0002";
export const BENCH_ROLES = ["Portal Users - AU", "XPM Users", "Office Apps"];
/** A large firm's roles: the three above and two more. */
export const LARGE_TENANT_ROLES = [...BENCH_ROLES, "Portal Users - NZ", "Document Management"];

/** Calls by kind, from the emulator's log. */
export interface CallCounts {
    token: number;
    directoryLookups: number;
    invites: number;
    memberReads: number;
    roleUpdates: number;
    /** Redrock pages of the portal user listing */
    portalListings: number;
    other: number;
    total: number;
    writes: number;
}

function count(emulator: Emulator): CallCounts {
    const c: CallCounts = { token: 0, directoryLookups: 0, invites: 0, memberReads: 0, roleUpdates: 0, portalListings: 0, other: 0, total: 0, writes: 0 };
    for (const call of emulator.calls) {
        c.total++;
        if (call.path.startsWith("/oauth2/token")) c.token++;
        else if (call.path === "/UserMgmt/DirectoryServiceQuery") c.directoryLookups++;
        else if (call.path === "/UserMgmt/InviteUsers") c.invites++;
        else if (call.path === "/Roles/GetRoleMembers") c.memberReads++;
        else if (call.path === "/Roles/UpdateRole") c.roleUpdates++;
        else if (call.path === "/Redrock/query" && /from User\b/i.test(String((call.body as { Script?: string })?.Script))) c.portalListings++;
        else c.other++;
        if (/InviteUsers|RemoveUsers|UpdateRole|StoreRole|DeleteRole/.test(call.path)) c.writes++;
    }
    return c;
}

/** A new provider process: what `pulumi up` starts for each deployment. */
function newProviderProcess(emulator: Emulator) {
    delete (globalThis as { __practiceProtectUsersSession?: unknown }).__practiceProtectUsersSession;
    const values: Record<string, string> = {
        "practiceprotect:url": emulator.url,
        "practiceprotect:oauthAppId": "Bench",
        "practiceprotect:clientId": "svc@bench",
        "practiceprotect:clientSecret": "bench-only",
        // A uuid: no directory-source look-up needed.
        "practiceprotect:directory": DIRECTORY,
    };
    const config = { get: (key: string) => values[key], require: (key: string) => values[key] };
    // The environment pins where the client secret goes (model/config/pinned.ts), as CI's does.
    process.env.PRACTICEPROTECT_URL = emulator.url;
    return Promise.all([portalUserProvider.configure!({ config }), roleMembersProvider.configure!({ config })]);
}

/** What a deployment leaves in the state for one resource: the inputs the engine checked and the provider's outputs. */
export interface StoredResource {
    inputs: object;
    outputs: object;
}

export interface PortalRun {
    onboard: CallCounts;
    unchanged: CallCounts;
    refresh: CallCounts;
    /** after onboarding: one per PortalUser and one per RoleMembers */
    stored: { portalUsers: StoredResource[]; roles: StoredResource[] };
}

/**
 * Three deployments against a portal of `users` directory users and `roles` roles already managed by earlier
 * runs: onboarding every user into every role, a run with nothing to change, and a refresh of everything.
 */
export async function measurePortalCalls(users: number, roleNames: readonly string[] = BENCH_ROLES): Promise<PortalRun> {
    const upn = (i: number) => `user${i}@benchfirm.com.au`;
    const seed: EmulatorSeed = {
        oauth: { appId: "Bench", clientId: "svc@bench", clientSecret: "bench-only" },
        directories: [{ uuid: DIRECTORY, name: "AzureAD", displayName: "Azure AD - Bench", service: "AzureAD" }],
        directoryUsers: Array.from({ length: users }, (_, i) => ({ directoryUuid: DIRECTORY, uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, userName: upn(i), displayName: `User ${i}` })),
        roles: roleNames.map((name, i) => ({ id: `role-${i}`, name, members: [] })),
    };
    const emulator = await startEmulator({ seed });
    try {
        // Earlier runs created the three RoleMembers, still empty.
        await newProviderProcess(emulator);
        const roles = [];
        for (const role of roleNames) roles.push(await roleMembersProvider.create({ role, members: [], exclusive: false }));

        // Onboarding: k PortalUsers created, then each role updated with its k new members.
        await newProviderProcess(emulator);
        emulator.calls.length = 0;
        const portalUsers = [];
        const stored: PortalRun["stored"] = { portalUsers: [], roles: [] };
        for (let i = 0; i < users; i++) {
            const inputs = { userName: upn(i), sendInvite: true, removeOnDelete: true };
            const created = await portalUserProvider.create(inputs);
            portalUsers.push(created);
            stored.portalUsers.push({ inputs, outputs: created.outs! });
        }
        const members = Array.from({ length: users }, (_, i) => upn(i));
        const updatedRoles = [];
        for (const role of roles) {
            const inputs = { role: role.outs!.role, members, exclusive: false };
            const updated = await roleMembersProvider.update!(role.id, role.outs!, inputs);
            updatedRoles.push(updated);
            stored.roles.push({ inputs, outputs: updated.outs! });
        }
        const onboard = count(emulator);

        // Nothing changed: the engine asks each provider's diff, which answers without calling the portal.
        await newProviderProcess(emulator);
        emulator.calls.length = 0;
        for (const p of portalUsers) await portalUserProvider.diff!(p.id, p.outs!, { userName: p.outs!.userName, sendInvite: true, removeOnDelete: true });
        for (const [i, r] of updatedRoles.entries()) await roleMembersProvider.diff!(roles[i].id, r.outs!, { role: r.outs!.role, members, exclusive: false });
        const unchanged = count(emulator);

        // Refresh: every PortalUser and RoleMembers read.
        await newProviderProcess(emulator);
        emulator.calls.length = 0;
        for (const p of portalUsers) await portalUserProvider.read!(p.id, p.outs!);
        for (const [i, r] of updatedRoles.entries()) await roleMembersProvider.read!(roles[i].id, { ...r.outs!, roleId: roles[i].id });
        const refresh = count(emulator);
        return { onboard, unchanged, refresh, stored };
    } finally {
        await emulator.close();
    }
}

/**
 * The same work done one call per user and per user-and-role, each with its own token: a portal query and a
 * directory look-up and an invite per user; a role look-up, a member read and an update per membership.
 */
export function naiveCalls(users: number, roles: number): { onboard: number; refresh: number } {
    return { onboard: users * 4 + users * roles * 4, refresh: users * 2 + users * roles * 2 };
}
