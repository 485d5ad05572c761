import { AdminRoleName } from "./adminRoles";
import { MobileNormaliser, normaliseMobile } from "./mobilePhone";
import { mailNicknameOf } from "./rules/identity";
import { licensesOf, UserLicense } from "./licenses";
import type { Path } from "./locate";
import { DEFAULT_MAX_GLOBAL_ADMINS, ProfileEntry, UserEntry, UsersFile } from "./schema";

/** One person as `pulumi up` will declare them: defaults, profiles and the user's own entry merged. */
export interface ResolvedUser {
    /** The users.yaml key: the stable resource name. */
    key: string;
    userPrincipalName: string;
    /** The mail alias Entra has or will have: mailNickname, else the part of the UPN before @. */
    mailNickname: string;
    /** users.yaml writes mailNickname (an adopted user's alias is otherwise left as it is in Entra). */
    mailNicknameStated: boolean;
    displayName: string;
    /* Optional Entra fields: undefined when users.yaml sets no value (see `cleared`). */
    givenName?: string;
    surname?: string;
    /** E.164, e.g. +61412345678. */
    mobilePhone?: string;
    jobTitle?: string;
    department?: string;
    companyName?: string;
    officeLocation?: string;
    streetAddress?: string;
    city?: string;
    state?: string;
    postalCode?: string;
    country?: string;
    employeeId?: string;
    /** The desk phone, as written (at most one: Entra keeps one). */
    businessPhones?: string[];
    faxNumber?: string;
    /** The manager: another user's key in users.yaml, or an Entra objectId outside it (see `managerRef`). */
    manager?: string;
    usageLocation?: string;
    /**
     * Fields users.yaml clears (written as null): emptied in Entra. Every other optional field that has no
     * value here is not stated, and Entra's value is left as it is.
     */
    cleared: ClearableField[];
    /** false = offboarded: sign-in blocked, no admin or portal roles, account kept. */
    enabled: boolean;
    /** Set when an existing Entra user is adopted (imported) rather than created. */
    objectId?: string;
    /** With objectId: where it is written (`users.yaml:12:15`), for what the preview finds wrong with the account. */
    objectIdAt?: string;
    /** With objectId: what users.yaml acknowledges the adopted account is in Entra now (checked at preview/up). */
    adoption?: { currentUserPrincipalName?: string; privilegedRoles: string[] };
    profiles: string[];
    /** Group display names, defaults ∪ profiles ∪ user, first spelling kept. */
    groups: string[];
    /** Admin roles assigned; empty while the user is offboarded. */
    adminRoles: AdminRoleName[];
    /** Admin roles users.yaml lists but that are not assigned because the user is offboarded. */
    suspendedAdminRoles: AdminRoleName[];
    /** Microsoft 365 licences users.yaml gives, defaults ∪ profiles ∪ user (kept while offboarded; see removeLicensesOnOffboarding). */
    licenses: UserLicense[];
    practiceProtect: {
        /** The user should have a portal account. */
        invite: boolean;
        /** users.yaml invites the user (whether or not they are offboarded now). */
        invitedWhenEnabled: boolean;
        /** Portal roles; empty when not invited or offboarded. */
        roles: string[];
    };
}

/** Single values taken from the user, else their (only) profile, else defaults (jobTitle: not from defaults). */
export const INHERITED_FIELDS = ["usageLocation", "department", "jobTitle", "companyName", "officeLocation", "streetAddress", "city", "state", "postalCode", "country"] as const;
export type InheritedField = (typeof INHERITED_FIELDS)[number];

/** The optional Entra fields users.yaml can empty by writing null. */
export const CLEARABLE_FIELDS = [
    "givenName",
    "surname",
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
    "faxNumber",
    "manager",
] as const;
export type ClearableField = (typeof CLEARABLE_FIELDS)[number];

