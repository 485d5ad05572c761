import type { Client } from "@microsoft/microsoft-graph-client";
import { allPages } from "./client";

/** A role-assignable group of the tenant: its members hold the directory roles assigned to it. */
export interface RoleAssignableGroup {
    id: string;
    displayName: string;
}

/**
 * Every role-assignable group in the tenant: GET /v1.0/groups?$filter=isAssignableToRole eq true (group resource
 * type: isAssignableToRole "Supports $filter (eq, ne, not)"; "List groups": Group.Read.All or GroupMember.Read.All).
 * Sent as an advanced query (ConsistencyLevel: eventual and $count=true, "Advanced query capabilities on Microsoft
 * Entra ID objects"), which Graph answers whether or not this filter needs it. Tenants have few such groups; a member
 * of one holds its roles without any role assignment of their own, and such a group cannot have groups as members,
 * so its direct members are all there is.
 */
export async function listRoleAssignableGroups(client: Client): Promise<RoleAssignableGroup[]> {
    const first = await client
        .api("/groups")
        .version("v1.0")
        .header("ConsistencyLevel", "eventual")
        .count(true)
        .filter("isAssignableToRole eq true")
        .select(["id", "displayName"])
        .top(999)
        .get();
    return allPages<RoleAssignableGroup>(client, first);
}
