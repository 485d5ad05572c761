import { strict as assert } from "node:assert";
import { readStackSettings, SettingsError } from "../components/settings";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
const read = (values: Record<string, string>) => readStackSettings(config(values), "practiceprotect-users");

describe("stack settings", () => {
    it("defaults to users.yaml, keeping removed users and groups, and no service account", () => {
        assert.deepEqual(read({}), { usersFile: "users.yaml", deleteRemovedUsers: false, deleteRemovedGroups: false, keepOffboardedPortalAccounts: false, removeLicensesOnOffboarding: false, userLookupTimeoutSeconds: 300 });
    });

    it("keeps offboarded users' licences unless removeLicensesOnOffboarding is true, and checks the user look-up time", () => {
        assert.equal(read({ removeLicensesOnOffboarding: "true" }).removeLicensesOnOffboarding, true);
        assert.throws(() => read({ removeLicensesOnOffboarding: "yes" }), /removeLicensesOnOffboarding is 'yes'; set it to true or false/);
        assert.throws(() => read({ userLookupTimeoutSeconds: "five" }), /userLookupTimeoutSeconds is 'five'; use a number of seconds/);
        assert.equal(read({ userLookupTimeoutSeconds: "600" }).userLookupTimeoutSeconds, 600);
    });

    it("reads the service account's access, domain and Key Vault", () => {
        const settings = read({
            serviceAccountAccess: "mail",
            serviceAccountDomain: "harbourfinch.onmicrosoft.com",
            serviceAccountKeyVaultId: "/subscriptions/0000/resourceGroups/rg-id/providers/Microsoft.KeyVault/vaults/kv-firm",
            deleteRemovedUsers: "true",
        });
        assert.deepEqual(settings.serviceAccount, { access: "mail", domain: "harbourfinch.onmicrosoft.com", keyVault: { resourceGroupName: "rg-id", vaultName: "kv-firm" } });
        assert.equal(settings.deleteRemovedUsers, true);
    });

    it("reports every unusable setting at once, by its full key, with the fix", () => {
        assert.throws(
            () => read({ serviceAccountAccess: "global", serviceAccountDomain: "harbourfinch.com.au", serviceAccountKeyVaultId: "kv-firm", deleteRemovedGroups: "1" }),
            (e: Error) => {
                assert.ok(e instanceof SettingsError);
                const lines = e.message.split("\n").slice(1).map((l) => l.trim());
                assert.equal(lines.length, 4);
                assert.match(lines[0], /^practiceprotect-users:deleteRemovedGroups is '1'; set it to true or false$/);
                assert.match(lines[1], /^practiceprotect-users:serviceAccountAccess is 'global'; use full/);
                assert.match(lines[2], /^practiceprotect-users:serviceAccountDomain is 'harbourfinch\.com\.au'; the service account must use the tenant's onmicrosoft\.com domain/);
                assert.match(lines[3], /^practiceprotect-users:serviceAccountKeyVaultId is 'kv-firm'; use the vault's resource id/);
                return true;
            },
        );
    });

    it("refuses service-account details without an access level", () => {
        assert.throws(() => read({ serviceAccountDomain: "firm.onmicrosoft.com" }), /serviceAccountAccess is not; set serviceAccountAccess to full or mail/);
    });
});
