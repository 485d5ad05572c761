import { AdminRoleName, isPrivilegedRole } from "./adminRoles";
import { describePlans, UserLicense } from "./licenses";
import { licenseKey } from "./licenseSkus";
import type { FirmModel, ManagedGroup, ResolvedUser } from "./resolve";
import { isSensitiveUpdate, roleAssignableGroupsOf, ROLE_FOR_SENSITIVE_UPDATES } from "./sensitiveUpdates";
import { ConfigChange, configChanges, describeConfigChange } from "./config/changes";
import type { ResolvedConfig } from "./config/resolve";

/** What a change to users.yaml means for one person, in the words a reviewer uses. */
export interface PersonChange {
    key: string;
    /** Display name (the new one, or the old one for a removed person). */
    name: string;
    kind: "added" | "removed" | "changed";
    /** For removed people: what `pulumi up` does to their Entra account. */
    removal?: "deleted" | "no longer managed";
    /** For removed people kept in Entra: whether the account stays enabled (they were not offboarded first). */
    stillEnabled?: boolean;
    /** For removed people kept enabled: privileged roles they held when adopted (not this program's to take away). */
    keepsPrivilegedRoles?: string[];
    /** An existing Entra user adopted by objectId. */
    adopted?: boolean;
    /**
     * Set when this change adopts an existing account: a new entry with objectId, or an entry whose objectId is new
     * or different. With what users.yaml's `adoption:` acknowledges about the account as it is now.
     */
    adoption?: { objectId: string; previousObjectId?: string; rename?: { from: string; to: string }; privilegedRoles: string[] };
    /** Updating their Entra record is a sensitive update in Graph (they hold or lose an admin role, or are in a role-assignable group). */
    sensitiveUpdate?: boolean;
    offboarded?: boolean;
    reenabled?: boolean;
    renamed?: { from: string; to: string };
    attributes: { field: string; from?: string; to?: string }[];
    groups: { joined: string[]; left: string[] };
    adminRoles: { granted: AdminRoleName[]; revoked: AdminRoleName[] };
    portal: { invited: boolean; removed: boolean; joined: string[]; left: string[] };
    /**
     * Licences users.yaml gives and takes (by name as written), after offboarding's effect; `plans` says, for each
     * licence gained or whose disabledPlans statement changes, what happens to its service plans (describePlans:
     * "plans as in Entra" when users.yaml does not state them, "exactly: TEAMS1 off" when it does).
     */
    licenses: { gained: string[]; lost: string[]; plans: { license: string; from?: string; to: string }[] };
}

export type ServiceAccountAccess = "full" | "mail" | undefined;

export interface ReviewDiff {
    people: PersonChange[];
    /** Created groups; `renamed` is a group kept under a new name (written under `aliases:`, or a new letter case). */
    groups: { created: string[]; removed: string[]; renamed: { from: string; to: string }[] };
    serviceAccount?: { from: ServiceAccountAccess; to: ServiceAccountAccess };
    /** Every configuration difference (Pulumi.yaml defaults and the stack file, any namespace); secrets never shown. */
    config: ConfigChange[];
    /**
     * Lines that must stand out: privileged grants and revocations (Microsoft's classification, model/adminRoles.ts),
     * role-assignable groups joined or left, adopted accounts, people removed while their account stays enabled,
     * deletions, lost licences, sensitive updates, service account access and every configuration change.
     */
    attention: string[];
}

export interface ReviewSide {
    model?: FirmModel;
    serviceAccountAccess?: ServiceAccountAccess;
    /** The `deleteRemovedUsers` setting in force for this side's deployment. */
    deleteRemovedUsers?: boolean;
    /** The `removeLicensesOnOffboarding` setting in force for this side's deployment. */
    removeLicensesOnOffboarding?: boolean;
    /** The configuration `pulumi up` resolves on this side (Pulumi.yaml and Pulumi.<stack>.yaml). */
    config?: ResolvedConfig;
}

