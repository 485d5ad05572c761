import type { Endpoint, GraphCall } from "./endpoint";
import { badRequest, resourceNotFound } from "./errors";
import { contextFragment, page, pageRequest } from "./odata";

/**
 * A group's direct members, as Microsoft Graph v1.0 answers for them ("List group members", "Add members",
 * "Remove member"): least privileged application permission GroupMember.Read.All to list and
 * GroupMember.ReadWrite.All to change (Group.* and Directory.* include them).
 */
const READ = ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"];
const WRITE = ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"];

/** "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}" (Graph accepts any host root of its own; so does this). */
const DIRECTORY_OBJECT_REF = /\/v1\.0\/(?:directoryObjects|users)\/([^/?#]+)$/i;

/**
 * The refusal Graph gives for a group whose membership it does not manage: mail-enabled security groups and
 * distribution lists are Exchange's (400 Request_BadRequest "Cannot Update a mail-enabled security groups and or
 * distribution list.", microsoftgraph/microsoft-graph-docs#14827; the already-a-member wording below as reported in
 * KelvinTegelaar/CIPP#1607). Only users are added here: the program adds nothing else, so another kind of object
 * is answered as unknown (stricter than Graph, which also takes groups and devices into security groups).
 */
function writableGroup(call: GraphCall) {
    const group = call.state.group(call.params[0]);
    if (group.mailEnabled && !group.groupTypes.includes("Unified")) throw badRequest("Cannot Update a mail-enabled security groups and or distribution list.");
    return group;
}

export const GROUP_MEMBER_ENDPOINTS: Endpoint[] = [
    {
        method: "GET",
        path: /^\/groups\/([^/]+)\/members$/,
        permissions: READ,
        handle(call) {
            const members = call.state
                .listedMembers(call.params[0])
                .map((id) => call.state.users.get(id))
                .filter((u) => u !== undefined && u.hiddenForRequests === 0);
            // Graph's default page for directory objects is 100, $top up to 999.
            const { value, nextLink } = page(members, pageRequest(call.query, 100, 999), call.url);
            return {
                body: {
                    "@odata.context": `${call.graphRoot}/$metadata#${contextFragment("directoryObjects", call.query, ["id"])}`,
                    ...(nextLink ? { "@odata.nextLink": nextLink } : {}),
                    value: value.map((u) => ({ "@odata.type": "#microsoft.graph.user", id: u!.id })),
                },
            };
        },
    },
    {
        method: "POST",
        path: /^\/groups\/([^/]+)\/members\/\$ref$/,
        permissions: WRITE,
        handle(call) {
            const group = writableGroup(call);
            const ref = (call.body as { "@odata.id"?: unknown } | undefined)?.["@odata.id"];
            const id = typeof ref === "string" ? DIRECTORY_OBJECT_REF.exec(ref)?.[1] : undefined;
            if (id === undefined) throw badRequest("Invalid object identifier '@odata.id'.");
            // A user Graph does not show yet (just created) is "not present", as any unknown id.
            const user = call.state.visibleUser(decodeURIComponent(id));
            if (group.members.includes(user.id.toLowerCase())) throw badRequest("One or more added object references already exist for the following modified properties: 'members'.");
            group.members.push(user.id.toLowerCase());
            return { status: 204, body: undefined };
        },
    },
    {
        method: "DELETE",
        path: /^\/groups\/([^/]+)\/members\/([^/]+)\/\$ref$/,
        permissions: WRITE,
        handle(call) {
            const group = writableGroup(call);
            const at = group.members.indexOf(call.params[1].toLowerCase());
            // Graph names the group, not the member, when the member is not there (microsoftgraph/microsoft-graph-docs#18714).
            if (at < 0) throw resourceNotFound(call.params[0]);
            group.members.splice(at, 1);
            return { status: 204, body: undefined };
        },
    },
];
