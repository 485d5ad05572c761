/**
 * Redrock is the platform's SQL-like query language. Values go into the script as string literals, so a
 * name with a quote (O'Brien) must be escaped by doubling it, or it breaks (or injects into) the query.
 */
export function sqlString(value: string): string {
    // Control characters have no place in a user or role name and could end the statement early.
    if (/[\u0000-\u001f]/.test(value)) throw new Error(`refusing to query for a name with control characters: ${JSON.stringify(value)}`);
    return `'${value.replace(/'/g, "''")}'`;
}

export const PORTAL_USER_COLUMNS = "ID, Username, DisplayName, Email, MobileNumber, Status, LastInvite, LastLogin, DirectoryServiceUuid";

export const portalUsersScript = (userName?: string) =>
    `Select ${PORTAL_USER_COLUMNS} from User${userName === undefined ? "" : ` WHERE Username=${sqlString(userName)}`}`;

export const rolesScript = (name?: string) => `Select ID, Name, Description from Role${name === undefined ? "" : ` WHERE Name=${sqlString(name)}`}`;
