import type * as pulumi from "@pulumi/pulumi";
import { providerSession } from "./session";
import { GONE, withoutUndefined } from "../dynamic/wire";

export interface PortalUserInputs {
    userName: string;
    sendInvite: boolean;
    removeOnDelete: boolean;
    expectedMobileNumber?: string;
}

export interface PortalUserOutputs extends PortalUserInputs {
    uuid: string;
    status: string;
    directoryServiceUuid: string;
    /** The portal's view of the mobile number ("" until read). */
    mobileNumber: string;
    /** Empty when the portal's mobile number matches Entra's; otherwise what is wrong. */
    mobileNumberNote: string;
}

// An array, not a Set: the closure serializer cannot carry a Set into the provider process.
const IN_PORTAL = ["invited", "active"];

/**
 * Invites an Entra user to the Practice Protect portal (seed: "Invite User to Practice Protect"). The id is
 * the user's uuid. Settings come from `configure` or the environment at run time, never from inputs.
 */
export const portalUserImplementation: pulumi.dynamic.ResourceProvider<PortalUserInputs, PortalUserOutputs> = {
    async configure(req) {
        providerSession().configure(req.config);
    },

    async check(_olds, news) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (typeof news.userName !== "string" || !/^[^@\s]+@[^@\s]+$/.test(news.userName)) {
            failures.push({ property: "userName", reason: `userName must be a user principal name such as jane@firm.com.au, got ${JSON.stringify(news.userName)}` });
        }
        for (const flag of ["sendInvite", "removeOnDelete"] as const) {
            if (news[flag] !== undefined && typeof news[flag] !== "boolean") failures.push({ property: flag, reason: `${flag} must be true or false` });
        }
        return { inputs: { ...news, sendInvite: news.sendInvite ?? true, removeOnDelete: news.removeOnDelete ?? true }, failures };
    },

    async diff(_id, olds, news) {
        const changed = [
            olds.userName.toLowerCase() !== news.userName.toLowerCase() ? "userName" : undefined,
            olds.sendInvite !== news.sendInvite ? "sendInvite" : undefined,
            olds.removeOnDelete !== news.removeOnDelete ? "removeOnDelete" : undefined,
            (olds.expectedMobileNumber ?? "") !== (news.expectedMobileNumber ?? "") ? "expectedMobileNumber" : undefined,
        ].filter((p): p is string => p !== undefined);
        // Always answer: without `changes` the engine would diff the inputs itself.
        return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
    },

    async create(inputs) {
        const session = providerSession();
        const { client, settings } = session.client();
        const directoryServiceUuid = await session.directoryUuid();

        // A user just created in Entra takes a while to reach the directory source: poll with backoff.
        const deadline = Date.now() + settings.lookupTimeoutSeconds * 1000;
        let found = await client.findDirectoryUser(directoryServiceUuid, inputs.userName);
        for (let delay = 2000; !found && Date.now() + delay <= deadline; delay = Math.min(delay * 2, 30_000)) {
            await new Promise((resolve) => setTimeout(resolve, delay));
            found = await client.findDirectoryUser(directoryServiceUuid, inputs.userName);
        }
        if (!found) {
            throw new Error(
                `${inputs.userName} was not found in the Practice Protect directory source (${settings.directory}) within ${settings.lookupTimeoutSeconds} s; ` +
                    `check the user exists in Entra with that UPN and that the directory source is the tenant's Azure AD (practiceprotect:directory)`,
            );
        }

        // Already in the portal (invited by hand, or by an earlier run that lost its state): adopt, do not re-invite.
        const alreadyInPortal = IN_PORTAL.includes((found.status ?? "").toLowerCase());
        if (!alreadyInPortal) {
            await client.inviteUsers([{ uuid: found.uuid, userName: found.userName }], { email: inputs.sendInvite });
            session.portalChanged();
        }
        session.knownUsers.set(inputs.userName.toLowerCase(), found.uuid);

        const outs: PortalUserOutputs = {
            ...inputs,
            uuid: found.uuid,
            status: alreadyInPortal ? (found.status ?? "Invited") : "Invited",
            directoryServiceUuid: found.directoryServiceUuid,
            mobileNumber: "",
            mobileNumberNote: "",
        };
        return { id: found.uuid, outs: withoutUndefined(outs) };
    },

    async read(id, props) {
        const users = await providerSession().portalUsers();
        const user = [...users.values()].find((u) => u.uuid === id);
        // Removed in the portal: report it gone, so the next `pulumi up` invites the user again.
        if (!user || !props) return GONE;
        const mobileNumber = user.mobileNumber ?? "";
        return {
            id,
            props: withoutUndefined({
                ...props,
                status: user.status ?? props.status,
                directoryServiceUuid: user.directoryServiceUuid ?? props.directoryServiceUuid,
                mobileNumber,
                mobileNumberNote: mobileNumberNote(props.userName, props.expectedMobileNumber, mobileNumber),
            }),
        };
    },

    async update(id, olds, news) {
        if (olds.userName.toLowerCase() !== news.userName.toLowerCase()) {
            // A UPN change in Entra renames the same directory user: check it is still this user.
            const session = providerSession();
            const { client } = session.client();
            const found = await client.findDirectoryUser(await session.directoryUuid(), news.userName);
            if (found?.uuid !== id) {
                throw new Error(
                    `${news.userName} is not the Practice Protect user ${olds.userName} (${id})${found ? ` but ${found.uuid}` : " (not found in the directory source yet)"}; ` +
                        `if this is a different person, give them their own users.yaml entry`,
                );
            }
            session.knownUsers.set(news.userName.toLowerCase(), id);
        }
        // Every output, not only the changed ones: what update returns replaces the stored outputs.
        const outs = { ...olds, ...news, mobileNumberNote: olds.mobileNumber ? mobileNumberNote(news.userName, news.expectedMobileNumber, olds.mobileNumber) : "" };
        if (news.expectedMobileNumber === undefined) delete outs.expectedMobileNumber;
        return { outs: withoutUndefined(outs) };
    },

    async delete(id, props) {
        if (!props.removeOnDelete) return;
        const session = providerSession();
        const { client } = session.client();
        try {
            await client.removeUsers([id]);
        } catch (e) {
            // Already removed in the portal (reported as a per-item failure) is what we wanted.
            if (await client.findPortalUser(props.userName)) throw e;
        }
        session.knownUsers.delete(props.userName.toLowerCase());
        session.portalChanged();
    },
};

/** The seed's step 9: the portal takes the mobile number from Entra; say when it is missing or different. */
export function mobileNumberNote(userName: string, expected: string | undefined, portal: string): string {
    if (!expected) return "";
    if (!portal) return `${userName}: the portal shows no mobile number yet (Entra has ${expected}); SMS codes cannot reach the user until it syncs from Entra`;
    const digits = (n: string) => n.replace(/\D/g, "").replace(/^0+/, "");
    const [a, b] = [digits(expected), digits(portal)];
    return a.endsWith(b) || b.endsWith(a) ? "" : `${userName}: the portal shows mobile number ${portal} but Entra has ${expected}; it is updated from Entra, so check the directory sync`;
}
