import { randomUUID } from "node:crypto";
import { acceptLowerCase, ApiError, checkParams, isObject, missing, stringArrayParam, stringParam, type Body } from "./envelope";
import { queryResult } from "./paging";
import { BUILT_IN_ROLES, EVERYBODY } from "./seed";
import type { PortalState } from "./state";
import type { Role, RoleMember } from "./types";

function roleById(state: PortalState, id: string): Role {
    const role = state.roles.get(id);
    if (!role) throw new ApiError(`Role '${id}' does not exist.`);
    return role;
}

const isBuiltIn = (role: Role) => BUILT_IN_ROLES.some((b) => b.name.toLowerCase() === role.name.toLowerCase());

/**
 * POST /Roles/GetRoleMembers {Name: role id} (or `name`, as released SDKs send it, or ?name=role id) (H). Paging
 * arguments are ignored, as on real tenants: the whole role comes back every time, with FullCount and
 * `hasMoreRows: false`. Members whose user was deleted (orphans) are listed like any other (M).
 */
export function getRoleMembers(state: PortalState, request: Body, query: URLSearchParams) {
    const body = acceptLowerCase(request, ["Name", "Args"]);
    checkParams(body, { optional: ["Name", "Args"] });
    const id = body.Name !== undefined && body.Name !== null ? stringParam(body, "Name") : query.get("name") ?? query.get("Name");
    if (!id) throw missing("Name");
    const role = roleById(state, id);
    const rows = role.members.map((m) => ({ Guid: m.guid, Name: m.name, Type: m.type }));
    return { ...queryResult(["Guid", "Name", "Type"], rows, { pageNumber: 1, pageSize: 0, limit: 0, sortBy: "" }), hasMoreRows: false };
}

const MEMBER_LISTS = { Users: "User", Groups: "Group", Roles: "Role" } as const;

/**
 * POST /Roles/UpdateRole {Name: role id, Users: {Add: [uuid], Delete: [uuid]}} → Result null (H).
 * Adding a member already there, or deleting one that is not, is a no-op (undocumented: L). An unknown user or role in
 * Add fails the whole call and changes nothing (L); Delete takes any member's guid, an orphan's (user deleted) too.
 * Groups are not modelled: a group guid is taken as given.
 */
export function updateRole(state: PortalState, body: Body) {
    checkParams(body, { required: ["Name"], optional: ["Description", "Users", "Groups", "Roles"] });
    const role = roleById(state, stringParam(body, "Name"));
    const changes: { type: RoleMember["type"]; add: string[]; remove: string[] }[] = [];
    for (const [list, type] of Object.entries(MEMBER_LISTS) as [keyof typeof MEMBER_LISTS, RoleMember["type"]][]) {
        const delta = body[list];
        if (delta === undefined || delta === null) continue;
        if (!isObject(delta)) throw new ApiError(`Parameter '${list}' must be an object with Add and/or Delete.`);
        checkParams(delta, { optional: ["Add", "Delete"] });
        const add = delta.Add === undefined || delta.Add === null ? [] : stringArrayParam(delta, "Add");
        const remove = delta.Delete === undefined || delta.Delete === null ? [] : stringArrayParam(delta, "Delete");
        for (const guid of add) {
            if (type === "User" && !state.directoryUsers.has(guid)) throw new ApiError(`User '${guid}' was not found.`);
            if (type === "Role" && !state.roles.has(guid)) throw new ApiError(`Role '${guid}' was not found.`);
        }
        changes.push({ type, add, remove });
    }
    if (changes.some((c) => c.add.length + c.remove.length > 0) && role.name.toLowerCase() === EVERYBODY.toLowerCase()) {
        throw new ApiError(`Members of the built-in role '${role.name}' cannot be changed.`);
    }
    if (body.Description !== undefined && body.Description !== null) {
        if (typeof body.Description !== "string") throw new ApiError("Parameter 'Description' must be a string.");
        role.description = body.Description;
    }
    for (const { type, add, remove } of changes) {
        role.members = role.members.filter((m) => m.type !== type || !remove.includes(m.guid));
        for (const guid of add) {
            if (role.members.some((m) => m.type === type && m.guid === guid)) continue;
            role.members.push({ guid, name: memberName(state, type, guid), type });
        }
    }
    return null;
}

function memberName(state: PortalState, type: RoleMember["type"], guid: string): string {
    if (type === "User") return state.directoryUsers.get(guid)!.userName;
    if (type === "Role") return state.roles.get(guid)!.name;
    return guid;
}

/**
 * POST /Roles/StoreRole {Name, Description, RoleType: "PrincipalList"} → Result._RowKey (H). Not idempotent by name:
 * each call creates another role. New ids look like the platform's (a uuid with underscores; L).
 */
export function storeRole(state: PortalState, body: Body) {
    checkParams(body, { required: ["Name"], optional: ["Description", "RoleType"] });
    const name = stringParam(body, "Name");
    const description = body.Description ?? "";
    const roleType = body.RoleType ?? "PrincipalList";
    if (typeof description !== "string") throw new ApiError("Parameter 'Description' must be a string.");
    if (typeof roleType !== "string") throw new ApiError("Parameter 'RoleType' must be a string.");
    const id = randomUUID().replace(/-/g, "_");
    state.roles.set(id, { id, name, description, roleType, members: [] });
    return { _RowKey: id };
}

/** POST /SaasManage/DeleteRole {Name: role id} (H). Built-in roles cannot be deleted (L). */
export function deleteRole(state: PortalState, body: Body) {
    checkParams(body, { required: ["Name"] });
    const role = roleById(state, stringParam(body, "Name"));
    if (isBuiltIn(role)) throw new ApiError(`The built-in role '${role.name}' cannot be deleted.`);
    state.roles.delete(role.id);
    return null;
}
