import type { Client } from "@microsoft/microsoft-graph-client";
import { allPages } from "./client";

/** What the program reads of an existing account before adopting it (Graph's user resource). */
export interface DirectoryUser {
    id: string;
    userPrincipalName: string;
    displayName: string | null;
    accountEnabled: boolean | null;
    /** true for an account synced from on-premises Active Directory; null for one made in the cloud */
    onPremisesSyncEnabled: boolean | null;
}

/**
 * Graph takes at most 15 values in one `in` clause by default (Microsoft Graph known issues, "Some limitations
 * apply to query parameters": "When using the 'in' operator, the request is limited to 15 expressions in the
 * filter clause by default"), so longer lists are asked for in chunks of 15.
 */
export const IN_CLAUSE_LIMIT = 15;

export function chunks<T>(items: readonly T[], size = IN_CLAUSE_LIMIT): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
}

export const odataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

const USER_FIELDS = ["id", "userPrincipalName", "displayName", "accountEnabled", "onPremisesSyncEnabled"];

/**
 * The users with these object ids, one request per 15 ids: GET /v1.0/users?$filter=id in ('a','b')&$select=...
 * (user resource type: id "Supports $filter (eq, ne, not, in)"; accountEnabled and onPremisesSyncEnabled are
 * returned only on $select; "List users" needs User.Read.All). An id Graph does not know is simply absent.
 */
export async function readUsersById(client: Client, ids: readonly string[]): Promise<DirectoryUser[]> {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    const pages = await Promise.all(
        chunks(unique).map(async (chunk) => {
            const first = await client.api("/users").version("v1.0").filter(`id in (${chunk.map(odataString).join(",")})`).select(USER_FIELDS).get();
            return allPages<DirectoryUser>(client, first);
        }),
    );
    return pages.flat();
}
