import { BUILT_IN_ROLES } from "./seed";
import type { DirectoryUser, EmulatorSeed, EmulatorState, Invite, PlatformQuirks, PortalStatus, Role, SeedDirectoryUser, SeedRole } from "./types";

/** The tenant's data: directory sources and their users, who is in the portal, roles and their members, invites sent. */
export class PortalState implements EmulatorState {
    readonly directories: EmulatorSeed["directories"];
    readonly directoryUsers = new Map<string, DirectoryUser>();
    readonly roles = new Map<string, Role>();
    readonly invites: Invite[] = [];

    constructor(
        seed: EmulatorSeed,
        readonly quirks: PlatformQuirks = {},
        now = Date.now(),
    ) {
        this.directories = seed.directories.map((d) => ({ ...d }));
        for (const u of seed.directoryUsers) this.addDirectoryUser(u, now);
        const seeded = new Set(seed.roles.map((r) => r.name.toLowerCase()));
        for (const r of [...BUILT_IN_ROLES.filter((b) => !seeded.has(b.name.toLowerCase())), ...seed.roles]) this.roles.set(r.id, toRole(r));
    }

    addDirectoryUser(user: SeedDirectoryUser, now = Date.now()): void {
        if (this.directoryUsers.has(user.uuid)) throw new Error(`directory user '${user.uuid}' already exists`);
        if (!this.directories.some((d) => d.uuid === user.directoryUuid)) throw new Error(`unknown directory '${user.directoryUuid}' for '${user.userName}'`);
        const status: PortalStatus = user.status ?? "Not Invited";
        this.directoryUsers.set(user.uuid, {
            ...user,
            hiddenForQueries: user.hiddenForQueries ?? 0,
            status,
            enabled: user.enabled ?? true,
            lastInvite: status === "Not Invited" ? undefined : now,
            lastLogin: status === "Active" ? now : undefined,
        });
    }

    removeFromPortal(uuid: string): void {
        const user = this.user(uuid);
        user.status = "Not Invited";
        user.lastInvite = undefined;
        user.lastLogin = undefined;
    }

    activate(uuid: string): void {
        const user = this.user(uuid);
        user.status = "Active";
        user.lastLogin = Date.now();
    }

    /** Deleted at the source: gone from the directory and the portal; role memberships stay behind as orphans (M). */
    deleteDirectoryUser(uuid: string): void {
        this.user(uuid);
        this.directoryUsers.delete(uuid);
    }

    /** Users in the portal: the Redrock `User` table. */
    portalUsers(): DirectoryUser[] {
        return [...this.directoryUsers.values()].filter((u) => u.status !== "Not Invited");
    }

    /** Sends an invite: the user joins the portal (or stays Active) and LastInvite moves. */
    invite(uuid: string, email: boolean, sms: boolean, at = Date.now()): void {
        const user = this.user(uuid);
        if (user.status === "Not Invited") user.status = "Invited";
        user.lastInvite = at;
        this.invites.push({ uuid, userName: user.userName, email, sms, at });
    }

    /** Roles whose name equals `name`, case-insensitively (names are not unique: StoreRole does not check). */
    rolesNamed(name: string): Role[] {
        const wanted = name.toLowerCase();
        return [...this.roles.values()].filter((r) => r.name.toLowerCase() === wanted);
    }

    private user(uuid: string): DirectoryUser {
        const user = this.directoryUsers.get(uuid);
        if (!user) throw new Error(`unknown directory user '${uuid}'`);
        return user;
    }
}

const toRole = (r: SeedRole): Role => ({
    id: r.id,
    name: r.name,
    description: r.description ?? "",
    roleType: "PrincipalList",
    members: r.members.map((m) => ({ ...m })),
});
