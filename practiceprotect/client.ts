import { PartialFailureError, PracticeProtectError } from "./errors";
import { NATIVE_CLIENT_HEADERS } from "./headers";
import { portalUsersScript, rolesScript } from "./redrock";
import { DEFAULT_CALL_BUDGET_SECONDS, DEFAULT_REQUEST_TIMEOUT_SECONDS, type PracticeProtectSettings } from "./settings";
import { describeBody, TokenSource } from "./token";
import { fetchWithRetry, RetryPolicy, retryPolicyFrom } from "./transport";

export interface Directory {
    uuid: string;
    name: string;
    displayName: string;
    service: string;
}

/** A user of a directory source (e.g. Azure AD), whether or not they are in the portal yet. */
export interface DirectoryUser {
    uuid: string;
    userName: string;
    displayName: string;
    directoryServiceUuid: string;
    email?: string;
    status?: string;
}

/** A user who is in the portal (invited). */
export interface PortalUser {
    uuid: string;
    userName: string;
    displayName?: string;
    email?: string;
    mobileNumber?: string;
    status?: string;
    directoryServiceUuid?: string;
}

export interface Role {
    id: string;
    name: string;
    description?: string;
}

export interface RoleMember {
    guid: string;
    name: string;
    type: string;
}

type Row = Record<string, unknown>;
type QueryAnswer = { FullCount?: number; Results?: { Row: Row; Entities?: { Type?: string; Key?: string }[] }[] };

/**
 * `Args.Limit` on paged calls. Callers that page keep it large and the page small (ark-sdk-python's
 * DirectorySearchArgs: Limit 100000; a SailPoint connector: PageSize 100, Limit 100000); none sends
 * Limit = PageSize, because where the platform reads Limit as a cap on the whole result, page 2 would be empty.
 * A constant works under both readings (a cap per answer, or on the whole result).
 */
export const DEFAULT_LIST_LIMIT = 100_000;
const MAX_PAGES = 10_000;

export type ClientSettings = Pick<PracticeProtectSettings, "url" | "signIn" | "oauthAppId" | "clientId" | "clientSecret" | "scope" | "pageSize">;

export interface ClientOptions {
    /** Retries and time budgets; default: from the settings' requestTimeoutSeconds and callBudgetSeconds. */
    policy?: RetryPolicy;
    /** `Args.Limit` sent with paged calls (default DEFAULT_LIST_LIMIT). */
    listLimit?: number;
}

/**
 * A typed client for the Practice Protect (CyberArk Identity) calls this project makes
 * (../shared/practice-protect-api.md). It knows HTTP and the platform's quirks, nothing of Pulumi.
 */
export class PracticeProtectClient {
    private readonly tokens: TokenSource;

    /** The scope the platform says the client's token was issued for, once it has one. */
    get grantedScope(): string | undefined {
        return this.tokens.grantedScope;
    }
    private readonly policy: RetryPolicy;
    private readonly listLimit: number;

    constructor(
        private readonly settings: ClientSettings & Partial<Pick<PracticeProtectSettings, "requestTimeoutSeconds" | "callBudgetSeconds">>,
        options: ClientOptions = {},
    ) {
        this.policy =
            options.policy ??
            retryPolicyFrom({ requestTimeoutSeconds: settings.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS, callBudgetSeconds: settings.callBudgetSeconds ?? DEFAULT_CALL_BUDGET_SECONDS });
        this.listLimit = Math.max(options.listLimit ?? DEFAULT_LIST_LIMIT, settings.pageSize);
        this.tokens = new TokenSource(settings, this.policy);
    }

    /**
     * One platform call: POST JSON with the native-client headers and a bearer token. Unwraps the envelope:
     * `success: false` becomes an error naming the endpoint. A token the platform no longer accepts (HTTP 401, or
     * HTTP 200 with `success: false` and ErrorCode 401 / "Not authenticated", as long-running callers see for
     * expired or revoked tokens) gets one new token and one more try: the call was not carried out, so even a
     * write is safe to repeat.
     */
    async call<T = unknown>(endpoint: string, body: unknown, query = ""): Promise<T> {
        const first = await this.attempt<T>(endpoint, body, query);
        if (!("unauthenticated" in first)) return first.result;
        this.tokens.invalidate();
        const second = await this.attempt<T>(endpoint, body, query);
        if (!("unauthenticated" in second)) return second.result;
        throw new PracticeProtectError(endpoint, `not authenticated (${second.unauthenticated}) with a fresh token; check that the client's scope allows this path and its role has the rights`, {
            status: second.status,
            unauthenticated: true,
        });
    }

