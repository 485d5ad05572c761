import * as pulumi from "@pulumi/pulumi";
import type { DirectoryReader, DirectoryRoleAssignment } from "../graph";
import type { ResolvedUser } from "../model";
import { checkAdoptedAccount, describeAdoptedAccount, type ReadAccount } from "../model/adoptedAccounts";
import { describeRoles, heldRoles, type HeldRole } from "../model/directoryRoles";
import type { ExistingGroup } from "./existingGroups";

/** What was read from Entra about the accounts users.yaml adopts and the role-assignable groups it uses. */
export interface AdoptionReads {
    /** Every directory role assignment held directly by an adopted account or an acknowledged role-assignable group. */
    assignments: DirectoryRoleAssignment[];
    /** By users.yaml key: the account as read (absent: not found), unless the run could not read accounts (`npm run plan`). */
    accounts: ReadonlyMap<string, { account?: ReadAccount; roles: HeldRole[] }>;
    /** By group name (lower-cased): the roles a role-assignable group carries. */
    groupRoles: ReadonlyMap<string, HeldRole[]>;
}

const PERMISSIONS =
    "The identity running the program needs the Graph application permissions User.Read.All and RoleManagement.Read.Directory (the deploying identity's User.ReadWrite.All and RoleManagement.ReadWrite.Directory include them), and the same credentials as the azuread provider (ARM_TENANT_ID, ARM_CLIENT_ID with ARM_USE_OIDC=true or ARM_CLIENT_SECRET, or az login).";

/**
 * Reads, before anything is declared, every account users.yaml adopts by objectId (one Graph request per 15 of them)
 * and the directory roles held directly by those accounts and by the role-assignable groups users.yaml acknowledges
 * (one listing for all of them, also per 15). Refuses the run, reporting every person at once, when an adopted account
 * is missing, has another sign-in name, or holds a privileged role users.yaml does not acknowledge
 * (model/adoptedAccounts.ts); otherwise writes one line per account and per role-assignable group to the preview's
 * output (pulumi.log.info), so the reviewer of `pulumi preview` sees what the deployment will take over.
 */
export async function lookupAdoptedAccounts(reader: DirectoryReader, users: readonly ResolvedUser[], existingGroups: ReadonlyMap<string, ExistingGroup>): Promise<AdoptionReads> {
    const adopted = users.filter((u) => u.objectId !== undefined);
    const roleGroups = [...existingGroups.values()].filter((g) => g.assignableToRole);
    const principals = [...adopted.map((u) => u.objectId!), ...roleGroups.map((g) => g.objectId)];
    if (principals.length === 0) return { assignments: [], accounts: new Map(), groupRoles: new Map() };
    let assignments: DirectoryRoleAssignment[];
    let read: ReadAccount[] | undefined;
    try {
        [assignments, read] = await Promise.all([
            reader.roleAssignmentsOf(principals),
            reader.withoutAccounts || adopted.length === 0 ? Promise.resolve(undefined) : reader.usersById(adopted.map((u) => u.objectId!)),
        ]);
    } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        const what = [...(adopted.length ? [`the accounts users.yaml adopts (${adopted.map((u) => u.key).join(", ")})`] : []), ...(roleGroups.length ? [`the roles of role-assignable groups (${roleGroups.map((g) => `'${g.name}'`).join(", ")})`] : [])];
        throw new pulumi.RunError(`cannot read ${what.join(" and ")} and their directory roles; nothing was changed: ${why}\n${PERMISSIONS}`);
    }
    const rolesOf = (principalId: string) => heldRoles(assignments.filter((a) => a.principalId.toLowerCase() === principalId.toLowerCase()));

    const groupRoles = new Map<string, HeldRole[]>();
    for (const group of roleGroups) {
        const roles = rolesOf(group.objectId);
        groupRoles.set(group.name.toLowerCase(), roles);
        void pulumi.log.info(`existing group ${JSON.stringify(group.displayName)} is role-assignable and carries: ${describeRoles(roles)}`);
    }

    const accounts = new Map<string, { account?: ReadAccount; roles: HeldRole[] }>();
    if (read === undefined) return { assignments, accounts, groupRoles };
    const byId = new Map(read.map((a) => [a.id.toLowerCase(), a]));
    const errors: string[] = [];
    for (const user of adopted) {
        const account = byId.get(user.objectId!.toLowerCase());
        const roles = account ? rolesOf(user.objectId!) : [];
        accounts.set(user.key, { account, roles });
        const verdict = checkAdoptedAccount(user, account, roles);
        errors.push(...verdict.errors);
        for (const warning of verdict.warnings) void pulumi.log.warn(warning);
        void pulumi.log.info(describeAdoptedAccount(user, account, roles));
    }
    if (errors.length) throw new pulumi.RunError(`users.yaml adopts accounts that are not what it says; nothing was changed:\n${errors.join("\n")}`);
    return { assignments, accounts, groupRoles };
}
