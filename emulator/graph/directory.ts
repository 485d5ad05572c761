import type { Endpoint } from "./endpoint";
import { badRequest } from "./errors";
import { contextFragment, ODATA_STRING, page, pageRequest, project, selectedProperties, unquote, type EntityType } from "./odata";

const GROUP: EntityType = {
    typeName: "Microsoft.DirectoryServices.Group",
    // isAssignableToRole: "group resource type" (set only when the group is made; a role-assignable group's members hold its directory roles).
    properties: ["id", "displayName", "description", "groupTypes", "isAssignableToRole", "mail", "mailEnabled", "mailNickname", "onPremisesSyncEnabled", "securityEnabled"],
    defaults: ["id", "displayName", "description", "groupTypes", "isAssignableToRole", "mail", "mailEnabled", "mailNickname", "onPremisesSyncEnabled", "securityEnabled"],
};

const DISPLAY_NAME_EQ = new RegExp(`^\\s*displayName\\s+eq\\s+${ODATA_STRING}\\s*$`);
/** group resource type: isAssignableToRole "Supports $filter (eq, ne, not)"; eq needs no advanced query parameters. */
const ROLE_ASSIGNABLE_EQ = /^\s*isAssignableToRole\s+eq\s+(true|false)\s*$/;

/** For the read-only preflight: groups by display name, the tenant's domains and its organization object. */
export const DIRECTORY_ENDPOINTS: Endpoint[] = [
    {
        method: "GET",
        path: /^\/groups$/,
        // "List groups", application permissions.
        permissions: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
        handle(call) {
            const properties = selectedProperties(call.query, GROUP);
            const filter = call.query.get("$filter");
            let groups = call.state.groups;
            if (filter !== null) {
                const eq = DISPLAY_NAME_EQ.exec(filter);
                const roleAssignable = ROLE_ASSIGNABLE_EQ.exec(filter);
                if (!eq && !roleAssignable) throw badRequest(`Invalid filter clause: the Graph emulator answers only displayName eq '...' and isAssignableToRole eq true|false on groups; got '${filter}'.`, "BadRequest");
                // Directory string comparisons ignore case.
                if (eq) groups = groups.filter((g) => g.displayName.toLowerCase() === unquote(eq[1]).toLowerCase());
                else groups = groups.filter((g) => g.isAssignableToRole === (roleAssignable![1] === "true"));
            }
            const { value, nextLink } = page(groups, pageRequest(call.query, 100, 999), call.url);
            return {
                body: {
                    "@odata.context": `${call.graphRoot}/$metadata#${contextFragment("groups", call.query, properties)}`,
                    ...(nextLink ? { "@odata.nextLink": nextLink } : {}),
                    // onPremisesSyncEnabled: null for a group made in the cloud, which every seeded group is ("group resource type").
                    value: value.map((g) => project({ ...g, mail: g.mailEnabled ? `${g.mailNickname}@${call.state.tenant.initialDomain}` : null, onPremisesSyncEnabled: null }, properties)),
                },
            };
        },
    },
    {
        method: "GET",
        path: /^\/domains$/,
        // "List domains", application permissions.
        permissions: ["Domain.Read.All", "Directory.Read.All", "Domain.ReadWrite.All", "Directory.ReadWrite.All"],
        handle(call) {
            const { initialDomain, domains = [] } = call.state.tenant;
            const all = [initialDomain, ...domains].map((id, i) => ({
                id,
                authenticationType: "Managed",
                isDefault: domains.length > 0 ? i === 1 : true,
                isInitial: i === 0,
                isRoot: true,
                isVerified: true,
                supportedServices: i === 0 ? ["Email", "OfficeCommunicationsOnline"] : ["Email"],
            }));
            return { body: { "@odata.context": `${call.graphRoot}/$metadata#domains`, value: all } };
        },
    },
    {
        method: "GET",
        path: /^\/organization$/,
        // "List organization", application permissions.
        permissions: ["Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All"],
        handle(call) {
            const { id, displayName, initialDomain, domains = [] } = call.state.tenant;
            const verifiedDomains = [initialDomain, ...domains].map((name, i) => ({
                capabilities: i === 0 ? "Email, OfficeCommunicationsOnline" : "Email",
                isDefault: domains.length > 0 ? i === 1 : true,
                isInitial: i === 0,
                name,
                type: "Managed",
            }));
            return { body: { "@odata.context": `${call.graphRoot}/$metadata#organization`, value: [{ id, displayName, verifiedDomains }] } };
        },
    },
];