    private async attempt<T>(endpoint: string, body: unknown, query: string): Promise<{ result: T } | { unauthenticated: string; status: number }> {
        const response = await this.send(endpoint, body, query);
        if (response.status === 401) {
            void response.body?.cancel().catch(() => undefined);
            return { unauthenticated: "HTTP 401", status: 401 };
        }
        const text = await response.text();
        if (response.status === 429 || response.status >= 500) {
            throw new PracticeProtectError(endpoint, `still HTTP ${response.status} after retrying with backoff (at most ${this.policy.maxAttempts} attempts in ${this.policy.totalTimeoutMs / 1000} s); Practice Protect is overloaded or failing: run pulumi up again later, it resumes where this run stopped`, {
                status: response.status,
            });
        }
        let envelope: { success?: boolean; Result?: unknown; Message?: string | null; ErrorID?: string | null; ErrorCode?: unknown };
        try {
            envelope = JSON.parse(text);
        } catch {
            throw new PracticeProtectError(endpoint, `answered HTTP ${response.status} with ${describeBody(text)} instead of JSON; check practiceprotect:url (the tenant root)`, { status: response.status });
        }
        if (!response.ok) {
            throw new PracticeProtectError(endpoint, `HTTP ${response.status}${envelope.Message ? `: ${envelope.Message}` : ""}`, { status: response.status, errorId: envelope.ErrorID ?? undefined });
        }
        if (envelope.success !== true && isNotAuthenticated(envelope)) {
            return { unauthenticated: `HTTP ${response.status}, success: false, ErrorCode ${String(envelope.ErrorCode ?? "none")}: ${envelope.Message ?? "no message"}`, status: response.status };
        }
        if (envelope.success !== true) {
            const errorId = envelope.ErrorID ?? undefined;
            throw new PracticeProtectError(endpoint, `${envelope.Message ?? "the call failed without a message"}${errorId ? ` (ErrorID ${errorId})` : ""}`, {
                status: response.status,
                errorId,
                platformMessage: envelope.Message ?? undefined,
            });
        }
        return { result: envelope.Result as T };
    }

    private async send(endpoint: string, body: unknown, query: string): Promise<Response> {
        const token = await this.tokens.get();
        return fetchWithRetry(endpoint, `${this.settings.url}${endpoint}${query}`, {
            method: "POST",
            headers: { ...NATIVE_CLIENT_HEADERS, "Content-Type": "application/json", Authorization: `Bearer ${token}` },
            body: JSON.stringify(body),
        }, this.policy);
    }

    async listDirectories(): Promise<Directory[]> {
        const result = await this.call<{ Results?: { Row: Row }[] }>("/Core/GetDirectoryServices", {});
        return (result?.Results ?? []).map(({ Row: r }) => ({
            uuid: String(r.directoryServiceUuid ?? r.DirectoryServiceUuid ?? ""),
            name: String(r.Name ?? ""),
            displayName: String(r.DisplayName ?? r.Name ?? ""),
            service: String(r.Service ?? ""),
        }));
    }

    /** The directory source by uuid or by display name (exact, ignoring case). */
    async findDirectory(nameOrUuid: string): Promise<Directory> {
        const directories = await this.listDirectories();
        const wanted = nameOrUuid.toLowerCase();
        const matches = directories.filter((d) => d.uuid.toLowerCase() === wanted || d.displayName.toLowerCase() === wanted || d.name.toLowerCase() === wanted);
        if (matches.length === 1) return matches[0];
        const known = directories.map((d) => `'${d.displayName}' (${d.uuid})`).join(", ") || "none";
        throw new PracticeProtectError(
            "/Core/GetDirectoryServices",
            matches.length === 0
                ? `no directory source is named '${nameOrUuid}'; practiceprotect:directory must be one of: ${known}`
                : `${matches.length} directory sources match '${nameOrUuid}'; set practiceprotect:directory to the uuid of one: ${known}`,
        );
    }