export interface ManagedGroup {
    name: string;
    description?: string;
    /** Earlier names: the same Entra group, renamed in place. */
    aliases: string[];
}

export interface ExistingGroupRef {
    name: string;
    /** `users.yaml:12:7`, where the name is first written, for errors found at deploy time. */
    where: string;
    /** The first few places the name is written (defaults, profiles, users), first one first. */
    usedAt: string[];
    /** How many places it is written in all. */
    uses: number;
    /** users.yaml acknowledges (existingGroups.<name>.grantsRoles) that the group is role-assignable. */
    grantsRoles: boolean;
}

/** users.yaml after validation: what the components build from. */
export interface FirmModel {
    allowedDomains: string[];
    /** defaults.usageLocation: the firm's country, also used for the service account. */
    defaultUsageLocation?: string;
    maxGlobalAdmins: number;
    /** Groups this program creates. */
    managedGroups: ManagedGroup[];
    /** Groups users are put in that are not created here: they must already exist in Entra. */
    existingGroups: ExistingGroupRef[];
    users: ResolvedUser[];
}

export function profilesOf(file: UsersFile, user: UserEntry): ProfileEntry[] {
    return (user.profiles ?? []).map((name) => file.profiles?.[name]).filter((p): p is ProfileEntry => p !== undefined);
}

/** Single values: the user's own (null = cleared), else the (only) profile's, else the default. */
export function inherited(file: UsersFile, user: UserEntry, field: InheritedField): string | null | undefined {
    if (user[field] !== undefined) return user[field];
    for (const profile of profilesOf(file, user)) if (profile[field] !== undefined) return profile[field];
    return field === "jobTitle" ? undefined : file.defaults?.[field];
}

const isInherited = (field: string): field is InheritedField => (INHERITED_FIELDS as readonly string[]).includes(field);

/** What users.yaml's `manager` names: a user in the file, or an Entra user by objectId. */
export function managerRef(file: Pick<UsersFile, "users">, manager: string): { key: string } | { objectId: string } | undefined {
    if (Object.prototype.hasOwnProperty.call(file.users, manager)) return { key: manager };
    return OBJECT_ID.test(manager) ? { objectId: manager.toLowerCase() } : undefined;
}
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const usageLocationOf = (file: UsersFile, user: UserEntry) => inherited(file, user, "usageLocation") ?? undefined;

/** Merges lists keeping the first spelling of each name; names compare case-insensitively, as Entra's do. */
export function union(...lists: (readonly string[] | undefined)[]): string[] {
    const seen = new Map<string, string>();
    for (const list of lists) for (const item of list ?? []) if (!seen.has(item.toLowerCase())) seen.set(item.toLowerCase(), item);
    return [...seen.values()];
}

export function invitedToPortal(file: UsersFile, user: UserEntry): boolean {
    let invite = file.defaults?.practiceProtect?.invite ?? false;
    for (const profile of profilesOf(file, user)) invite = profile.practiceProtect?.invite ?? invite;
    return user.practiceProtect?.invite ?? invite;
}

/** Where a path is written, as `users.yaml:12:7`; the default, for callers with no positions, names the file. */
export type Locator = (path: Path) => string;
const NO_POSITIONS: Locator = () => "users.yaml";