/** The licences a person holds through users.yaml on one side: none once offboarded, if that side removes them. */
const licensesHeld = (user: ResolvedUser, side: ReviewSide) => (user.enabled || !side.removeLicensesOnOffboarding ? user.licenses : []);
const byLicense = (a: readonly UserLicense[], b: readonly UserLicense[]) => {
    const other = new Set(b.map((l) => licenseKey(l.name)));
    return a.filter((x) => !other.has(licenseKey(x.name))).map((l) => l.name);
};
/** Two statements of disabledPlans mean the same: both unstated, or the same plans in any order and case. */
const samePlans = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
    a === undefined || b === undefined ? a === b : JSON.stringify(a.map((p) => p.toLowerCase()).sort()) === JSON.stringify(b.map((p) => p.toLowerCase()).sort());
/** What happens to the service plans of each licence gained, or held on both sides under another statement. */
const planChanges = (held: readonly UserLicense[], holds: readonly UserLicense[]) =>
    holds.flatMap((now) => {
        const before = held.find((l) => licenseKey(l.name) === licenseKey(now.name));
        if (!before) return [{ license: now.name, to: describePlans(now.disabledPlans) }];
        return samePlans(before.disabledPlans, now.disabledPlans) ? [] : [{ license: now.name, from: describePlans(before.disabledPlans), to: describePlans(now.disabledPlans) }];
    });

const ATTRIBUTES = [
    "displayName",
    "givenName",
    "surname",
    "mailNickname",
    "mobilePhone",
    "jobTitle",
    "department",
    "companyName",
    "officeLocation",
    "streetAddress",
    "city",
    "state",
    "postalCode",
    "country",
    "employeeId",
    "businessPhones",
    "faxNumber",
    "manager",
    "usageLocation",
    "objectId",
] as const;

/** How a field users.yaml clears (null) reads in the review. */
export const CLEARED = "(cleared in Entra)";
type Attribute = (typeof ATTRIBUTES)[number];
const valueOf = (user: ResolvedUser, field: Attribute): string | undefined => {
    const value = user[field];
    if (Array.isArray(value)) return value.join(", ");
    return value ?? ((user.cleared as readonly string[]).includes(field) ? CLEARED : undefined);
};

const lower = (list: readonly string[]) => new Set(list.map((s) => s.toLowerCase()));
const minus = <T extends string>(a: readonly T[], b: readonly string[]): T[] => {
    const other = lower(b);
    return a.filter((x) => !other.has(x.toLowerCase()));
};

/** Existing groups users.yaml acknowledges as role-assignable (existingGroups.<name>.grantsRoles), by lower-cased name. */
const roleGroupsOf = (model: FirmModel | undefined) => new Set((model?.existingGroups ?? []).filter((g) => g.grantsRoles).map((g) => g.name.toLowerCase()));

/**
 * The difference between users.yaml at a base (usually the pull request's target) and now, per person,
 * after defaults and profiles are applied: so a profile change shows on every user it touches. Pure.
 */