    /**
     * A user of a directory source by user name (the UPN). The platform's `_like` is a pattern match, so the
     * answer is filtered to the exact name, ignoring case.
     */
    async findDirectoryUser(directoryUuid: string, userName: string): Promise<DirectoryUser | undefined> {
        const endpoint = "/UserMgmt/DirectoryServiceQuery";
        const filter = { _and: [{ SystemName: { _like: userName } }, { ObjectType: "user" }] };
        const result = await this.call<{ User?: QueryAnswer }>(endpoint, {
            // The platform wants the filter as a JSON string; the object form does not work.
            user: JSON.stringify(filter),
            directoryServices: [directoryUuid],
            // One page: a _like match finds the user and a few whose names contain theirs.
            Args: { PageNumber: 1, PageSize: this.settings.pageSize, Limit: this.listLimit, SortBy: "", Caching: -1 },
        });
        const answers = result?.User?.Results ?? [];
        // Samples show ObjectType "User"; the filter says "user": compare ignoring case.
        const exact = answers.filter(({ Row: r }) => String(r.SystemName ?? "").toLowerCase() === userName.toLowerCase() && String(r.ObjectType ?? "user").toLowerCase() === "user");
        if (exact.length > 1) throw new PracticeProtectError(endpoint, `${exact.length} users in the directory source are named '${userName}'; fix the duplicate in Entra`);
        if (exact.length === 0 && (result?.User?.FullCount ?? 0) > answers.length) {
            throw new PracticeProtectError(endpoint, `${result!.User!.FullCount} users match '${userName}' but only ${answers.length} came back; refusing to report the user missing from a partial answer`);
        }
        if (!exact[0]) return undefined;
        const { Row: r, Entities: entities } = exact[0];
        // Some callers take the id from Entities[0].Key rather than InternalName (reference, "Seen in real callers").
        const uuid = optional(r.InternalName) ?? optional(entities?.[0]?.Key);
        if (!uuid) throw new PracticeProtectError(endpoint, `the directory row for '${userName}' carries no id (neither InternalName nor Entities[0].Key)`);
        return {
            uuid,
            userName: String(r.SystemName),
            displayName: String(r.DisplayName ?? ""),
            directoryServiceUuid: String(r.DirectoryServiceUuid ?? directoryUuid),
            email: optional(r.EMail),
            status: optional(r.Status),
        };
    }

    /**
     * A Redrock query, every row: pages of `pageSize` until FullCount rows are read. A listing that comes back
     * short of FullCount (a page with fewer rows than remain, or FullCount changing between pages) is an error,
     * never a partial answer: a user missing from the listing would be reported gone.
     */
    async query(script: string): Promise<Row[]> {
        const endpoint = "/Redrock/query";
        const pageSize = this.settings.pageSize;
        const rows: Row[] = [];
        let fullCount: number | undefined;
        for (let page = 1; page <= MAX_PAGES; page++) {
            const result = await this.call<QueryAnswer>(endpoint, {
                Script: script,
                Args: { PageNumber: page, PageSize: pageSize, Limit: this.listLimit, SortBy: "", Caching: -1 },
            });
            const batch = (result?.Results ?? []).map((r) => r.Row);
            const count = result?.FullCount;
            if (typeof count !== "number") {
                if (page === 1 && batch.length < pageSize) return batch;
                throw new PracticeProtectError(endpoint, `answered page ${page} without FullCount, so whether the listing is complete cannot be told: ${script}`);
            }
            fullCount ??= count;
            if (count !== fullCount) {
                throw new PracticeProtectError(endpoint, `FullCount went from ${fullCount} to ${count} between pages (the portal changed while it was listed); run again: ${script}`);
            }
            const expected = Math.min(pageSize, fullCount - rows.length);
            rows.push(...batch);
            if (rows.length >= fullCount) return rows;
            if (batch.length < expected) {
                throw new PracticeProtectError(
                    endpoint,
                    `listing ended short: page ${page} brought ${batch.length} of the ${expected} rows expected, ${rows.length} of FullCount ${fullCount} in all ` +
                        `(PageSize ${pageSize}, Limit ${this.listLimit}); refusing a partial listing: ${script}`,
                );
            }
        }
        throw new PracticeProtectError(endpoint, `more than ${MAX_PAGES} pages of ${pageSize} rows; raise practiceprotect:pageSize: ${script}`);
    }

    /** Every user in the portal: one paged listing, cheaper on a big tenant than one query per user. */
    async listPortalUsers(): Promise<PortalUser[]> {
        return (await this.query(portalUsersScript())).map(toPortalUser);
    }

    /**
     * A portal user by user name (exact, ignoring case), or undefined when they are not in the portal. The name
     * is lower-cased in the WHERE clause as CyberArk's own SDKs do (ark-sdk-golang
     * pkg/services/identity/users/ark_identity_users_service.go: `strings.ToLower(user.Username)`), which
     * suggests the platform stores user names lower-cased and compares them case-sensitively.
     */
    async findPortalUser(userName: string): Promise<PortalUser | undefined> {
        const rows = (await this.query(portalUsersScript(userName.toLowerCase()))).filter((r) => String(r.Username ?? "").toLowerCase() === userName.toLowerCase());
        if (rows.length > 1) throw new PracticeProtectError("/Redrock/query", `${rows.length} portal users are named '${userName}'`);
        return rows[0] && toPortalUser(rows[0]);
    }

    /** Adds directory users to the portal, in one call; `email` sends the invitation e-mail. */
    async inviteUsers(users: { uuid: string; userName: string }[], options: { email: boolean }): Promise<void> {
        if (users.length === 0) return;
        const endpoint = "/UserMgmt/InviteUsers";
        const result = await this.call<unknown>(endpoint, {
            Entities: users.map((u) => ({ Type: "User", Guid: u.uuid, Name: u.userName })),
            EmailInvite: options.email,
            SmsInvite: false,
            GroupInvite: false,
        });
        throwOnItemFailures(endpoint, result);
    }

