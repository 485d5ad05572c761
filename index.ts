// First, by its full name: a stray .js beside one of the program's .ts files is refused from here on, whichever
// ts-node the Pulumi CLI runs this with (cli/strayScripts.js).
import "./cli/strayScripts.js";
import * as pulumi from "@pulumi/pulumi";
import { lookupExistingGroups } from "./components/existingGroups";
import { FirmAccess } from "./components/firmAccess";
import { lookupExistingRoleAssignments } from "./components/existingRoleAssignments";
import { FirmLicenses } from "./components/licenses";
import { lookupTenantLicenses } from "./components/tenantLicenses";
import { FirmDirectory } from "./components/firmDirectory";
import { PracticeProtectPortal } from "./components/practiceprotect";
import { PracticeProtectServiceAccount } from "./components/serviceAccount";
import { readStackSettings, SettingsError } from "./components/settings";
import { directoryReader } from "./graph";
import { formatDiagnostic, loadUsersFile } from "./model";

/**
 * users.yaml → validated model → components → stack outputs. Nothing is declared unless the whole file and
 * every setting are valid and every existing group it names is found and can take members.
 */
export = async () => {
    const settings = readSettings();
    const externalGlobalAdmins = settings.serviceAccount?.access === "full" ? ["the practiceprotect service account"] : [];
    const { source, model, diagnostics } = loadUsersFile(settings.usersFile, { externalGlobalAdmins });
    const lines = diagnostics.map((d) => formatDiagnostic(source, d));
    if (!model) throw new pulumi.RunError(`${settings.usersFile} has errors; nothing was deployed:\n${lines.join("\n")}`);
    for (const line of lines) pulumi.log.warn(line);

    // Everything read from Entra is read here, before any resource is declared: a problem stops the run whole.
    const existingGroups = await lookupExistingGroups(model.existingGroups);
    const graph = directoryReader(process.env, new pulumi.Config("azuread").get("tenantId"));
    const existingRoleAssignments = await lookupExistingRoleAssignments(graph, model.users);
    const tenantLicenses = await lookupTenantLicenses(graph, model.users, settings.removeLicensesOnOffboarding);
    // People first; then their licences (which wait until Graph shows a new person); then groups and admin roles.
    const directory = new FirmDirectory("firm", { model, deleteRemovedUsers: settings.deleteRemovedUsers });
    const licenses = new FirmLicenses("licenses", {
        users: model.users,
        entraUsers: directory.people,
        wanted: tenantLicenses.wanted,
        deleteRemovedUsers: settings.deleteRemovedUsers,
    });
    const access = new FirmAccess("access", {
        model,
        people: directory.people,
        existingGroups,
        existingRoleAssignments,
        visibleAfter: licenses.licenses,
        deleteRemovedGroups: settings.deleteRemovedGroups,
    });
    const portal = new PracticeProtectPortal("practiceprotect", {
        model,
        users: directory.people,
        before: Object.fromEntries(model.users.map((u) => [u.key, [...(licenses.licenses[u.key] ? [licenses.licenses[u.key]] : []), ...(access.byPerson[u.key] ?? [])]])),
        keepOffboardedAccounts: settings.keepOffboardedPortalAccounts,
    });
    const serviceAccount = settings.serviceAccount
        ? new PracticeProtectServiceAccount("practiceprotect-service-account", {
              ...settings.serviceAccount,
              usageLocation: model.defaultUsageLocation,
          })
        : undefined;

    const users = Object.entries(directory.people);
    return {
        users: Object.fromEntries(users.map(([key, u]) => [key, { userPrincipalName: u.userPrincipalName, objectId: u.objectId }])),
        initialPasswords: pulumi.secret(Object.fromEntries(users.flatMap(([key, u]) => (u.initialPassword ? [[key, u.initialPassword]] : [])))),
        portalUsers: Object.fromEntries(Object.entries(portal.portalUsers).map(([key, p]) => [key, { uuid: p.uuid, status: p.status }])),
        serviceAccountUpn: serviceAccount?.userPrincipalName,
        serviceAccountPassword: serviceAccount?.password,
    };
};

function readSettings() {
    try {
        return readStackSettings(new pulumi.Config(), pulumi.getProject());
    } catch (e) {
        if (e instanceof SettingsError) throw new pulumi.RunError(e.message);
        throw e;
    }
}
