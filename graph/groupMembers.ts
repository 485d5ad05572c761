import type { Client } from "@microsoft/microsoft-graph-client";
import { allPages } from "./client";

/**
 * A group's direct members through Microsoft Graph v1.0 ("List group members": GroupMember.Read.All; "Add
 * members" and "Remove member": GroupMember.ReadWrite.All). Object ids are returned lower-cased.
 */
export async function listGroupMemberIds(client: Client, groupId: string): Promise<string[]> {
    const first = await client.api(`/groups/${encodeURIComponent(groupId)}/members`).version("v1.0").select(["id"]).top(999).get();
    return (await allPages<{ id: string }>(client, first)).map((m) => m.id.toLowerCase());
}

/**
 * Adds a directory object to the group. Graph answers 400 when it already is a member ("One or more added object
 * references already exist for the following modified properties: 'members'.", as reported in
 * KelvinTegelaar/CIPP#1607), and 400 Request_BadRequest "Cannot Update a mail-enabled security groups and or
 * distribution list." for groups Exchange manages (microsoftgraph/microsoft-graph-docs#14827).
 */
export async function addGroupMember(client: Client, groupId: string, memberId: string): Promise<void> {
    await client
        .api(`/groups/${encodeURIComponent(groupId)}/members/$ref`)
        .version("v1.0")
        .post({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${encodeURIComponent(memberId)}` });
}

/** Removes a member from the group; Graph answers 404 when it is not one. */
export async function removeGroupMember(client: Client, groupId: string, memberId: string): Promise<void> {
    await client.api(`/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(memberId)}/$ref`).version("v1.0").delete();
}

/**
 * Is the group itself gone (deleted in Entra)? Graph's 404 Request_ResourceNotFound does not say which object is
 * missing: for a deleted group it names the group ("Resource '<group id>' does not exist or one of its queried
 * reference-property objects are not present.", microsoftgraph/microsoft-graph-docs#9191), and for a member that
 * is not there it names the group too (microsoftgraph/microsoft-graph-docs#18714). So ask about the group alone:
 * its member list answers 404 only when the group is not there.
 */
export async function groupIsGone(client: Client, groupId: string): Promise<boolean> {
    try {
        await client.api(`/groups/${encodeURIComponent(groupId)}/members`).version("v1.0").select(["id"]).top(1).get();
        return false;
    } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return true;
        throw e;
    }
}

/** Graph's answer to adding someone who is already a member. */
export const isAlreadyMember = (e: { statusCode?: number; message: string }) => e.statusCode === 400 && /added object references already exist/i.test(e.message);