export function reviewChanges(base: ReviewSide, head: ReviewSide & { model: FirmModel }): ReviewDiff {
    const before = new Map((base.model?.users ?? []).map((u) => [u.key, u]));
    const after = new Map(head.model.users.map((u) => [u.key, u]));
    const people: PersonChange[] = [];
    const renamed = groupRenames(base.model?.managedGroups ?? [], head.model.managedGroups);
    const newName = new Map(renamed.map((r) => [r.from.toLowerCase(), r.to]));

    for (const user of head.model.users) {
        const old = before.get(user.key);
        // Someone in a group that is only renamed has not left it nor joined another.
        const oldWithRenames = old && { ...old, groups: old.groups.map((g) => newName.get(g.toLowerCase()) ?? g) };
        const change = oldWithRenames ? changed(oldWithRenames, user, base, head) : added(user, head);
        if (change) people.push(change);
    }
    for (const old of base.model?.users ?? []) {
        if (after.has(old.key)) continue;
        people.push({
            ...empty(old.key, old.displayName, "removed"),
            removal: base.deleteRemovedUsers ? "deleted" : "no longer managed",
            stillEnabled: base.deleteRemovedUsers ? undefined : old.enabled,
            keepsPrivilegedRoles: !base.deleteRemovedUsers && old.enabled && old.adoption?.privilegedRoles.length ? old.adoption.privilegedRoles : undefined,
            adminRoles: { granted: [], revoked: old.adminRoles },
            groups: { joined: [], left: old.groups },
            portal: { invited: false, removed: old.practiceProtect.invite, joined: [], left: old.practiceProtect.roles },
            // A removed person keeps their licences with their account, unless the account is deleted.
            licenses: { gained: [], lost: base.deleteRemovedUsers ? licensesHeld(old, base).map((l) => l.name) : [], plans: [] },
        });
    }

    const groupsBefore = (base.model?.managedGroups ?? []).map((g) => g.name).filter((g) => !newName.has(g.toLowerCase()));
    const groupsAfter = head.model.managedGroups.map((g) => g.name).filter((g) => !renamed.some((r) => r.to === g));
    const serviceAccount = base.serviceAccountAccess !== head.serviceAccountAccess ? { from: base.serviceAccountAccess, to: head.serviceAccountAccess } : undefined;

    // A group acknowledged on either side: taking the acknowledgement out in the same change does not hide a join.
    const roleGroups = new Set([...roleGroupsOf(base.model), ...roleGroupsOf(head.model)]);
    const attention: string[] = [];
    for (const p of people) {
        for (const role of p.adminRoles.granted.filter(isPrivilegedRole)) attention.push(`${p.key} is granted ${role}`);
        for (const role of p.adminRoles.revoked.filter(isPrivilegedRole)) attention.push(`${p.key} loses ${role}`);
        for (const group of p.groups.joined.filter((g) => roleGroups.has(g.toLowerCase()))) attention.push(`${p.key} joins ${group}, a role-assignable group: they get its directory roles`);
        for (const group of p.groups.left.filter((g) => roleGroups.has(g.toLowerCase()))) attention.push(`${p.key} leaves ${group}, a role-assignable group: they lose its directory roles`);
        if (p.adoption) attention.push(describeAdoption(p.key, p.adoption));
        // An offboarded person removed from the file stays blocked (pulumi up leaves the account as it is).
        if (p.stillEnabled) {
            const roles = p.keepsPrivilegedRoles?.length ? `, and the privileged role${p.keepsPrivilegedRoles.length > 1 ? "s" : ""} ${p.keepsPrivilegedRoles.join(", ")} the account held when adopted` : "";
            attention.push(`${p.key} is removed from users.yaml but their account stays enabled: they can still sign in and keep their licences and mailbox${roles}; to offboard, set enabled: false`);
        }
        if (p.removal === "deleted") attention.push(`${p.key} is deleted from Entra (account and mailbox)`);
        else if (p.licenses.lost.length) attention.push(`${p.key} loses the licence${p.licenses.lost.length > 1 ? "s" : ""} ${p.licenses.lost.join(", ")} (without an Exchange licence the mailbox is deleted 30 days later)`);
    }
    // Last: what the deployment needs rather than what it does to people.
    for (const p of people.filter((p) => p.sensitiveUpdate)) {
        const admin = [before.get(p.key), after.get(p.key)].some((u) => u && u.adminRoles.length + u.suspendedAdminRoles.length > 0);
        const why = admin ? "hold or lose an admin role" : "are in a role-assignable group";
        attention.push(`${p.key}'s Entra record changes while they ${why}: a sensitive update, which needs the deploying identity to hold ${ROLE_FOR_SENSITIVE_UPDATES}`);
    }
    if (serviceAccount) attention.push(`the practiceprotect service account: ${describeAccess(serviceAccount.from)} → ${describeAccess(serviceAccount.to)}`);
    const acknowledgedBefore = roleGroupsOf(base.model);
    for (const group of head.model.existingGroups.filter((g) => g.grantsRoles && !acknowledgedBefore.has(g.name.toLowerCase()))) {
        attention.push(`${group.name} is a role-assignable group (acknowledged under existingGroups): everyone users.yaml puts in it holds its directory roles`);
    }
    // Any configuration change: Pulumi hands every key to the program and the providers, so none is harmless by default.
    const config = head.config ? configChanges(base.config, head.config) : [];
    attention.push(...config.map(describeConfigChange));

    return { people, groups: { created: minus(groupsAfter, groupsBefore), removed: minus(groupsBefore, groupsAfter), renamed }, serviceAccount, config, attention };
}