export function resolveUser(file: UsersFile, key: string, user: UserEntry, mobile_: MobileNormaliser = normaliseMobile, where: Locator = NO_POSITIONS): ResolvedUser {
    const profiles = profilesOf(file, user);
    const enabled = user.enabled ?? true;
    const usageLocation = usageLocationOf(file, user);
    const mobile = user.mobilePhone == null ? undefined : mobile_(user.mobilePhone, usageLocation);
    const declaredAdminRoles = union(...profiles.map((p) => p.adminRoles), user.adminRoles) as AdminRoleName[];
    const invitedWhenEnabled = invitedToPortal(file, user);
    const invite = enabled && invitedWhenEnabled;
    return {
        key,
        userPrincipalName: user.userPrincipalName,
        mailNickname: mailNicknameOf(user),
        mailNicknameStated: user.mailNickname !== undefined,
        displayName: user.displayName,
        givenName: user.givenName ?? undefined,
        surname: user.surname ?? undefined,
        mobilePhone: mobile && "e164" in mobile ? mobile.e164 : undefined,
        jobTitle: inherited(file, user, "jobTitle") ?? undefined,
        department: inherited(file, user, "department") ?? undefined,
        companyName: inherited(file, user, "companyName") ?? undefined,
        officeLocation: inherited(file, user, "officeLocation") ?? undefined,
        streetAddress: inherited(file, user, "streetAddress") ?? undefined,
        city: inherited(file, user, "city") ?? undefined,
        state: inherited(file, user, "state") ?? undefined,
        postalCode: inherited(file, user, "postalCode") ?? undefined,
        country: inherited(file, user, "country") ?? undefined,
        employeeId: user.employeeId ?? undefined,
        businessPhones: user.businessPhones,
        faxNumber: user.faxNumber ?? undefined,
        manager: user.manager ?? undefined,
        usageLocation,
        cleared: CLEARABLE_FIELDS.filter((field) => (isInherited(field) ? inherited(file, user, field) : user[field]) === null),
        enabled,
        objectId: user.objectId,
        ...(user.objectId !== undefined && { objectIdAt: where(["users", key, "objectId"]) }),
        ...(user.adoption && { adoption: { currentUserPrincipalName: user.adoption.currentUserPrincipalName, privilegedRoles: user.adoption.privilegedRoles ?? [] } }),
        profiles: user.profiles ?? [],
        groups: union(file.defaults?.groups, ...profiles.map((p) => p.groups), user.groups),
        adminRoles: enabled ? declaredAdminRoles : [],
        suspendedAdminRoles: enabled ? [] : declaredAdminRoles,
        licenses: licensesOf(file, key, user, (user.profiles ?? []).flatMap((name): [string, ProfileEntry][] => (file.profiles?.[name] ? [[name, file.profiles[name]]] : [])), where),
        practiceProtect: {
            invite,
            invitedWhenEnabled,
            roles: invite
                ? union(file.defaults?.practiceProtect?.roles, ...profiles.map((p) => p.practiceProtect?.roles), user.practiceProtect?.roles)
                : [],
        },
    };
}

/** The whole firm. Call only on a file that passed validation. */
export function resolveFirm(
    file: UsersFile,
    whereIs: (groupName: string) => { positions: string[]; count: number } = () => ({ positions: ["users.yaml"], count: 1 }),
    normalise: MobileNormaliser = normaliseMobile,
    where: Locator = NO_POSITIONS,
): FirmModel {
    const users = Object.entries(file.users).map(([key, user]) => resolveUser(file, key, user, normalise, where));
    const managed = new Set(Object.keys(file.groups ?? {}).map((g) => g.toLowerCase()));
    return {
        allowedDomains: file.tenant?.domains ?? [],
        defaultUsageLocation: file.defaults?.usageLocation,
        maxGlobalAdmins: file.tenant?.maxGlobalAdmins ?? DEFAULT_MAX_GLOBAL_ADMINS,
        managedGroups: Object.entries(file.groups ?? {}).map(([name, g]) => ({ name, description: g.description, aliases: g.aliases ?? [] })),
        existingGroups: union(...users.map((u) => u.groups))
            .filter((g) => !managed.has(g.toLowerCase()))
            .map((name) => {
                const { positions, count } = whereIs(name);
                const acknowledged = Object.entries(file.existingGroups ?? {}).find(([g]) => g.toLowerCase() === name.toLowerCase())?.[1];
                return { name, where: positions[0] ?? "users.yaml", usedAt: positions, uses: count, grantsRoles: acknowledged?.grantsRoles === true };
            }),
        users,
    };
}
