import type { TokenCredential } from "@azure/identity";
import type { Client } from "@microsoft/microsoft-graph-client";
import { allPages } from "../../graph/client";
import { readAdoptionFacts, type AdoptionFacts } from "../../graph/adoptionReads";
import { listGroupMemberIds } from "../../graph/groupMembers";
import { listRoleAssignableGroups } from "../../graph/groups";
import { listRoleAssignmentsOf, listRoleAssignmentsOfPrincipals } from "../../graph/roleAssignments";
import { readUsersById } from "../../graph/users";
import { graphErrorOf, listSubscribedSkus, listUsersLicenses, type SubscribedSku, type UserLicenses } from "../../graph/licenses";
import type { Probed } from "../check";
import type { GraphGroup } from "../existingGroupsCheck";
import type { TenantDomain } from "../serviceAccountDomainCheck";

/** What the doctor reads from Microsoft Graph, GET requests only. */
export interface GraphConnection {
    client: Client;
    credential: TokenCredential;
}

/** What a Graph access token says about its holder: the only part of the token the doctor keeps. */
export interface TokenClaims {
    /** application permissions (app-only tokens) */
    roles: string[];
    /** a user's token (delegated: the Azure CLI's account), which carries `scp` instead of application permissions */
    delegated: boolean;
    /** the service principal's object id */
    oid?: string;
    appid?: string;
    tid?: string;
}

const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/**
 * Gets a token as the Graph client would and reads its claims. The token itself is dropped here and never returned,
 * logged or printed. Microsoft documents `roles` as the claim carrying an app's application permissions ("Access
 * token claims reference"); a token that is not a readable JWT gives no claims.
 */
export async function tokenClaims(credential: TokenCredential): Promise<Probed<TokenClaims>> {
    let token: string;
    try {
        const answer = await credential.getToken(GRAPH_SCOPE);
        if (!answer?.token) return { ok: false, error: "the credential returned no token" };
        token = answer.token;
    } catch (e) {
        return { ok: false, error: firstLine(e instanceof Error ? e.message : String(e)) };
    }
    try {
        const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
        const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
        const text = (v: unknown) => (typeof v === "string" ? v : undefined);
        // "Access token claims reference": scp holds a user's delegated scopes; idtyp is "app" for app-only tokens.
        const delegated = typeof payload.scp === "string" || payload.idtyp === "user";
        return { ok: true, value: { roles, delegated, oid: text(payload.oid), appid: text(payload.appid) ?? text(payload.azp), tid: text(payload.tid) } };
    } catch {
        return { ok: true, value: { roles: [], delegated: false } };
    }
}

/** Graph's error as one printable line: status, code and message (Graph's messages carry no credentials). */
export function graphFailure(e: unknown): { ok: false; error: string; status?: number; code?: string } {
    const { statusCode, code, message } = graphErrorOf(e);
    return { ok: false, error: `${statusCode ? `HTTP ${statusCode} ` : ""}${code ? `${code}: ` : ""}${firstLine(message)}`, status: statusCode, code };
}

async function probe<T>(read: () => Promise<T>): Promise<Probed<T>> {
    try {
        return { ok: true, value: await read() };
    } catch (e) {
        return graphFailure(e);
    }
}

/**
 * The role definitions (built-in: template ids) assigned tenant-wide to a principal:
 * GET /roleManagement/directory/roleAssignments?$filter=principalId eq '...' ("List unifiedRoleAssignments":
 * principalId supports $filter eq; RoleManagement.Read.Directory).
 */
export function directoryRolesOf(client: Client, principalId: string): Promise<Probed<string[]>> {
    return probe(async () => (await listRoleAssignmentsOf(client, principalId)).filter((a) => a.directoryScopeId === "/").map((a) => a.roleDefinitionId));
}

/** Groups with this display name ("List groups": $filter displayName eq, Group.Read.All). */
export function groupsNamed(client: Client, name: string): Promise<Probed<GraphGroup[]>> {
    return probe(async () => {
        const first = await client
            .api("/groups")
            .version("v1.0")
            .filter(`displayName eq '${name.replace(/'/g, "''")}'`)
            .select(["id", "displayName", "groupTypes", "mailEnabled", "securityEnabled", "onPremisesSyncEnabled", "isAssignableToRole"])
            .get();
        return allPages<GraphGroup>(client, first);
    });
}

/**
 * The adopted accounts, the tenant's role-assignable groups with the members of those that carry a role, and the
 * roles all of them and the named groups hold: the reads `pulumi preview` makes (graph/adoptionReads.ts; User.Read.All,
 * Group.Read.All, RoleManagement.Read.Directory).
 */
export function adoptionFacts(client: Client, adoptedIds: readonly string[], namedGroupIds: readonly string[]): Promise<Probed<AdoptionFacts>> {
    const reads = {
        usersById: (ids: readonly string[]) => readUsersById(client, ids),
        roleAssignmentsOf: (ids: readonly string[]) => listRoleAssignmentsOfPrincipals(client, ids),
        roleAssignableGroups: () => listRoleAssignableGroups(client),
        groupMemberIds: (id: string) => listGroupMemberIds(client, id),
    };
    return probe(() => readAdoptionFacts(reads, adoptedIds, namedGroupIds, adoptedIds.length > 0));
}

/** The tenant's domains ("List domains": Domain.Read.All). */
export function tenantDomains(client: Client): Promise<Probed<TenantDomain[]>> {
    return probe(async () => allPages<TenantDomain>(client, await client.api("/domains").version("v1.0").get()));
}

export const subscribedSkus = (client: Client): Promise<Probed<SubscribedSku[]>> => probe(() => listSubscribedSkus(client));
export const usersLicenses = (client: Client): Promise<Probed<UserLicenses[]>> => probe(() => listUsersLicenses(client));

const firstLine = (text: string) => text.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? text;