/**
 * Created groups that `pulumi up` keeps under a new name, updating the same group in place: a new letter case,
 * or a new name with the old one under `aliases:` (the group resource is named from the lower-cased name, with
 * the aliases as its earlier names: components/firmAccess.ts).
 */
function groupRenames(before: readonly ManagedGroup[], after: readonly ManagedGroup[]): { from: string; to: string }[] {
    const renames: { from: string; to: string }[] = [];
    for (const group of after) {
        const same = before.find((b) => b.name.toLowerCase() === group.name.toLowerCase());
        if (same) {
            if (same.name !== group.name) renames.push({ from: same.name, to: group.name });
            continue;
        }
        const aliases = lower(group.aliases);
        const earlier = before.find((b) => aliases.has(b.name.toLowerCase()) && !after.some((a) => a.name.toLowerCase() === b.name.toLowerCase()));
        if (earlier) renames.push({ from: earlier.name, to: group.name });
    }
    return renames;
}

/** "<key> adopts an existing account (objectId ...); check whose it is", with what `adoption:` acknowledges. */
function describeAdoption(key: string, adoption: NonNullable<PersonChange["adoption"]>): string {
    const parts = [`${key} adopts an existing account (objectId ${adoption.objectId}${adoption.previousObjectId ? `, was ${adoption.previousObjectId}` : ""}); check whose it is`];
    if (adoption.rename) parts.push(`it signs in as ${adoption.rename.from} now: adopting renames it to ${adoption.rename.to}`);
    if (adoption.privilegedRoles.length) parts.push(`it holds the privileged role${adoption.privilegedRoles.length > 1 ? "s" : ""} ${adoption.privilegedRoles.join(", ")}, which it keeps`);
    return parts.join("; ");
}

/** What an entry adopting this account acknowledges, or undefined when the entry adopts nothing new. */
function adoptionOf(user: ResolvedUser, before?: ResolvedUser): PersonChange["adoption"] {
    if (user.objectId === undefined || user.objectId.toLowerCase() === before?.objectId?.toLowerCase()) return undefined;
    const renamedFrom = user.adoption?.currentUserPrincipalName;
    return {
        objectId: user.objectId,
        previousObjectId: before?.objectId,
        rename: renamedFrom && renamedFrom.toLowerCase() !== user.userPrincipalName.toLowerCase() ? { from: renamedFrom, to: user.userPrincipalName } : undefined,
        privilegedRoles: user.adoption?.privilegedRoles ?? [],
    };
}

export function describeAccess(access: ServiceAccountAccess): string {
    return access === "full" ? "Global Administrator (full)" : access === "mail" ? "Exchange Administrator (mail)" : "none";
}

function empty(key: string, name: string, kind: PersonChange["kind"]): PersonChange {
    return {
        key,
        name,
        kind,
        attributes: [],
        groups: { joined: [], left: [] },
        adminRoles: { granted: [], revoked: [] },
        portal: { invited: false, removed: false, joined: [], left: [] },
        licenses: { gained: [], lost: [], plans: [] },
    };
}

