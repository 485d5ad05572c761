import { strict as assert } from "node:assert";
import { checkUsersYaml, ResolvedUser, SourceFile } from "../model";
import { INHERITED_FIELDS } from "../model/resolve";

/**
 * A single value comes from the user's own entry, else their profile, else defaults (jobTitle never from
 * defaults), field by field: each field is asserted on its own, so swapping two levels for any one field fails.
 */
describe("resolve: the user's own value, then their profile's, then defaults, for every single-value field", () => {
    const defaults = { usageLocation: "AU", department: "D-default", companyName: "C-default", officeLocation: "O-default", streetAddress: "S-default", city: "City-default", state: "St-default", postalCode: "P-default", country: "Co-default" };
    const profile = { usageLocation: "NZ", department: "D-profile", jobTitle: "J-profile", companyName: "C-profile", officeLocation: "O-profile", streetAddress: "S-profile", city: "City-profile", state: "St-profile", postalCode: "P-profile", country: "Co-profile" };
    const own = { usageLocation: "GB", department: "D-own", jobTitle: "J-own", companyName: "C-own", officeLocation: "O-own", streetAddress: "S-own", city: "City-own", state: "St-own", postalCode: "P-own", country: "Co-own" };
    const yamlMap = (indent: string, values: Record<string, string>) => Object.entries(values).map(([k, v]) => `${indent}${k}: ${v}`).join("\n");
    const person = (key: string, extra: string) =>
        `  ${key}:\n    userPrincipalName: ${key}@examplefirm.com.au\n    displayName: ${key}\n${extra}`;
    const text = [
        "defaults:",
        yamlMap("  ", defaults),
        "profiles:",
        "  office:",
        yamlMap("    ", profile),
        "users:",
        person("only.defaults", ""),
        person("with.profile", "    profiles: [office]\n"),
        person("own.values", `    profiles: [office]\n${yamlMap("    ", own)}\n`),
    ].join("\n");
    const users = new Map<string, ResolvedUser>();
    before(() => {
        const result = checkUsersYaml(new SourceFile("users.yaml", text));
        assert.deepEqual(result.diagnostics.filter((d) => d.severity === "error"), []);
        for (const u of result.model!.users) users.set(u.key, u);
        assert.equal(users.size, 3);
    });

    for (const field of INHERITED_FIELDS) {
        it(`${field}`, () => {
            const expectedDefault = field === "jobTitle" ? undefined : (defaults as Record<string, string>)[field];
            assert.equal(users.get("only.defaults")![field], expectedDefault, "defaults alone");
            assert.equal(users.get("with.profile")![field], (profile as Record<string, string>)[field], "the profile over defaults");
            assert.equal(users.get("own.values")![field], (own as Record<string, string>)[field], "the user's own over the profile");
        });
    }
});
