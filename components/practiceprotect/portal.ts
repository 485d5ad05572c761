import * as pulumi from "@pulumi/pulumi";
import type { FirmModel } from "../../model";
import type { EntraPerson } from "../firmDirectory";
import { PortalUser } from "./portalUser";
import { RoleMembers } from "./roleMembers";

export interface PracticeProtectPortalArgs {
    model: FirmModel;
    /** The Entra side of each user, by users.yaml key: portal accounts wait for it. */
    users: Readonly<Record<string, EntraPerson>>;
    /**
     * Per users.yaml key, what must be done in Entra before the invite (the seed's order: user, licence, groups,
     * then Practice Protect). The Entra user itself is always waited for.
     */
    before: Readonly<Record<string, readonly pulumi.Resource[]>>;
    /** Offboarded users keep their portal account (with no roles) instead of losing it. */
    keepOffboardedAccounts: boolean;
}

/**
 * The portal half of the seed procedure: a PortalUser per invited user, after their Entra user exists, and
 * a RoleMembers per portal role in use, after its members' portal accounts exist. Offboarded users leave
 * every role and, unless kept, the portal.
 */
export class PracticeProtectPortal extends pulumi.ComponentResource {
    public readonly portalUsers: Record<string, PortalUser> = {};
    public readonly roles: Record<string, RoleMembers> = {};

    constructor(name: string, args: PracticeProtectPortalArgs, opts?: pulumi.ComponentResourceOptions) {
        super("firm:practiceprotect:Portal", name, {}, opts);

        for (const user of args.model.users) {
            const keepAccount = !user.enabled && args.keepOffboardedAccounts && user.practiceProtect.invitedWhenEnabled;
            if (!user.practiceProtect.invite && !keepAccount) continue;
            const entra = args.users[user.key];
            const portalUser = new PortalUser(
                user.key,
                { userName: entra.userPrincipalName, sendInvite: true, removeOnDelete: true, expectedMobileNumber: user.mobilePhone },
                { parent: this, dependsOn: [entra.user, ...(args.before[user.key] ?? [])] },
            );
            portalUser.mobileNumberNote.apply((note) => note && pulumi.log.warn(note, portalUser));
            this.portalUsers[user.key] = portalUser;
        }

        const membersByRole = new Map<string, string[]>();
        for (const user of args.model.users) {
            for (const role of user.practiceProtect.roles) membersByRole.set(role, [...(membersByRole.get(role) ?? []), user.key]);
        }
        for (const [role, keys] of membersByRole) {
            this.roles[role] = new RoleMembers(
                role,
                { role, members: keys.map((key) => args.users[key].userPrincipalName), exclusive: false },
                { parent: this, dependsOn: keys.map((key) => this.portalUsers[key]) },
            );
        }
        this.registerOutputs({});
    }
}