/** Whether a side puts this user in a group it acknowledges as role-assignable. */
const inRoleGroup = (user: ResolvedUser, side: ReviewSide) => side.model !== undefined && roleAssignableGroupsOf(user, side.model).length > 0;

function added(user: ResolvedUser, side: ReviewSide): PersonChange {
    return {
        ...empty(user.key, user.displayName, "added"),
        adopted: user.objectId !== undefined,
        adoption: adoptionOf(user),
        // Adopting an admin: the update that follows the import, if any stated field differs, is sensitive.
        sensitiveUpdate: user.objectId !== undefined && isSensitiveUpdate(user, undefined, inRoleGroup(user, side)) ? true : undefined,
        offboarded: !user.enabled,
        attributes: ATTRIBUTES.filter((f) => valueOf(user, f) !== undefined).map((field) => ({ field, to: valueOf(user, field) })),
        groups: { joined: user.groups, left: [] },
        adminRoles: { granted: user.adminRoles, revoked: [] },
        portal: { invited: user.practiceProtect.invite, removed: false, joined: user.practiceProtect.roles, left: [] },
        licenses: { gained: licensesHeld(user, side).map((l) => l.name), lost: [], plans: planChanges([], licensesHeld(user, side)) },
    };
}

function changed(old: ResolvedUser, now: ResolvedUser, base: ReviewSide, head: ReviewSide): PersonChange | undefined {
    const [held, holds] = [licensesHeld(old, base), licensesHeld(now, head)];
    const change: PersonChange = {
        ...empty(now.key, now.displayName, "changed"),
        offboarded: old.enabled && !now.enabled,
        adoption: adoptionOf(now, old),
        reenabled: !old.enabled && now.enabled,
        renamed: old.userPrincipalName.toLowerCase() !== now.userPrincipalName.toLowerCase() ? { from: old.userPrincipalName, to: now.userPrincipalName } : undefined,
        attributes: ATTRIBUTES.filter((f) => (valueOf(old, f) ?? "") !== (valueOf(now, f) ?? "")).map((field) => ({ field, from: valueOf(old, field), to: valueOf(now, field) })),
        groups: { joined: minus(now.groups, old.groups), left: minus(old.groups, now.groups) },
        adminRoles: { granted: minus(now.adminRoles, old.adminRoles), revoked: minus(old.adminRoles, now.adminRoles) },
        portal: {
            invited: now.practiceProtect.invite && !old.practiceProtect.invite,
            removed: old.practiceProtect.invite && !now.practiceProtect.invite,
            joined: minus(now.practiceProtect.roles, old.practiceProtect.roles),
            left: minus(old.practiceProtect.roles, now.practiceProtect.roles),
        },
        licenses: { gained: byLicense(holds, held), lost: byLicense(held, holds), plans: planChanges(held, holds) },
    };
    // Does the Entra user itself get updated (not only memberships, roles or the portal)?
    const recordChanges = change.offboarded || change.reenabled || change.renamed || change.attributes.some((a) => a.field !== "objectId");
    if (recordChanges && old.objectId === now.objectId && isSensitiveUpdate(now, old, inRoleGroup(now, head) || inRoleGroup(old, base))) change.sensitiveUpdate = true;
    const anything =
        change.adoption ||
        change.offboarded ||
        change.reenabled ||
        change.renamed ||
        change.attributes.length ||
        change.groups.joined.length ||
        change.groups.left.length ||
        change.adminRoles.granted.length ||
        change.adminRoles.revoked.length ||
        change.portal.invited ||
        change.portal.removed ||
        change.portal.joined.length ||
        change.portal.left.length ||
        change.licenses.gained.length ||
        change.licenses.lost.length ||
        change.licenses.plans.length;
    return anything ? change : undefined;
}
