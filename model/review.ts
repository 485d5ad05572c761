import { AdminRoleName, PRIVILEGED_ADMIN_ROLES } from "./adminRoles";
import { licenseKey } from "./licenseSkus";
import type { FirmModel, ManagedGroup, ResolvedUser } from "./resolve";
import { isSensitiveUpdate, ROLE_FOR_SENSITIVE_UPDATES } from "./sensitiveUpdates";
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
    /** An existing Entra user adopted by objectId. */
    adopted?: boolean;
    /** Updating their Entra record is a sensitive update in Graph (they hold or lose an admin role). */
    sensitiveUpdate?: boolean;
    offboarded?: boolean;
    reenabled?: boolean;
    renamed?: { from: string; to: string };
    attributes: { field: string; from?: string; to?: string }[];
    groups: { joined: string[]; left: string[] };
    adminRoles: { granted: AdminRoleName[]; revoked: AdminRoleName[] };
    portal: { invited: boolean; removed: boolean; joined: string[]; left: string[] };
    /** Licences users.yaml gives and takes (by name as written), after offboarding's effect. */
    licenses: { gained: string[]; lost: string[] };
}

export type ServiceAccountAccess = "full" | "mail" | undefined;

export interface ReviewDiff {
    people: PersonChange[];
    /** Created groups; `renamed` is a group kept under a new name (written under `aliases:`, or a new letter case). */
    groups: { created: string[]; removed: string[]; renamed: { from: string; to: string }[] };
    serviceAccount?: { from: ServiceAccountAccess; to: ServiceAccountAccess };
    /** Every configuration difference (Pulumi.yaml defaults and the stack file, any namespace); secrets never shown. */
    config: ConfigChange[];
    /** Lines that must stand out: privileged grants and revocations, service account access, deletions. */
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
const licensesHeld = (user: ResolvedUser, side: ReviewSide) => (user.enabled || !side.removeLicensesOnOffboarding ? user.licenses.map((l) => l.name) : []);
const byLicense = (a: readonly string[], b: readonly string[]) => {
    const other = new Set(b.map(licenseKey));
    return a.filter((x) => !other.has(licenseKey(x)));
};

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

const isPrivileged = (role: string) => (PRIVILEGED_ADMIN_ROLES as readonly string[]).includes(role);

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
            adminRoles: { granted: [], revoked: old.adminRoles },
            groups: { joined: [], left: old.groups },
            portal: { invited: false, removed: old.practiceProtect.invite, joined: [], left: old.practiceProtect.roles },
            // A removed person keeps their licences with their account, unless the account is deleted.
            licenses: { gained: [], lost: base.deleteRemovedUsers ? licensesHeld(old, base) : [] },
        });
    }

    const groupsBefore = (base.model?.managedGroups ?? []).map((g) => g.name).filter((g) => !newName.has(g.toLowerCase()));
    const groupsAfter = head.model.managedGroups.map((g) => g.name).filter((g) => !renamed.some((r) => r.to === g));
    const serviceAccount = base.serviceAccountAccess !== head.serviceAccountAccess ? { from: base.serviceAccountAccess, to: head.serviceAccountAccess } : undefined;

    const attention: string[] = [];
    for (const p of people) {
        for (const role of p.adminRoles.granted.filter(isPrivileged)) attention.push(`${p.key} is granted ${role}`);
        for (const role of p.adminRoles.revoked.filter(isPrivileged)) attention.push(`${p.key} loses ${role}`);
        if (p.removal === "deleted") attention.push(`${p.key} is deleted from Entra (account and mailbox)`);
        else if (p.licenses.lost.length) attention.push(`${p.key} loses the licence${p.licenses.lost.length > 1 ? "s" : ""} ${p.licenses.lost.join(", ")} (without an Exchange licence the mailbox is deleted 30 days later)`);
    }
    // Last: what the deployment needs rather than what it does to people.
    for (const p of people.filter((p) => p.sensitiveUpdate)) {
        attention.push(`${p.key}'s Entra record changes while they hold or lose an admin role: a sensitive update, which needs the deploying identity to hold ${ROLE_FOR_SENSITIVE_UPDATES}`);
    }
    if (serviceAccount) attention.push(`the practiceprotect service account: ${describeAccess(serviceAccount.from)} → ${describeAccess(serviceAccount.to)}`);
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
        licenses: { gained: [], lost: [] },
    };
}

function added(user: ResolvedUser, side: ReviewSide): PersonChange {
    return {
        ...empty(user.key, user.displayName, "added"),
        adopted: user.objectId !== undefined,
        // Adopting an admin: the update that follows the import, if any stated field differs, is sensitive.
        sensitiveUpdate: user.objectId !== undefined && isSensitiveUpdate(user) ? true : undefined,
        offboarded: !user.enabled,
        attributes: ATTRIBUTES.filter((f) => valueOf(user, f) !== undefined).map((field) => ({ field, to: valueOf(user, field) })),
        groups: { joined: user.groups, left: [] },
        adminRoles: { granted: user.adminRoles, revoked: [] },
        portal: { invited: user.practiceProtect.invite, removed: false, joined: user.practiceProtect.roles, left: [] },
        licenses: { gained: licensesHeld(user, side), lost: [] },
    };
}

function changed(old: ResolvedUser, now: ResolvedUser, base: ReviewSide, head: ReviewSide): PersonChange | undefined {
    const [held, holds] = [licensesHeld(old, base), licensesHeld(now, head)];
    const change: PersonChange = {
        ...empty(now.key, now.displayName, "changed"),
        offboarded: old.enabled && !now.enabled,
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
        licenses: { gained: byLicense(holds, held), lost: byLicense(held, holds) },
    };
    // Does the Entra user itself get updated (not only memberships, roles or the portal)?
    const recordChanges = change.offboarded || change.reenabled || change.renamed || change.attributes.some((a) => a.field !== "objectId");
    if (recordChanges && old.objectId === now.objectId && isSensitiveUpdate(now, old)) change.sensitiveUpdate = true;
    const anything =
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
        change.licenses.lost.length;
    return anything ? change : undefined;
}
