import { ADMIN_ROLE_NAMES, ADMIN_ROLE_TEMPLATE_IDS, type AdminRoleName } from "../model";
import { ROLE_FOR_SENSITIVE_UPDATES } from "../model/sensitiveUpdates";
import type { Check } from "./check";

/**
 * Which directory roles may make sensitive updates (accountEnabled, mobilePhone, userPrincipalName, ...) to a user
 * holding which admin roles: Microsoft's table "Who can perform sensitive actions" (Privileged roles and permissions
 * in Microsoft Entra ID, MicrosoftDocs/entra-docs role-based-access-control/privileged-roles-permissions.md), for
 * roles assigned tenant-wide. Rows it lists that users.yaml cannot assign (Directory Readers, Guest Inviter, Message
 * Center Reader, ...) are left out; "all other built-in roles" are open only to the two roles that can update anyone.
 */
const CAN_UPDATE: Partial<Record<AdminRoleName, readonly AdminRoleName[] | "any">> = {
    "Global Administrator": "any",
    "Privileged Authentication Administrator": "any",
    "User Administrator": ["Groups Administrator", "Helpdesk Administrator", "Password Administrator", "Reports Reader", "User Administrator"],
    "Authentication Administrator": ["Authentication Administrator", "Password Administrator", "Reports Reader"],
};

/**
 * Whether a caller holding `callerRoles` may make sensitive updates to a user holding `targetRoles`. A member of a
 * role-assignable group is a row of its own in Microsoft's table, open only to the two roles that can update anyone.
 */
export function canMakeSensitiveUpdates(callerRoles: readonly AdminRoleName[], targetRoles: readonly AdminRoleName[], inRoleAssignableGroup = false): boolean {
    return callerRoles.some((caller) => {
        const allowed = CAN_UPDATE[caller];
        return allowed === "any" || (allowed !== undefined && !inRoleAssignableGroup && targetRoles.every((t) => allowed.includes(t)));
    });
}

const canUpdate = (held: readonly AdminRoleName[], u: PrivilegedUser) => canMakeSensitiveUpdates(held, u.roles, (u.roleAssignableGroups ?? []).length > 0);

/** The least privileged single role that covers every one of these users (User Administrator when it is enough). */
function roleToAssign(users: readonly PrivilegedUser[]): AdminRoleName {
    return users.every((u) => canUpdate(["User Administrator"], u)) ? "User Administrator" : ROLE_FOR_SENSITIVE_UPDATES;
}

export interface PrivilegedUser {
    /** The users.yaml key, or "the practiceprotect service account". */
    key: string;
    roles: AdminRoleName[];
    /** Role-assignable groups users.yaml puts them in (existingGroups.<name>.grantsRoles). */
    roleAssignableGroups?: string[];
}

/** Built-in role template ids (as roleDefinitionId) to the names users.yaml uses; others are not ours to judge. */
export function roleNamesOf(roleDefinitionIds: readonly string[]): AdminRoleName[] {
    const byId = new Map(ADMIN_ROLE_NAMES.map((n) => [ADMIN_ROLE_TEMPLATE_IDS[n].toLowerCase(), n]));
    return [...new Set(roleDefinitionIds.map((id) => byId.get(id.toLowerCase())).filter((n): n is AdminRoleName => n !== undefined))];
}

/**
 * Whether the deploying identity's own directory roles (tenant-wide, assigned to its service principal) let it make
 * the sensitive updates `pulumi up` makes to privileged users: the azuread provider sends accountEnabled, mobilePhone,
 * otherMails and userPrincipalName in every user update (model/sensitiveUpdates.ts), so any change to such a user is one.
 */
export function directoryRolesCheck(held: readonly AdminRoleName[], privileged: readonly PrivilegedUser[], app: { clientId?: string }): Check {
    const base = { id: "entra.directoryRoles", section: "Entra ID" as const, title: "Directory roles for sensitive updates" };
    const holds = held.length ? `holds ${[...held].sort().join(", ")}` : "holds no directory role";
    if (privileged.length === 0) return { ...base, verdict: "pass", detail: `no one in users.yaml has an admin role, so no update is sensitive (the identity ${holds})` };
    const failing = privileged.filter((u) => !canUpdate(held, u));
    if (failing.length === 0) return { ...base, verdict: "pass", detail: `the identity ${holds}: enough to update ${privileged.map((u) => u.key).join(", ")}` };
    const role = roleToAssign(privileged);
    return {
        ...base,
        verdict: "fail",
        detail: `the identity ${holds}; updates to these users would be refused (403): ${failing.map((u) => `${u.key} (${[...u.roles, ...(u.roleAssignableGroups ?? []).map((g) => `member of the role-assignable group ${g}`)].join(", ")})`).join("; ")}`,
        advice: [
            `Assign the directory role ${role} to the deploying app itself: Microsoft Entra admin center > Roles & admins > ${role} > Add assignments > select ${app.clientId ? `the app ${app.clientId}` : "the app"} (an app-only identity needs the role on its own service principal).`,
            role === ROLE_FOR_SENSITIVE_UPDATES
                ? "It is the least privileged role that can update every user, Global Administrators included (docs/ci-and-permissions.md, \"Sensitive updates\")."
                : "User Administrator is enough here: no one in users.yaml holds a role, or is in a role-assignable group, that only Privileged Authentication Administrator may update.",
        ],
    };
}
