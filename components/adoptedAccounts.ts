import * as pulumi from "@pulumi/pulumi";
import type { DirectoryReader, DirectoryRoleAssignment } from "../graph";
import { readAdoptionFacts, type AdoptionFacts } from "../graph/adoptionReads";
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
    "The identity running the program needs the Graph application permissions User.Read.All, Group.Read.All and RoleManagement.Read.Directory (the deploying identity's User.ReadWrite.All, Group.ReadWrite.All and RoleManagement.ReadWrite.Directory include them), and the same credentials as the azuread provider (ARM_TENANT_ID, ARM_CLIENT_ID with ARM_USE_OIDC=true or ARM_CLIENT_SECRET, or az login).";

/**
 * Reads, before anything is declared, every account users.yaml adopts by objectId (one Graph request per 15 of them)
 * and the directory roles they hold: assigned directly, or as members of one of the tenant's role-assignable groups
 * (listed with one request; the members read only of those that carry a role). The roles of those groups, of the
 * adopted accounts and of the role-assignable groups users.yaml acknowledges come from one listing (per 15 principals). Refuses the run, reporting every person at once, when an adopted account
 * is missing, has another sign-in name, or holds a privileged role users.yaml does not acknowledge
 * (model/adoptedAccounts.ts); otherwise writes one line per account and per role-assignable group to the preview's
 * output (pulumi.log.info, which the CLI always shows, under Diagnostics: pulumi/pulumi#4659), so the reviewer of
 * `pulumi preview` sees what the deployment will take over.
 */
export async function lookupAdoptedAccounts(reader: DirectoryReader, users: readonly ResolvedUser[], existingGroups: ReadonlyMap<string, ExistingGroup>): Promise<AdoptionReads> {
    const adopted = users.filter((u) => u.objectId !== undefined);
    const roleGroups = [...existingGroups.values()].filter((g) => g.assignableToRole);
    if (adopted.length === 0 && roleGroups.length === 0) return { assignments: [], accounts: new Map(), groupRoles: new Map() };
    let facts: AdoptionFacts;
    try {
        facts = await readAdoptionFacts(reader, adopted.map((u) => u.objectId!), roleGroups.map((g) => g.objectId), !reader.withoutAccounts && adopted.length > 0);
    } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        const what = [...(adopted.length ? [`the accounts users.yaml adopts (${adopted.map((u) => u.key).join(", ")})`] : []), ...(roleGroups.length ? [`the roles of role-assignable groups (${roleGroups.map((g) => `'${g.name}'`).join(", ")})`] : [])];
        throw new pulumi.RunError(`cannot read ${what.join(" and ")} and their directory roles; nothing was changed: ${why}\n${PERMISSIONS}`);
    }
    const { assignments, accounts: read, throughGroups } = facts;
    const direct = (principalId: string) => assignments.filter((a) => same(a.principalId, principalId));

    const groupRoles = new Map<string, HeldRole[]>();
    for (const group of roleGroups) {
        const roles = heldRoles(direct(group.objectId));
        groupRoles.set(group.name.toLowerCase(), roles);
        void pulumi.log.info(`existing group ${JSON.stringify(group.displayName)} is role-assignable and carries: ${describeRoles(roles)}`);
    }

    const accounts = new Map<string, { account?: ReadAccount; roles: HeldRole[] }>();
    if (read === undefined) return { assignments, accounts, groupRoles };
    const byId = new Map(read.map((a) => [a.id.toLowerCase(), a]));
    const errors: string[] = [];
    for (const user of adopted) {
        const account = byId.get(user.objectId!.toLowerCase());
        const roles = account ? heldRoles([...direct(user.objectId!), ...(throughGroups.get(user.objectId!.toLowerCase()) ?? [])]) : [];
        accounts.set(user.key, { account, roles });
        const verdict = checkAdoptedAccount(user, account, roles);
        errors.push(...verdict.errors);
        for (const warning of verdict.warnings) void pulumi.log.warn(warning);
        void pulumi.log.info(describeAdoptedAccount(user, account, roles));
    }
    if (errors.length) throw new pulumi.RunError(`users.yaml adopts accounts that are not what it says; nothing was changed:\n${errors.join("\n")}`);
    return { assignments, accounts, groupRoles };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
