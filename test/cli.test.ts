import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { UsageError } from "../cli/io";
import { planCommand } from "../cli/plan";
import { renderJsonSchema, SCHEMA_FILE } from "../cli/schema";
import { validateCommand } from "../cli/validate";
import { SMALL_FIRM, writeUsersYaml } from "./support/fixtures";
import { captureIO } from "./support/io";

describe("npm run validate", () => {
    const broken = writeUsersYaml(
        SMALL_FIRM.replace('mobilePhone: "0412 345 678"', "mobilePhone: 0412345678").replace("userPrincipalName: bob.lee@examplefirm.com.au", "userPrincipalName: bob.lee@example.com"),
    );

    it("prints every problem as FILE:LINE:COL: severity: message and exits 1", () => {
        const io = captureIO();
        assert.equal(validateCommand([broken], io), 1);
        assert.deepEqual(io.stdout, [
            `${broken}:20:18: error: user 'jane.citizen': mobilePhone must be quoted text: YAML read 0412345678 as the number 412345678 and dropped its leading zero; write mobilePhone: "0412345678"`,
            `${broken}:25:24: error: user 'bob.lee': userPrincipalName uses the domain 'example.com', which is not in tenant.domains (examplefirm.com.au); add the domain to tenant.domains if it is verified in Entra`,
            `${broken}:38:17: warning: user 'pete.leaver' is offboarded (enabled: false), so these admin roles are not assigned; remove them to make that explicit`,
        ]);
        assert.deepEqual(io.stderr, [`${broken}: 2 errors, 1 warning; nothing would be deployed`]);
    });

    it("adds GitHub annotations under GitHub Actions, escaping what the workflow syntax reserves", () => {
        const io = captureIO({ GITHUB_ACTIONS: "true" });
        validateCommand([broken], io);
        const annotations = io.stdout.filter((l) => l.startsWith("::"));
        assert.equal(annotations.length, 3);
        assert.equal(
            annotations[0],
            `::error file=${broken},line=20,col=18::user 'jane.citizen': mobilePhone must be quoted text: YAML read 0412345678 as the number 412345678 and dropped its leading zero; write mobilePhone: "0412345678"`,
        );
        assert.match(annotations[2], /^::warning file=.*,line=38,col=17::user 'pete.leaver' is offboarded/);
        assert.equal(captureIO().env.GITHUB_ACTIONS, undefined);
        const plain = captureIO();
        validateCommand([broken], plain);
        assert.ok(plain.stdout.every((l) => !l.startsWith("::")), "no annotations outside GitHub Actions");
    });

    it("exits 0 and says how many users a valid file has", () => {
        const io = captureIO();
        assert.equal(validateCommand([writeUsersYaml(SMALL_FIRM.replace("    adminRoles: [Global Administrator]\n    enabled: false", "    enabled: false"))], io), 0);
        assert.deepEqual(io.stdout, []);
        assert.match(io.stderr[0], /: valid, 4 users \(0 errors, 0 warnings\)$/);
    });

    it("defaults to users.yaml, which is valid as shipped", () => {
        const io = captureIO();
        assert.equal(validateCommand([], io), 0);
        assert.match(io.stderr[0], /^users\.yaml: valid, 8 users/);
    });

    it("reports a missing file and rejects two files or unknown flags as usage errors", () => {
        const io = captureIO();
        assert.equal(validateCommand(["nope.yaml"], io), 1);
        assert.deepEqual(io.stdout, ["nope.yaml:1:1: error: cannot read nope.yaml: no such file; pass the path of the firm's users.yaml"]);
        assert.throws(() => validateCommand(["a.yaml", "b.yaml"], captureIO()), UsageError);
        assert.throws(() => validateCommand(["--strict"], captureIO()), UsageError);
    });
});

