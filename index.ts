// First, by its full name: a stray .js beside one of the program's .ts files is refused from here on, whichever
// ts-node the Pulumi CLI runs this with (cli/strayScripts.js).
import "./cli/strayScripts.js";
import * as pulumi from "@pulumi/pulumi";
import { lookupExistingGroups } from "./components/existingGroups";
import { FirmAccess } from "./components/firmAccess";
import { existingRoleAssignmentsOf } from "./components/existingRoleAssignments";
import { lookupAdoptedAccounts } from "./components/adoptedAccounts";
import { FirmLicenses } from "./components/licenses";
import { lookupTenantLicenses } from "./components/tenantLicenses";
import { FirmDirectory } from "./components/firmDirectory";
import { PracticeProtectPortal } from "./components/practiceprotect";
import { PracticeProtectServiceAccount } from "./components/serviceAccount";
import { configurationProblems, withPinnedSettings } from "./components/configuration";
import { readStackSettings, SettingsError } from "./components/settings";
import { directoryReader } from "./graph";
import { formatDiagnostic, loadUsersFile } from "./model";
import { loadConfig, locateSettingsProblems, workingTree } from "./model/config";

/**
 * users.yaml → validated model → components → stack outputs. Nothing is declared unless the whole file and
 * every setting are valid, every existing group it names is found and can take members (a role-assignable one only
 * when acknowledged), and every account it adopts is what it says.
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
    const adoption = await lookupAdoptedAccounts(graph, model.users, existingGroups);
    const existingRoleAssignments = existingRoleAssignmentsOf(adoption.assignments, model.users);
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
        // Only without a Key Vault (docs/what-pulumi-up-does.md: who can read it, and until when).
        serviceAccountPassword: serviceAccount?.password,
        serviceAccountPasswordSecretId: serviceAccount?.passwordSecretId,
    };
};

/**
 * The committed configuration is checked first, before any look-up: a provider configured by a key a pull
 * request added (azuread:oidcRequestUrl, ...) would otherwise sign in at its first look-up. Pulumi runs the
 * program in the project directory, where Pulumi.yaml and the stack file are.
 */
function readSettings() {
    const problems = configurationProblems(workingTree(), pulumi.getStack(), process.env, pulumi.runtime.allConfig(), pulumi.getProject());
    if (problems.length) {
        throw new pulumi.RunError(`the stack's configuration cannot be used; nothing was read or deployed and no credential was used:\n${problems.join("\n")}`);
    }
    try {
        return readStackSettings(withPinnedSettings(new pulumi.Config(), process.env), pulumi.getProject());
    } catch (e) {
        if (!(e instanceof SettingsError)) throw e;
        // At the value that decided each setting, as validate and the plan report it.
        const config = loadConfig(workingTree(), pulumi.getStack());
        const lines = e.message.split("\n").slice(1).map((l) => l.trim());
        throw new pulumi.RunError(`stack settings cannot be used; nothing was read or deployed:\n${(config ? locateSettingsProblems(config, lines) : lines).join("\n")}`);
    }
}
