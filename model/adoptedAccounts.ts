import { describeRoles, type HeldRole } from "./directoryRoles";
import type { ResolvedUser } from "./resolve";
import { yamlScalar } from "./yamlScalar";

/** An existing account as read from Entra before it is adopted (Graph's user resource, the fields the checks use). */
export interface ReadAccount {
    id: string;
    userPrincipalName: string;
    displayName: string | null;
    accountEnabled: boolean | null;
    onPremisesSyncEnabled: boolean | null;
}

/** What `pulumi preview` and `pulumi up` found for one adopted user: errors refuse the run, warnings do not. */
export interface AdoptionVerdict {
    errors: string[];
    warnings: string[];
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Whether the account an entry adopts by objectId is the one users.yaml says, from what was read: it must exist;
 * its current sign-in name must be users.yaml's userPrincipalName or adoption.currentUserPrincipalName (ignoring
 * case, as Entra does); every privileged role it holds must be listed under adoption.privilegedRoles, unless users.yaml
 * itself gives it (adminRoles, or a role-assignable group it puts them in), so a later run passes too. Adopting an
 * account hands it to whoever can edit users.yaml (its name, phone, groups and roles), so a wrong objectId, or one
 * of an administrator's account, must be acknowledged in the reviewed file. Each error names the place and the
 * exact lines that acknowledge what was read.
 */
export function checkAdoptedAccount(user: ResolvedUser, account: ReadAccount | undefined, roles: readonly HeldRole[]): AdoptionVerdict {
    const at = user.objectIdAt ?? "users.yaml";
    const subject = `users.${user.key} adopts objectId ${user.objectId}`;
    if (!account) {
        return {
            errors: [`${at}: error: ${subject}, but Entra ID has no user with that id; correct it (Entra admin center > Users > the person > Object ID), or remove objectId to create a new account`],
            warnings: [],
        };
    }
    const acknowledged = user.adoption ?? { privilegedRoles: [] };
    const reasons: string[] = [];
    const warnings: string[] = [];
    const current = account.userPrincipalName;
    let currentUserPrincipalName = acknowledged.currentUserPrincipalName;
    if (!same(current, user.userPrincipalName) && !(acknowledged.currentUserPrincipalName && same(current, acknowledged.currentUserPrincipalName))) {
        const not = acknowledged.currentUserPrincipalName ? `neither ${user.userPrincipalName} nor adoption.currentUserPrincipalName ${acknowledged.currentUserPrincipalName}` : `not ${user.userPrincipalName}`;
        reasons.push(`its sign-in name in Entra is ${current}, ${not} (pulumi up would rename it)`);
        currentUserPrincipalName = current;
    }
    const listed = (role: HeldRole) => acknowledged.privilegedRoles.some((r) => same(r, role.name) || same(r, role.roleDefinitionId));
    // What users.yaml itself gives the person is reviewed where it is written (the review's Needs attention), and
    // once deployed the account holds it: a tenant-wide role under adminRoles, or a role through an existing group
    // users.yaml puts them in (which must be acknowledged with grantsRoles to be used at all).
    const grantedHere = (role: HeldRole) =>
        role.throughGroup !== undefined
            ? user.groups.some((g) => same(g, role.throughGroup!))
            : role.directoryScopeId === "/" && [...user.adminRoles, ...user.suspendedAdminRoles].some((r) => same(r, role.name));
    const unlisted = roles.filter((r) => r.privileged && !listed(r) && !grantedHere(r));
    if (unlisted.length) reasons.push(`it holds ${describeRoles(unlisted)}, not listed under adoption.privilegedRoles`);
    for (const name of acknowledged.privilegedRoles) {
        if (!roles.some((r) => r.privileged && (same(name, r.name) || same(name, r.roleDefinitionId)))) {
            warnings.push(`${at}: warning: users.${user.key}: adoption.privilegedRoles lists ${name}, which the account (objectId ${user.objectId}) does not hold; remove it so the acknowledgement says what is true`);
        }
    }
    if (reasons.length === 0) return { errors: [], warnings };
    const privilegedRoles = [...acknowledged.privilegedRoles, ...new Set(unlisted.map((r) => r.name))];
    const fields = [...(currentUserPrincipalName ? [`currentUserPrincipalName: ${yamlScalar(currentUserPrincipalName)}`] : []), ...(privilegedRoles.length ? [`privilegedRoles: [${privilegedRoles.map(yamlScalar).join(", ")}]`] : [])];
    return {
        errors: [
            `${at}: error: ${subject}, which is not what users.yaml says: ${reasons.join("; ")}. ` +
                `If this is the right account and the reviewer accepts it, write under users.${user.key}: adoption: { ${fields.join(", ")} }`,
        ],
        warnings,
    };
}

/**
 * One line for the preview output: what was read for an adopted account. Names from Entra are quoted as JSON, so a
 * display name cannot start a new line of the output or pass for another message.
 */
export function describeAdoptedAccount(user: ResolvedUser, account: ReadAccount | undefined, roles: readonly HeldRole[]): string {
    const head = `adopted account users.${user.key} (objectId ${user.objectId})`;
    if (!account) return `${head}: not found in Entra ID`;
    const state = account.accountEnabled === false ? "disabled" : account.accountEnabled === true ? "enabled" : "enabled state unknown";
    const synced = account.onPremisesSyncEnabled ? ", synced from on-premises Active Directory" : "";
    return `${head}: in Entra ${JSON.stringify(account.userPrincipalName)}, display name ${JSON.stringify(account.displayName ?? "")}, ${state}${synced}; holds ${describeRoles(roles)}`;
}
