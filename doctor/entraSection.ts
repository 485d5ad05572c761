import { GraphCredentialError, type Environment } from "../graph";
import type { SubscribedSku, UserLicenses } from "../graph/licenses";
import { ADMIN_ROLE_NAMES, type AdminRoleName, type ExistingGroupRef, type ResolvedUser } from "../model";
import { roleAssignableGroupsOf } from "../model/sensitiveUpdates";
import { probedValue, type Check, type Probed } from "./check";
import { existingGroupsCheck, type GraphGroup } from "./existingGroupsCheck";
import { deployingNeeds, permissionsCheck, readOnlyNeeds } from "./graphPermissions";
import type { Identity } from "./identity";
import { licencesCheck } from "./licencesCheck";
import { adoptionFacts, directoryRolesOf, groupsNamed, subscribedSkus, tenantDomains, tokenClaims, usersLicenses, type GraphConnection } from "./probes/graphProbe";
import type { AdoptionFacts } from "../graph/adoptionReads";
import { adoptedAccountsCheck } from "./adoptedAccountsCheck";
import { roleAssignableGroupsCheck } from "./roleAssignableGroupsCheck";
import { heldRoles } from "../model/directoryRoles";
import { directoryRolesCheck, roleNamesOf, type PrivilegedUser } from "./sensitiveUpdateRoles";
import { serviceAccountDomainCheck } from "./serviceAccountDomainCheck";
import type { StackFiles } from "./stackSection";
import { usageLocationCheck } from "./usageLocationCheck";

const SECTION = "Entra ID" as const;
const skip = (id: string, title: string, detail: string): Check => ({ id, section: SECTION, title, verdict: "skip", detail });

const LATER_CHECKS: [string, string][] = [
    ["entra.permissions", "Graph permissions"],
    ["entra.directoryRoles", "Directory roles for sensitive updates"],
    ["entra.groups", "Existing groups"],
    ["entra.roleAssignableGroups", "Role-assignable groups"],
    ["entra.adoptedAccounts", "Adopted accounts"],
    ["entra.licences", "Licences and seats"],
    ["entra.usageLocation", "Usage location for licences"],
    ["entra.serviceAccountDomain", "Service account domain"],
];

/** How the sign-in was chosen, for advice on a failed one: the azuread provider's own order (graph/credential.ts). */
function signInAdvice(env: Environment): string[] {
    if (env.ARM_USE_OIDC?.toLowerCase() === "true") {
        return [
            "OIDC: the app (ARM_CLIENT_ID) needs a federated credential whose subject is this job's (repo:ORG/REPO:environment:<environment>), and the job needs permissions: id-token: write (docs/ci-and-permissions.md, \"Two identities\").",
            "Check ARM_TENANT_ID (or azuread:tenantId) names the firm's tenant.",
        ];
    }
    if (env.ARM_CLIENT_SECRET) return ["Check ARM_CLIENT_ID and ARM_CLIENT_SECRET: the secret's value (not its id), not expired (App registrations > Certificates & secrets); and ARM_TENANT_ID (or azuread:tenantId)."];
    return ["Locally: az login --tenant <tenant id> (the Azure CLI's account is used when no ARM_CLIENT_SECRET or ARM_USE_OIDC is set), or set ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET."];
}

/** The people whose every update is sensitive, with the roles that make it so, and the service account. */
function privilegedUsers(stack: StackFiles): PrivilegedUser[] {
    const model = stack.model;
    const users: PrivilegedUser[] = (model?.users ?? [])
        .map((u) => ({ key: u.key, roles: [...new Set([...u.adminRoles, ...u.suspendedAdminRoles])] as AdminRoleName[], roleAssignableGroups: model ? roleAssignableGroupsOf(u, model) : [] }))
        .filter((u) => u.roles.length > 0 || u.roleAssignableGroups.length > 0);
    const access = stack.settings?.serviceAccount?.access;
    if (access) users.push({ key: "the practiceprotect service account", roles: [access === "full" ? "Global Administrator" : "Exchange Administrator"] });
    return users.filter((u) => u.roles.every((r) => ADMIN_ROLE_NAMES.includes(r)));
}

