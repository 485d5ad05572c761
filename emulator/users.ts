import { ApiError, booleanParam, checkParams, isObject, stringArrayParam, stringParam, type Body } from "./envelope";
import { EVERYBODY } from "./seed";
import type { PortalState } from "./state";
import type { Role } from "./types";

/**
 * Per-item failures of a call that succeeds overall: Result.Exceptions.User (M). The items' shape is undocumented (L):
 * here each is {ID, Message}, so a client that only checks "is it empty" and one that reports the ids both work.
 */
export interface ItemException {
    ID: string;
    Message: string;
}
export const withExceptions = (user: ItemException[]) => ({ Exceptions: { User: user } });

/**
 * POST /UserMgmt/InviteUsers (H request, L response). Each known User entity is invited: it joins the portal as
 * "Invited" (an Active user stays Active), LastInvite moves and the invite is recorded; re-inviting resends.
 * The platform documents no Result (callers check only success): this answers success:true with unknown Guids and
 * non-User entities in Result.Exceptions.User, like RemoveUsers. An unknown or ambiguous Role fails the whole call first.
 */
export function inviteUsers(state: PortalState, body: Body) {
    checkParams(body, { required: ["Entities"], optional: ["EmailInvite", "SmsInvite", "GroupInvite", "Role"] });
    if (!Array.isArray(body.Entities)) throw new ApiError("Parameter 'Entities' must be an array.");
    // The portal's Invite dialog sends email by default; what an absent EmailInvite means is undocumented (L).
    const email = booleanParam(body, "EmailInvite", true);
    const sms = booleanParam(body, "SmsInvite", false);
    booleanParam(body, "GroupInvite", false);
    const role = body.Role === undefined || body.Role === null ? undefined : roleForInvite(state, stringParam(body, "Role"));

    const entities = body.Entities.map((e, i) => {
        if (!isObject(e)) throw new ApiError(`Entities[${i}] must be an object.`);
        checkParams(e, { required: ["Type", "Guid"], optional: ["Name"] });
        return { type: stringParam(e, "Type"), guid: stringParam(e, "Guid") };
    });
    const exceptions: ItemException[] = [];
    const at = Date.now();
    for (const { type, guid } of entities) {
        if (type !== "User") exceptions.push({ ID: guid, Message: `Only entities of Type 'User' can be invited here, got '${type}'.` });
        else if (!state.directoryUsers.has(guid)) exceptions.push({ ID: guid, Message: `User '${guid}' was not found in any directory service.` });
        else {
            state.invite(guid, email, sms, at);
            if (role && !role.members.some((m) => m.guid === guid)) role.members.push({ guid, name: state.directoryUsers.get(guid)!.userName, type: "User" });
        }
    }
    return withExceptions(exceptions);
}

function roleForInvite(state: PortalState, name: string): Role {
    const roles = state.rolesNamed(name);
    if (roles.length === 0) throw new ApiError(`Role '${name}' not found.`);
    if (roles.length > 1) throw new ApiError(`Role name '${name}' is ambiguous: ${roles.length} roles have it.`);
    if (roles[0].name.toLowerCase() === EVERYBODY.toLowerCase()) throw new ApiError(`Members of the built-in role '${roles[0].name}' cannot be changed.`);
    return roles[0];
}

/**
 * POST /UserMgmt/RemoveUsers (M): removes portal accounts (status back to "Not Invited"); the directory user stays.
 * Uuids that are not portal users are reported in Result.Exceptions.User while success stays true.
 * Role memberships are left alone: the reference says only the portal account goes (L).
 */
export function removeUsers(state: PortalState, body: Body) {
    checkParams(body, { required: ["Users"] });
    const exceptions: ItemException[] = [];
    for (const uuid of stringArrayParam(body, "Users")) {
        const user = state.directoryUsers.get(uuid);
        if (!user) exceptions.push({ ID: uuid, Message: `User '${uuid}' not found.` });
        else if (user.status === "Not Invited") exceptions.push({ ID: uuid, Message: `User '${user.userName}' is not in the portal.` });
        else state.removeFromPortal(uuid);
    }
    return withExceptions(exceptions);
}
