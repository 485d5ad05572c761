/** What a portal holds before the first call: read from a seed file or built by a test. */
export interface EmulatorSeed {
    oauth: {
        appId: string;
        clientId: string;
        clientSecret: string;
        scope?: string;
        /**
         * The scope's allowed REST paths, as regexes (the app's Scope page; CyberArk's OAuth2 client app keeps them as
         * `KnownScopes[].AllowedRest`, e.g. "/RedRock/query" or ".*": Centrify's Go SDK, OauthWebApp). Default: every
         * path. A token of this app is refused every other path (see server.ts for how).
         */
        allowedRest?: string[];
        tokenLifetimeSeconds?: number /* default 3600 */;
    };
    /** Identity Security Platform service users: they get tokens at POST /oauth2/platformtoken (no app id) */
    platformServiceUsers?: { clientId: string; clientSecret: string }[];
    directories: { uuid: string; name: string; displayName: string; service: string /* "CDS", "AdProxy", "FDS"; Azure AD's value is undocumented */ }[];
    directoryUsers: SeedDirectoryUser[];
    roles: SeedRole[];
}

export type PortalStatus = "Not Invited" | "Invited" | "Active";

export interface SeedDirectoryUser {
    directoryUuid: string;
    uuid: string;
    /** UPN: the directory's SystemName and the portal's Username */
    userName: string;
    displayName: string;
    email?: string;
    mobileNumber?: string;
    /** the user is invisible to DirectoryServiceQuery for this many queries that would match it (a user just created in Entra takes a while to appear) */
    hiddenForQueries?: number;
    /** already in the portal (invited earlier); default "Not Invited" */
    status?: PortalStatus;
    /** sign-in allowed at the source; default true (extension: the directory row's `Enabled`) */
    enabled?: boolean;
}

export interface RoleMember {
    guid: string;
    name: string;
    type: "User" | "Group" | "Role";
}

export interface SeedRole {
    id: string;
    name: string;
    description?: string;
    members: RoleMember[];
}

/** A directory user as the emulator holds it: the seed shape with the portal's mutable facts filled in. */
export interface DirectoryUser extends Omit<SeedDirectoryUser, "hiddenForQueries" | "status" | "enabled"> {
    hiddenForQueries: number;
    status: PortalStatus;
    enabled: boolean;
    /** ms epoch of the last invite sent (or of emulator start for users seeded as already in the portal) */
    lastInvite?: number;
    /** ms epoch of the last sign-in (set by activate) */
    lastLogin?: number;
}

export interface Role {
    id: string;
    name: string;
    description: string;
    roleType: string;
    members: RoleMember[];
}

export interface Invite {
    uuid: string;
    userName: string;
    /** EmailInvite was true */
    email: boolean;
    /** SmsInvite was true (extension) */
    sms: boolean;
    at: number;
}

export interface EmulatorState {
    directories: EmulatorSeed["directories"];
    directoryUsers: Map<string /* uuid */, DirectoryUser>;
    roles: Map<string /* id */, Role>;
    /** every invite actually sent, in order */
    invites: Invite[];
    /** as if the user was just created at the source; throws on a duplicate uuid or an unknown directory */
    addDirectoryUser(user: SeedDirectoryUser): void;
    /** as if an admin removed the user in the portal (status back to "Not Invited") */
    removeFromPortal(uuid: string): void;
    /** the user signed in: status "Active", LastLogin now */
    activate(uuid: string): void;
    /** as if the user was deleted at the source: gone from the directory and the portal, but still listed as a member of their roles (an orphan member) */
    deleteDirectoryUser(uuid: string): void;
}

export interface CallRecord {
    method: string;
    path: string;
    /** the query string without "?", "" when none */
    query: string;
    /** parsed JSON, form fields (token call), the raw text when it parses as neither, undefined when empty */
    body: unknown;
    /** HTTP status sent; 0 for a call answered by the "hang" fault (never answered) */
    status: number;
    /** the envelope's `success` when the answer was one (not for token calls, HTML pages or faults) */
    success?: boolean;
    at: number;
}

export type Fault =
    | { kind: "429"; retryAfterSeconds?: number }
    | { kind: "500" }
    | { kind: "hang" }
    | { kind: "html" }
    /** answers normally, after `ms` (GetRoleMembers has taken 11-26 s on large roles, Redrock ~15 s) */
    | { kind: "slow"; ms: number }
    /** answers HTTP 200, success:true with this Result: shapes a real tenant may send that the emulator does not make itself */
    | { kind: "result"; result: unknown };

/**
 * Where the platform's behaviour is not known for certain ((M)/(L) in the reference), the emulator can play each
 * reading, so that a client is tested against all of them. The defaults are the readings the reference states.
 */
export interface PlatformQuirks {
    /**
     * How Redrock and DirectoryServiceQuery read `Args.Limit`: "per-answer" (default: at most Limit rows in each
     * answer) or "total" (a cap on the whole result: rows past Limit are never returned, so a client sending
     * Limit = PageSize gets an empty page 2). FullCount counts every matching row either way.
     */
    limit?: "per-answer" | "total";
    /**
     * true: the User table stores user names lower-cased and `WHERE Username='...'` compares case-sensitively,
     * as CyberArk's SDKs lower-casing the name suggests (L). Default false: names as the directory has them,
     * compared ignoring case.
     */
    lowerCaseUserNames?: boolean;
    /**
     * How a call with an expired, revoked or unknown token is answered: "http-401" (default) or "envelope":
     * HTTP 200 with success:false, ErrorCode 401 and Message "Not authenticated" (seen by long-running callers).
     */
    unauthenticated?: "http-401" | "envelope";
}

export interface Emulator {
    /** tenant root, e.g. http://127.0.0.1:54321 */
    url: string;
    /** every request, in order (token calls included); clear with calls.length = 0 */
    calls: CallRecord[];
    /** the calls that changed the portal: to an endpoint that writes (invite, remove, role updates), answered success:true */
    writes(): CallRecord[];
    /** the next `count` matching calls answer with the fault ("hang": never answer until closed) */
    injectFaults(fault: Fault, count: number, match?: { path?: RegExp }): void;
    /** drops every fault not used yet */
    clearFaults(): void;
    /** every token issued so far is now refused as unauthenticated (new tokens work) */
    revokeTokens(): void;
    state: EmulatorState;
    /** stops listening and ends every open connection, hung requests included */
    close(): Promise<void>;
}

export interface EmulatorOptions {
    seed: EmulatorSeed;
    /** 0 (default) = a free port */
    port?: number;
    /** default 127.0.0.1 */
    host?: string;
    /** called after each call is recorded (the CLI logs with it) */
    onCall?: (call: CallRecord) => void;
    /** readings of undocumented behaviour (see PlatformQuirks) */
    quirks?: PlatformQuirks;
}
