import { strict as assert } from "node:assert";
import { ADMIN_ROLE_NAMES, ADMIN_ROLE_TEMPLATE_IDS, isPrivilegedRole, PRIVILEGED_ADMIN_ROLES, PRIVILEGED_ROLE_NAMES, PRIVILEGED_ROLE_TEMPLATE_IDS } from "../model/adminRoles";
import { canMakeSensitiveUpdates, directoryRolesCheck } from "../doctor/sensitiveUpdateRoles";
import { isSensitiveUpdate, roleAssignableGroupsOf } from "../model/sensitiveUpdates";

/*
 * Microsoft's classification, as its "Microsoft Entra built-in roles" reference (permissions-reference.md, ms.date
 * 01/20/2026) labels the roles users.yaml can assign: written out here by hand, so a table edit that drops or adds
 * a role fails.
 */
const ASSIGNABLE_PRIVILEGED = [
    "Global Administrator",
    "Global Reader",
    "Privileged Role Administrator",
    "Privileged Authentication Administrator",
    "User Administrator",
    "Helpdesk Administrator",
    "Password Administrator",
    "Authentication Administrator",
    "Security Administrator",
    "Security Reader",
    "Conditional Access Administrator",
    "Intune Administrator",
    "Application Administrator",
    "Cloud Application Administrator",
    "Hybrid Identity Administrator",
];
const ASSIGNABLE_NOT_PRIVILEGED = ["Exchange Administrator", "Billing Administrator", "License Administrator", "Groups Administrator", "SharePoint Administrator", "Teams Administrator", "Compliance Administrator", "Reports Reader", "Service Support Administrator"];

describe("privileged roles: Microsoft's classification", () => {
    it("every assignable role the reference marks privileged is in the table, under the same template id; no other assignable role is", () => {
        assert.deepEqual([...ASSIGNABLE_PRIVILEGED, ...ASSIGNABLE_NOT_PRIVILEGED].sort(), [...ADMIN_ROLE_NAMES].sort(), "every assignable role is classified above");
        for (const name of ASSIGNABLE_PRIVILEGED) assert.equal(PRIVILEGED_ROLE_TEMPLATE_IDS[ADMIN_ROLE_TEMPLATE_IDS[name as keyof typeof ADMIN_ROLE_TEMPLATE_IDS]], name, name);
        for (const name of ASSIGNABLE_NOT_PRIVILEGED) assert.equal(isPrivilegedRole(ADMIN_ROLE_TEMPLATE_IDS[name as keyof typeof ADMIN_ROLE_TEMPLATE_IDS]), false, name);
        assert.deepEqual([...PRIVILEGED_ADMIN_ROLES].sort(), [...ASSIGNABLE_PRIVILEGED].sort());
    });

    it("holds the 29 privileged roles of the reference, roles users.yaml cannot assign included (spot ids)", () => {
        const ids = Object.keys(PRIVILEGED_ROLE_TEMPLATE_IDS);
        assert.equal(ids.length, 29);
        assert.equal(new Set(PRIVILEGED_ROLE_NAMES).size, 29, "names are unique");
        for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        const spots: [string, string][] = [
            ["8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator"],
            ["9360feb5-f418-4baa-8175-e2a00bac4301", "Directory Writers"],
            ["e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8", "Partner Tier2 Support"],
            ["db506228-d27e-4b7d-95e5-295956d6615f", "Agent ID Administrator"],
            ["8329153b-31d0-4727-b945-745eb3bc5f31", "Domain Name Administrator"],
            ["5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", "Security Operator"],
        ];
        for (const [id, name] of spots) assert.equal(PRIVILEGED_ROLE_TEMPLATE_IDS[id], name);
        // Not labelled privileged by the reference: Directory Readers, Directory Synchronization Accounts, Exchange Administrator.
        for (const id of ["88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "d29b2b05-8046-44ba-8758-1e26182fcf32", "29232cdf-9323-42fd-ade2-1d097af3e4de"]) assert.equal(isPrivilegedRole(id), false, id);
    });

    it("isPrivilegedRole takes a display name or a template id, in any letter case, and nothing else", () => {
        assert.equal(isPrivilegedRole("helpdesk administrator"), true);
        assert.equal(isPrivilegedRole("729827E3-9C14-49F7-BB1B-9608F156BBB8"), true);
        assert.equal(isPrivilegedRole("Helpdesk Admin"), false);
        assert.equal(isPrivilegedRole("Reports Reader"), false);
        assert.equal(isPrivilegedRole(""), false);
    });

    it("the doctor's sensitive-update rule: a role added to users.yaml (Hybrid Identity Administrator) is one only Privileged Authentication or Global Administrator may update", () => {
        assert.equal(canMakeSensitiveUpdates(["User Administrator"], ["Hybrid Identity Administrator"]), false);
        assert.equal(canMakeSensitiveUpdates(["Authentication Administrator"], ["Hybrid Identity Administrator"]), false);
        assert.equal(canMakeSensitiveUpdates(["Privileged Authentication Administrator"], ["Hybrid Identity Administrator"]), true);
        assert.equal(canMakeSensitiveUpdates(["User Administrator"], ["Helpdesk Administrator"]), true, "unchanged: User Administrator may update a Helpdesk Administrator");
    });
});

describe("sensitive updates: a member of a role-assignable group is updated only by Privileged Authentication or Global Administrator", () => {
    it("the doctor asks for Privileged Authentication Administrator when someone is in an acknowledged role-assignable group, even without an admin role", () => {
        const member = { key: "bob.lee", roles: [], roleAssignableGroups: ["Tenant Admins"] };
        const check = directoryRolesCheck(["User Administrator"], [member], { clientId: "app-1" });
        assert.equal(check.verdict, "fail");
        assert.equal(check.detail, "the identity holds User Administrator; updates to these users would be refused (403): bob.lee (member of the role-assignable group Tenant Admins)");
        assert.match(check.advice![0], /^Assign the directory role Privileged Authentication Administrator to the deploying app itself/);
        assert.equal(directoryRolesCheck(["Privileged Authentication Administrator"], [member], {}).verdict, "pass");
        assert.equal(directoryRolesCheck(["User Administrator"], [{ key: "bob.lee", roles: ["Helpdesk Administrator"] }], {}).verdict, "pass", "without the group, User Administrator is enough");
    });

    it("the model: roleAssignableGroupsOf names only the acknowledged groups a user is in; isSensitiveUpdate counts them", () => {
        const model = { existingGroups: [{ name: "Tenant Admins", where: "", usedAt: [], uses: 1, grantsRoles: true }, { name: "All Staff", where: "", usedAt: [], uses: 1, grantsRoles: false }] };
        assert.deepEqual(roleAssignableGroupsOf({ groups: ["All Staff", "tenant admins"] }, model), ["tenant admins"]);
        assert.deepEqual(roleAssignableGroupsOf({ groups: ["All Staff"] }, model), []);
        const noRoles = { adminRoles: [], suspendedAdminRoles: [] };
        assert.equal(isSensitiveUpdate(noRoles), false);
        assert.equal(isSensitiveUpdate(noRoles, undefined, true), true);
    });
});
