import { PartialFailureError, PracticeProtectError } from "./errors";
import { NATIVE_CLIENT_HEADERS } from "./headers";
import { portalUsersScript, rolesScript } from "./redrock";
import type { PracticeProtectSettings } from "./settings";
import { describeBody, TokenSource } from "./token";
import { DEFAULT_RETRY_POLICY, fetchWithRetry, RetryPolicy } from "./transport";

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
const PAGE_SIZE = 1000;
const MAX_PAGES = 1000;

/**
 * A typed client for the Practice Protect (CyberArk Identity) calls this project makes
 * (../shared/practice-protect-api.md). It knows HTTP and the platform's quirks, nothing of Pulumi.
 */
export class PracticeProtectClient {
    private readonly tokens: TokenSource;

    constructor(
        private readonly settings: Pick<PracticeProtectSettings, "url" | "oauthAppId" | "clientId" | "clientSecret" | "scope">,
        private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    ) {
        this.tokens = new TokenSource(settings, policy);
    }

    /**
     * One platform call: POST JSON with the native-client headers and a bearer token; on 401 a new token and
     * one more try. Unwraps the envelope: `success: false` becomes an error naming the endpoint.
     */
    async call<T = unknown>(endpoint: string, body: unknown, query = ""): Promise<T> {
        let response = await this.send(endpoint, body, query);
        if (response.status === 401) {
            void response.body?.cancel().catch(() => undefined);
            this.tokens.invalidate();
            response = await this.send(endpoint, body, query);
            if (response.status === 401) throw new PracticeProtectError(endpoint, "HTTP 401 with a fresh token; check that the OAuth client's scope allows this path", { status: 401 });
        }
        const text = await response.text();
        if (response.status === 429 || response.status >= 500) {
            throw new PracticeProtectError(endpoint, `still HTTP ${response.status} after retrying with backoff (at most ${this.policy.maxAttempts} attempts in ${this.policy.totalTimeoutMs / 1000} s); Practice Protect is overloaded or failing: run pulumi up again later, it resumes where this run stopped`, {
                status: response.status,
            });
        }
        let envelope: { success?: boolean; Result?: unknown; Message?: string | null; ErrorID?: string | null };
        try {
            envelope = JSON.parse(text);
        } catch {
            throw new PracticeProtectError(endpoint, `answered HTTP ${response.status} with ${describeBody(text)} instead of JSON; check practiceprotect:url (the tenant root)`, { status: response.status });
        }
        if (!response.ok) {
            throw new PracticeProtectError(endpoint, `HTTP ${response.status}${envelope.Message ? `: ${envelope.Message}` : ""}`, { status: response.status, errorId: envelope.ErrorID ?? undefined });
        }
        if (envelope.success !== true) {
            const errorId = envelope.ErrorID ?? undefined;
            throw new PracticeProtectError(endpoint, `${envelope.Message ?? "the call failed without a message"}${errorId ? ` (ErrorID ${errorId})` : ""}`, {
                status: response.status,
                errorId,
                platformMessage: envelope.Message ?? undefined,
            });
        }
        return envelope.Result as T;
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
        const result = await this.call<{ User?: { Results?: { Row: Row }[] } }>(endpoint, {
            // The platform wants the filter as a JSON string; the object form does not work.
            user: JSON.stringify(filter),
            directoryServices: [directoryUuid],
            Args: { PageNumber: 1, PageSize: PAGE_SIZE, Limit: PAGE_SIZE, SortBy: "", Caching: -1 },
        });
        const exact = (result?.User?.Results ?? [])
            .map(({ Row: r }) => r)
            .filter((r) => String(r.SystemName ?? "").toLowerCase() === userName.toLowerCase() && String(r.ObjectType ?? "user").toLowerCase() === "user");
        if (exact.length > 1) throw new PracticeProtectError(endpoint, `${exact.length} users in the directory source are named '${userName}'; fix the duplicate in Entra`);
        const r = exact[0];
        return r && {
            uuid: String(r.InternalName),
            userName: String(r.SystemName),
            displayName: String(r.DisplayName ?? ""),
            directoryServiceUuid: String(r.DirectoryServiceUuid ?? directoryUuid),
            email: optional(r.EMail),
            status: optional(r.Status),
        };
    }

    /** A Redrock query, every page: stops on FullCount. */
    async query(script: string): Promise<Row[]> {
        const rows: Row[] = [];
        for (let page = 1; page <= MAX_PAGES; page++) {
            const result = await this.call<{ FullCount?: number; Results?: { Row: Row }[] }>("/Redrock/query", {
                Script: script,
                Args: { PageNumber: page, PageSize: PAGE_SIZE, Limit: PAGE_SIZE, SortBy: "", Caching: -1 },
            });
            const batch = (result?.Results ?? []).map((r) => r.Row);
            rows.push(...batch);
            if (batch.length === 0 || rows.length >= (result?.FullCount ?? rows.length)) return rows;
        }
        throw new PracticeProtectError("/Redrock/query", `more than ${MAX_PAGES} pages for: ${script}`);
    }

    /** Every user in the portal: one paged listing, cheaper on a big tenant than one query per user. */
    async listPortalUsers(): Promise<PortalUser[]> {
        return (await this.query(portalUsersScript())).map(toPortalUser);
    }

    /** A portal user by user name (exact, ignoring case), or undefined when they are not in the portal. */
    async findPortalUser(userName: string): Promise<PortalUser | undefined> {
        const rows = (await this.query(portalUsersScript(userName))).filter((r) => String(r.Username ?? "").toLowerCase() === userName.toLowerCase());
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

    /** All members of a role. The platform ignores paging here and returns the whole role. */
    async getRoleMembers(roleId: string): Promise<RoleMember[]> {
        const result = await this.call<{ Results?: { Row: Row }[] }>("/Roles/GetRoleMembers", { Name: roleId });
        return (result?.Results ?? []).map(({ Row: r }) => ({ guid: String(r.Guid), name: String(r.Name ?? ""), type: String(r.Type ?? "User") }));
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
