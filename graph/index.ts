/** Microsoft Graph access: credentials from the azuread provider's environment, the Graph client, look-ups. */
import { Environment } from "./credential";
import type { DirectoryReader } from "./directory";
import { graphFromEnvironment } from "./environment";
import { listSubscribedSkus, listUsersLicenses } from "./licenses";
import { listRoleAssignmentsOfPrincipals } from "./roleAssignments";
import { readUsersById } from "./users";
import { listRoleAssignableGroups } from "./groups";
import { listGroupMemberIds } from "./groupMembers";

export { allPages, graphClient, GraphClientOptions } from "./client";
export { Environment, graphCredential, GraphCredentialError } from "./credential";
export { DirectoryReader } from "./directory";
export { DirectoryRoleAssignment, listDirectoryRoleAssignments, listRoleAssignmentsOfPrincipals } from "./roleAssignments";
export { DirectoryUser, readUsersById } from "./users";
export { listRoleAssignableGroups, RoleAssignableGroup } from "./groups";
export { graphConnectionFromEnvironment, graphFromEnvironment, GRAPH_EMULATOR_VARIABLE } from "./environment";
export { SubscribedSku, UserLicenses, LicenseAssignmentState } from "./licenses";

let offlineReader: DirectoryReader | undefined;

/**
 * Makes `directoryReader` answer from `reader` instead of Graph, for offline runs of the program under Pulumi's
 * mocks (cli/mockDeployment.ts sets it for the length of a run); `undefined` restores Graph.
 */
export function answerDirectoryOffline(reader: DirectoryReader | undefined): void {
    offlineReader = reader;
}

/**
 * The reader the program uses: the offline one when set, else Graph with credentials from the environment.
 * The credential is made on first use, so a deployment that needs no look-up needs no Graph sign-in.
 */
export function directoryReader(env: Environment, tenantId?: string): DirectoryReader {
    if (offlineReader) return offlineReader;
    let client: ReturnType<typeof graphFromEnvironment> | undefined;
    const graph = () => (client ??= graphFromEnvironment(env, tenantId ?? env.ARM_TENANT_ID));
    return {
        usersById: (ids) => readUsersById(graph(), ids),
        roleAssignmentsOf: (ids) => listRoleAssignmentsOfPrincipals(graph(), ids),
        roleAssignableGroups: () => listRoleAssignableGroups(graph()),
        groupMemberIds: (id) => listGroupMemberIds(graph(), id),
        subscribedSkus: () => listSubscribedSkus(graph()),
        usersLicenses: () => listUsersLicenses(graph()),
    };
}