describe("npm run plan", () => {
    it("prints per user what pulumi up would declare, read from the offline run of index.ts", async () => {
        const io = captureIO();
        assert.equal(await planCommand(["--file", writeUsersYaml(SMALL_FIRM)], io), 0);
        const text = io.stdout.join("\n");
        assert.match(io.stdout[1], /^4 users \(3 to create, 1 adopted, 1 offboarded\), 1 group to create, 1 existing group, 1 admin role assignment, 3 Practice Protect accounts in 2 portal roles, the practiceprotect service account$/);
        assert.match(text, /\n {2}Accountants {2}create {4}1 member {3}security group: Tax and accounting staff\n/);
        assert.match(text, /\n {2}All Staff {4}existing {2}4 members {2}looked up by display name at deploy; must exist\n/);
        const jane = text.slice(text.indexOf("jane.citizen: create"), text.indexOf("bob.lee:"));
        assert.deepEqual(jane.trim().split("\n"), [
            "jane.citizen: create",
            "  user principal name   jane.citizen@examplefirm.com.au",
            "  display name          Jane Citizen",
            "  mobile                +61412345678",
            "  job                   Senior Accountant, Tax",
            "  usage location        AU",
            "  left as in Entra      24 other fields (users.yaml does not state them)",
            "  sign-in               enabled; generated password, changed at first sign-in",
            "  groups                Accountants, All Staff",
            "  admin roles           Exchange Administrator",
            "  sensitive updates     any change to this user needs the deploying identity to hold Privileged Authentication Administrator",
            "  Practice Protect      invite (e-mail); roles: Portal Users - AU, XPM Users",
            "  if removed from file  kept in Entra, no longer managed",
        ]);
        assert.match(text, /\nann\.adopted: adopt existing Entra user \(import\)\n/);
        assert.match(text, /\npete\.leaver: create, offboarded\n(.*\n){6} {2}sign-in {15}blocked \(offboarded\)/);
        assert.match(text, /\n {2}Practice Protect {6}removed from the portal and its roles\n/);
        assert.match(text, /\nPractice Protect roles\n {2}Portal Users - AU {2}3 members {2}adds these users; other members are left alone\n {2}XPM Users {10}1 member {3}adds these users/);
        assert.match(text, /\n {2}user principal name {2}practiceprotect@<tenant>\.onmicrosoft\.com\n {2}admin roles {10}Global Administrator \(privileged\)\n/);
    });

    it("names every role Microsoft marks privileged (Helpdesk Administrator), and no other (Reports Reader)", async () => {
        const io = captureIO();
        const roles = SMALL_FIRM.replace("adminRoles: [Exchange Administrator]", "adminRoles: [Exchange Administrator, Helpdesk Administrator, Reports Reader]");
        assert.equal(await planCommand(["--file", writeUsersYaml(roles)], io), 0);
        assert.equal(io.stdout[2], "privileged roles: jane.citizen (Helpdesk Administrator)");
        assert.ok(io.stdout.includes("  admin roles           Exchange Administrator, Helpdesk Administrator (privileged), Reports Reader"), io.stdout.join("\n"));
        assert.equal(io.stdout.filter((l) => l.startsWith("privileged roles:")).length, 1);
    });

    it("prints the errors and exits 1 without running the program when users.yaml is invalid", async () => {
        const io = captureIO();
        const bad = writeUsersYaml("users:\n  x:\n    displayName: X\n");
        assert.equal(await planCommand(["--file", bad], io), 1);
        assert.deepEqual(io.stdout, []);
        assert.deepEqual(io.stderr, [`${bad}:2:3: error: user 'x': userPrincipalName is required: add userPrincipalName: ...`, `${bad} has errors; pulumi up would deploy nothing. Fix them and run the plan again.`]);
    });
});

describe("users.schema.json", () => {
    it("is the committed output of the validator's own schema (run npm run schema after changing model/schema.ts)", () => {
        assert.equal(readFileSync(SCHEMA_FILE, "utf8"), renderJsonSchema());
    });

    it("describes the users.yaml contract for editors: required fields, closed objects, known roles and countries", () => {
        const schema = JSON.parse(renderJsonSchema());
        const user = schema.properties.users.additionalProperties;
        assert.deepEqual(user.required, ["userPrincipalName", "displayName"]);
        assert.equal(user.additionalProperties, false);
        assert.ok(user.properties.adminRoles.items.enum.includes("Global Administrator"));
        assert.ok(user.properties.usageLocation.enum.includes("AU"));
        assert.deepEqual(user.properties.mobilePhone.anyOf.map((t: { type: string }) => t.type), ["string", "null"], "text, or null to clear it in Entra");
        assert.equal(user.properties.userPrincipalName.type, "string");
        assert.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
    });
});