/**
 * Signs in to Graph as `pulumi up` would, then reads (GET only) what the checks need: the token's claims, the
 * identity's directory roles, the existing groups users.yaml names, the accounts it adopts and the roles they and the
 * role-assignable groups hold (one listing), subscriptions and everyone's licences, the domains.
 */
export async function entraSection(identity: Identity, stack: StackFiles, env: Environment, connect: (env: Environment, tenantId?: string) => GraphConnection): Promise<Check[]> {
    const tenantId = stack.config.settings["azuread:tenantId"] ?? env.ARM_TENANT_ID;
    const tokenBase = { id: "entra.token", section: SECTION, title: "Graph token" };
    const failedSignIn = (error: string): Check[] => [
        { ...tokenBase, verdict: "fail", detail: `no token for Microsoft Graph: ${error}`, advice: signInAdvice(env) },
        ...LATER_CHECKS.map(([id, title]) => skip(id, title, "not checked: no Graph token")),
    ];
    let connection: GraphConnection;
    try {
        connection = connect(env, tenantId);
    } catch (e) {
        if (e instanceof GraphCredentialError) return failedSignIn(e.message);
        throw e;
    }
    const claims = await tokenClaims(connection.credential);
    if (!claims.ok) return failedSignIn(claims.error);
    const { roles, oid, appid, tid, delegated } = claims.value;
    const who = delegated ? `a user (object id ${oid ?? "?"}) through app ${appid ?? "?"}` : `app ${appid ?? "?"} (service principal ${oid ?? "?"})`;
    const checks: Check[] = [{ ...tokenBase, verdict: "pass", detail: `obtained for ${who} in tenant ${tid ?? tenantId ?? "?"}` }];
    const model = stack.model;
    if (!model) return [...checks, ...LATER_CHECKS.map(([id, title]) => skip(id, title, "not checked: users.yaml has errors"))];

    const client = connection.client;
    const serviceAccount = stack.settings?.serviceAccount;
    const use = { licences: model.users.some((u) => u.licenses.length > 0), initialDomainLookup: serviceAccount !== undefined && serviceAccount.domain === undefined };
    checks.push(permissionsCheck(identity, roles, identity === "deploying" ? deployingNeeds(use) : readOnlyNeeds(use), { clientId: appid, delegated }));

    if (identity === "read-only") {
        checks.push(skip("entra.directoryRoles", "Directory roles for sensitive updates", "not checked as the read-only identity, which updates no one: run the doctor as the deploying identity to check it"));
    } else if (!oid) {
        checks.push({ id: "entra.directoryRoles", section: SECTION, title: "Directory roles for sensitive updates", verdict: "warn", detail: "the token names no service principal (oid), so its directory roles could not be read" });
    } else {
        const held = await directoryRolesOf(client, oid);
        checks.push(
            held.ok
                ? directoryRolesCheck(roleNamesOf(held.value), privilegedUsers(stack), { clientId: appid })
                : {
                      id: "entra.directoryRoles",
                      section: SECTION,
                      title: "Directory roles for sensitive updates",
                      verdict: "fail",
                      detail: `the identity's role assignments could not be read: ${held.error}`,
                      advice: ["Grant RoleManagement.ReadWrite.Directory (the deployment needs it anyway), then run the doctor again."],
                  },
        );
    }

    const found = new Map<string, Probed<GraphGroup[]>>();
    for (const group of model.existingGroups) found.set(group.name.toLowerCase(), await groupsNamed(client, group.name));
    checks.push(existingGroupsCheck(model.existingGroups, found));
    checks.push(...(await adoptionChecks(client, model.users, model.existingGroups, found)));

    if (use.licences) {
        const [skus, current] = await Promise.all([subscribedSkus(client), usersLicenses(client)]);
        if (skus.ok && current.ok) {
            checks.push(licencesCheck(model.users, skus.value as SubscribedSku[], current.value as UserLicenses[], stack.settings?.removeLicensesOnOffboarding ?? false));
            checks.push(usageLocationCheck(model.users, current.value));
        } else {
            const why = [skus, current].filter((p): p is Extract<typeof p, { ok: false }> => !p.ok).map((p) => p.error).join("; ");
            const advice = ["The identity needs Organization.Read.All (subscriptions) and User.Read.All or User.ReadWrite.All (who holds what)."];
            checks.push({ id: "entra.licences", section: SECTION, title: "Licences and seats", verdict: "fail", detail: `the tenant's licences could not be read: ${why}`, advice });
            checks.push(skip("entra.usageLocation", "Usage location for licences", "not checked: the users' licences could not be read"));
        }
    } else {
        checks.push(licencesCheck(model.users, [], [], false), usageLocationCheck(model.users, []));
    }

    if (!serviceAccount) checks.push(serviceAccountDomainCheck(undefined, []));
    else {
        const domains = await tenantDomains(client);
        // With serviceAccountDomain set the program reads no domain, so an identity without Domain.Read.All can still deploy.
        const unread = (verdict: "fail" | "warn", more: string): Check => ({
            id: "entra.serviceAccountDomain",
            section: SECTION,
            title: "Service account domain",
            verdict,
            detail: `the tenant's domains could not be read${more}: ${domains.ok ? "" : domains.error}`,
            advice: ["Grant Domain.Read.All (App registrations > API permissions, then admin consent)."],
        });
        checks.push(domains.ok ? serviceAccountDomainCheck(serviceAccount, domains.value) : serviceAccount.domain === undefined ? unread("fail", "") : unread("warn", `, so serviceAccountDomain ${serviceAccount.domain} was not compared with the initial domain (the deployment itself reads none)`));
    }
    return checks;
}

