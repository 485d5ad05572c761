import type { Endpoint } from "./endpoint";
import { badRequest } from "./errors";
import { contextFragment, ODATA_STRING, page, pageRequest, project, selectedProperties, unquote, type EntityType } from "./odata";
import type { RoleAssignment } from "./state";

const ROLE_ASSIGNMENT: EntityType = {
    typeName: "microsoft.graph.unifiedRoleAssignment",
    properties: ["id", "principalId", "roleDefinitionId", "directoryScopeId", "appScopeId", "resourceScope", "condition"],
    defaults: ["id", "principalId", "resourceScope", "directoryScopeId", "roleDefinitionId"],
};

const IN_LIST = new RegExp(`^\\s*(roleDefinitionId|principalId)\\s+in\\s*\\(\\s*(${ODATA_STRING}(?:\\s*,\\s*${ODATA_STRING})*)\\s*\\)\\s*$`);
const EQ = new RegExp(`^\\s*(roleDefinitionId|principalId)\\s+eq\\s+${ODATA_STRING}\\s*$`);

/**
 * The filters this emulator understands, those the program sends: `roleDefinitionId in ('a','b')`,
 * `principalId in ('x','y')`, `roleDefinitionId eq 'a'` and `principalId eq 'x'` (unifiedRoleAssignment resource
 * type: principalId and roleDefinitionId "Support $filter (eq, in)"). Graph supports
 * more; anything else here is a 400 so that a new query is noticed, not silently answered wrong.
 */
function matcher(filter: string | null): (a: RoleAssignment) => boolean {
    if (filter === null) return () => true;
    const inList = IN_LIST.exec(filter);
    if (inList) {
        const [, property, list] = inList;
        const ids = [...list.matchAll(new RegExp(ODATA_STRING, "g"))].map((m) => unquote(m[1]).toLowerCase());
        return (a) => ids.includes((property === "principalId" ? a.principalId : a.roleDefinitionId).toLowerCase());
    }
    const eq = EQ.exec(filter);
    if (eq) {
        const [, property, literal] = eq;
        const value = unquote(literal).toLowerCase();
        return (a) => (property === "principalId" ? a.principalId : a.roleDefinitionId).toLowerCase() === value;
    }
    throw badRequest(`Invalid filter clause: the Graph emulator answers only roleDefinitionId or principalId in (...) or eq '...'; got '${filter}'.`, "BadRequest");
}

export const ROLE_ASSIGNMENT_ENDPOINTS: Endpoint[] = [
    {
        method: "GET",
        path: /^\/roleManagement\/directory\/roleAssignments$/,
        // "List unifiedRoleAssignments", directory provider, application permissions.
        permissions: ["RoleManagement.Read.Directory", "RoleManagement.Read.All", "Directory.Read.All", "RoleManagement.ReadWrite.Directory", "Directory.ReadWrite.All"],
        handle(call) {
            const properties = selectedProperties(call.query, ROLE_ASSIGNMENT);
            const matches = matcher(call.query.get("$filter"));
            const request = pageRequest(call.query, 100, 999);
            const all = call.state.roleAssignments.filter(matches).map((a) => ({ ...a, resourceScope: a.directoryScopeId, appScopeId: null, condition: null }));
            const { value, nextLink } = page(all, request, call.url);
            return {
                body: {
                    "@odata.context": `${call.graphRoot}/$metadata#${contextFragment("roleManagement/directory/roleAssignments", call.query, properties)}`,
                    ...(nextLink ? { "@odata.nextLink": nextLink } : {}),
                    value: value.map((a) => project(a, properties)),
                },
            };
        },
    },
];
