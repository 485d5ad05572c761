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

/** Graph's answer to adding someone who is already a member. */
export const isAlreadyMember = (e: { statusCode?: number; message: string }) => e.statusCode === 400 && /added object references already exist/i.test(e.message);