/**
 * Role-assignable groups and adopted accounts: the accounts users.yaml adopts are read by id, and the roles held by
 * them and by the role-assignable groups it names are read in one listing, as `pulumi preview` reads them.
 */
async function adoptionChecks(client: GraphConnection["client"], users: readonly ResolvedUser[], groups: readonly ExistingGroupRef[], found: ReadonlyMap<string, Probed<GraphGroup[]>>): Promise<Check[]> {
    const unique = new Map<string, GraphGroup>();
    for (const group of groups) {
        const answer = found.get(group.name.toLowerCase());
        if (answer?.ok && answer.value.length === 1) unique.set(group.name.toLowerCase(), answer.value[0]);
    }
    const roleGroupIds = [...unique.values()].filter((g) => g.isAssignableToRole === true).map((g) => g.id);
    const adopted = users.filter((u) => u.objectId !== undefined);
    const facts = adopted.length || roleGroupIds.length ? await adoptionFacts(client, adopted.map((u) => u.objectId!), roleGroupIds) : probedValue<AdoptionFacts>({ accounts: [], assignments: [], throughGroups: new Map() });
    const direct = (principalId: string) => (facts.ok ? facts.value.assignments.filter((a) => a.principalId.toLowerCase() === principalId.toLowerCase()) : []);
    const rolesOf = (objectId: string) => heldRoles([...direct(objectId), ...((facts.ok && facts.value.throughGroups.get(objectId.toLowerCase())) || [])]);
    const groupRoles = facts.ok ? new Map(roleGroupIds.map((id) => [id.toLowerCase(), heldRoles(direct(id))])) : { error: facts.error };
    const checks: Check[] = [roleAssignableGroupsCheck(groups, unique, groupRoles)];
    const advice = ["The identity needs User.Read.All (the accounts), Group.Read.All (role-assignable groups and their members) and RoleManagement.Read.Directory (the roles); the deploying identity's User.ReadWrite.All, Group.ReadWrite.All and RoleManagement.ReadWrite.Directory include them."];
    if (!facts.ok) {
        checks.push({ id: "entra.adoptedAccounts", section: SECTION, title: "Adopted accounts", verdict: adopted.length ? "fail" : "pass", detail: adopted.length ? `the adopted accounts could not be read: ${facts.error}` : "users.yaml adopts no existing account (no objectId)", ...(adopted.length ? { advice } : {}) });
    } else {
        checks.push(adoptedAccountsCheck(users, new Map((facts.value.accounts ?? []).map((a) => [a.id.toLowerCase(), a])), rolesOf));
    }
    return checks;
}