    /** Removes portal accounts (directory-sourced users stay in the directory). */
    async removeUsers(uuids: string[]): Promise<void> {
        if (uuids.length === 0) return;
        const endpoint = "/UserMgmt/RemoveUsers";
        throwOnItemFailures(endpoint, await this.call<unknown>(endpoint, { Users: uuids }));
    }

    async listRoles(): Promise<Role[]> {
        return (await this.query(rolesScript())).map(toRole);
    }

    /** The role with exactly this name (ignoring case); a clear error naming the roles that exist otherwise. */
    async findRole(name: string): Promise<Role> {
        const matches = (await this.query(rolesScript(name))).map(toRole).filter((r) => r.name.toLowerCase() === name.toLowerCase());
        if (matches.length === 1) return matches[0];
        if (matches.length > 1) {
            throw new PracticeProtectError("/Redrock/query", `${matches.length} roles are named '${name}' (ids ${matches.map((r) => r.id).join(", ")}); rename one in the portal`);
        }
        const existing = (await this.listRoles()).map((r) => `'${r.name}'`).sort().join(", ");
        throw new PracticeProtectError("/Redrock/query", `no role is named '${name}'; the portal's roles are: ${existing || "none"}`);
    }

    /**
     * All members of a role. The platform ignores paging here and returns the whole role, with FullCount and
     * `hasMoreRows: false` (reference, "Seen in real callers"); an answer that says otherwise is an error, never a
     * partial member list. Members may be orphans (their user deleted): they come back like any other.
     */
    async getRoleMembers(roleId: string): Promise<RoleMember[]> {
        const endpoint = "/Roles/GetRoleMembers";
        const result = await this.call<QueryAnswer & { hasMoreRows?: boolean; HasMoreRows?: boolean }>(endpoint, { Name: roleId });
        const rows = result?.Results ?? [];
        const more = result?.hasMoreRows ?? result?.HasMoreRows;
        if (more === true || (typeof result?.FullCount === "number" && result.FullCount > rows.length)) {
            throw new PracticeProtectError(endpoint, `role ${roleId} came back with ${rows.length} of ${result?.FullCount ?? "more"} members (hasMoreRows: ${String(more)}); refusing a partial member list`);
        }
        return rows.map(({ Row: r }) => ({ guid: String(r.Guid), name: optional(r.Name) ?? String(r.Guid), type: String(r.Type ?? "User") }));
    }

    /** Adds and removes role members in one call; nothing is sent when there is nothing to change. */
    async updateRoleMembers(roleId: string, changes: { add: string[]; remove: string[] }): Promise<void> {
        if (changes.add.length === 0 && changes.remove.length === 0) return;
        await this.call("/Roles/UpdateRole", { Name: roleId, Users: { Add: changes.add, Delete: changes.remove } });
    }
}

function toPortalUser(r: Row): PortalUser {
    return {
        uuid: String(r.ID),
        userName: String(r.Username),
        displayName: optional(r.DisplayName),
        email: optional(r.Email),
        mobileNumber: optional(r.MobileNumber),
        status: optional(r.Status),
        directoryServiceUuid: optional(r.DirectoryServiceUuid),
    };
}

/** The envelope of a call made with a token the platform no longer accepts (seen on HTTP 200 by long-running callers). */
function isNotAuthenticated(envelope: { ErrorCode?: unknown; Message?: string | null }): boolean {
    return String(envelope.ErrorCode ?? "") === "401" || /^\s*not authenticated\b/i.test(envelope.Message ?? "");
}

const toRole = (r: Row): Role => ({ id: String(r.ID), name: String(r.Name ?? ""), description: optional(r.Description) });

const optional = (value: unknown) => (value === null || value === undefined || value === "" ? undefined : String(value));

/**
 * Batch calls can succeed overall yet fail for some items, listed in `Result.Exceptions.User` (reference: M).
 * The shape is not documented, so accept a list of entries or a map of id to message.
 */
function throwOnItemFailures(endpoint: string, result: unknown): void {
    const users = (result as { Exceptions?: { User?: unknown } } | null)?.Exceptions?.User;
    if (!users) return;
    const entries: { id: string; message: string }[] = Array.isArray(users)
        ? users.map((u) =>
              typeof u === "object" && u !== null
                  ? { id: String((u as Row).ID ?? (u as Row).Id ?? (u as Row).Guid ?? (u as Row).Key ?? "?"), message: String((u as Row).Message ?? (u as Row).Error ?? (u as Row).Value ?? JSON.stringify(u)) }
                  : { id: String(u), message: "failed" },
          )
        : Object.entries(users as Row).map(([id, message]) => ({ id, message: String(message) }));
    if (entries.length) throw new PartialFailureError(endpoint, entries);
}
