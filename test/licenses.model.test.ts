import { strict as assert } from "node:assert";
import { checkUsersYaml, formatDiagnostic, SourceFile } from "../model";
import { licenseChange } from "../model/licenseChange";
import { licenseKey, lookupLicense, LICENSE_SKUS } from "../model/licenseSkus";
import { importUsersCsv } from "../model/import";
import { importedLicenses } from "../model/import/licenses";
import { resolveLicenses } from "../model/licenseResolution";
import { seatShortages, seatUse } from "../model/licenseSeats";

const SPB = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46";
const EXO1 = "4b9405b0-7788-4568-add1-99614e613b69";
const E3 = "6fd2c87f-b296-42f0-b197-1e91e994b900";
const TEAMS1 = "57ff2da0-773e-42df-b2af-ffb7a2317929";

describe("licences: the SKU table", () => {
    it("finds a licence by product name or part number, ignoring case and spacing", () => {
        for (const name of ["Microsoft 365 Business Premium", "microsoft  365 business premium", "SPB", "spb"]) {
            const found = lookupLicense(name);
            assert.equal(found.kind, "known", name);
            assert.equal(found.kind === "known" && found.sku.skuId, SPB, name);
        }
        assert.equal(licenseKey("SPB"), licenseKey("Microsoft 365 Business Premium"));
    });

    it("recognises a former product name as such, and does not guess at an unknown one", () => {
        const former = lookupLicense("Office 365 Business Premium");
        assert.equal(former.kind, "former");
        assert.equal(former.kind === "former" && former.sku.partNumber, "O365_BUSINESS_PREMIUM");
        assert.deepEqual(lookupLicense("Microsoft 365 Business Premum"), { kind: "unknown" });
        assert.equal(licenseKey("Contoso Add-on"), "name:contoso add-on");
    });

    it("holds no name, part number or skuId twice", () => {
        const names = LICENSE_SKUS.flatMap((s) => [s.productName, s.partNumber, ...(s.formerNames ?? [])].map((n) => n.toLowerCase()));
        assert.equal(new Set(names).size, names.length);
        const ids = LICENSE_SKUS.map((s) => s.skuId);
        assert.equal(new Set(ids).size, ids.length);
        for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });
});

describe("licences: the change for one user", () => {
    it("assigns what is missing and leaves what is there", () => {
        const change = licenseChange([{ skuId: SPB, disabledPlans: [] }], [], []);
        assert.deepEqual(change, { add: [{ skuId: SPB, disabledPlans: [] }], remove: [], heldByGroup: [] });
        assert.deepEqual(licenseChange([{ skuId: SPB, disabledPlans: [] }], [{ skuId: SPB.toUpperCase(), disabledPlans: [], assignedByGroup: null }], [SPB]), { add: [], remove: [], heldByGroup: [] });
    });

    it("assigns again when only the disabled plans differ", () => {
        const change = licenseChange([{ skuId: SPB, disabledPlans: [TEAMS1] }], [{ skuId: SPB, disabledPlans: [] }], [SPB]);
        assert.deepEqual(change.add, [{ skuId: SPB, disabledPlans: [TEAMS1] }]);
    });

    it("removes only direct licences it managed before; a licence assigned by hand or by a group is left alone", () => {
        const current = [
            { skuId: SPB, disabledPlans: [] },
            { skuId: EXO1, disabledPlans: [], assignedByGroup: "group-1" },
            { skuId: E3, disabledPlans: [] }, // by hand
        ];
        const change = licenseChange([], current, [SPB, EXO1]);
        assert.deepEqual(change, { add: [], remove: [SPB], heldByGroup: [] });
    });

    it("leaves the plans of a licence the user holds alone when users.yaml does not state them (TEAMS1 switched off by hand stays off)", () => {
        const current = [{ skuId: SPB, disabledPlans: [TEAMS1], assignedByGroup: null }];
        assert.deepEqual(licenseChange([{ skuId: SPB }], current, []), { add: [], remove: [], heldByGroup: [] }, "adopted: no call at all");
        assert.deepEqual(licenseChange([{ skuId: SPB }], current, [SPB]), { add: [], remove: [], heldByGroup: [] }, "managed before: still no call");
    });

    it("assigns a new licence whose plans users.yaml does not state with Graph's default, every plan on", () => {
        assert.deepEqual(licenseChange([{ skuId: SPB }], [], []).add, [{ skuId: SPB, disabledPlans: [] }]);
    });

    it("a stated [] means exactly no plan off: it switches a plan disabled by hand back on", () => {
        const change = licenseChange([{ skuId: SPB, disabledPlans: [] }], [{ skuId: SPB, disabledPlans: [TEAMS1], assignedByGroup: null }], []);
        assert.deepEqual(change.add, [{ skuId: SPB, disabledPlans: [] }]);
    });

    it("does not add a direct copy of a licence the user holds through a group", () => {
        const change = licenseChange([{ skuId: EXO1, disabledPlans: [] }], [{ skuId: EXO1, assignedByGroup: "group-1" }], []);
        assert.deepEqual(change, { add: [], remove: [], heldByGroup: [EXO1] });
    });
});

describe("licences: seats before changes", () => {
    const subs = [
        { skuId: SPB, skuPartNumber: "SPB", enabled: 10, consumed: 9 },
        { skuId: EXO1, skuPartNumber: "EXCHANGESTANDARD", enabled: 5, consumed: 0 },
    ];

    it("counts a seat for each person who wants a licence they do not hold", () => {
        const people = [
            { key: "jane", wanted: [SPB], held: [] },
            { key: "bob", wanted: [SPB], held: [SPB] },
            { key: "amy", wanted: [SPB, EXO1], held: [] },
        ];
        assert.deepEqual(seatUse(people, subs), [
            { skuId: SPB, skuPartNumber: "SPB", needed: 2, free: 1, keys: ["jane", "amy"] },
            { skuId: EXO1, skuPartNumber: "EXCHANGESTANDARD", needed: 1, free: 5, keys: ["amy"] },
        ]);
        assert.deepEqual(seatShortages(people, subs).map((s) => [s.skuPartNumber, s.needed, s.free]), [["SPB", 2, 1]]);
    });

    it("needs nothing when everyone already holds their licences, and never counts negative free seats", () => {
        assert.deepEqual(seatUse([{ key: "bob", wanted: [SPB], held: [SPB] }], subs), []);
        assert.equal(seatUse([{ key: "jane", wanted: [SPB], held: [] }], [{ ...subs[0], consumed: 12 }])[0].free, 0);
    });
});

describe("licences: names in users.yaml against the tenant's subscriptions", () => {
    const subscriptions = [
        { skuId: SPB, skuPartNumber: "SPB", servicePlans: [{ servicePlanId: TEAMS1, servicePlanName: "TEAMS1" }, { servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c", servicePlanName: "EXCHANGE_S_STANDARD" }] },
        { skuId: "aaaaaaaa-0000-0000-0000-000000000001", skuPartNumber: "CONTOSO_ADDON", servicePlans: [] },
    ];
    const request = (name: string, disabledPlans: string[] = [], where = "users.yaml:4:5") => ({ name, disabledPlans, where });

    it("resolves product names, part numbers and the tenant's own part numbers to skuIds, and plan names to plan ids", () => {
        const { wanted, problems } = resolveLicenses(
            [
                { key: "jane", licenses: [request("Microsoft 365 Business Premium", ["teams1"]), request("spb"), request("contoso_addon")] },
                { key: "bob", licenses: [] },
            ],
            subscriptions,
        );
        assert.deepEqual(problems, []);
        assert.deepEqual(wanted.get("jane"), [
            { skuId: SPB, disabledPlans: [TEAMS1] },
            { skuId: "aaaaaaaa-0000-0000-0000-000000000001", disabledPlans: [] },
        ]);
        assert.deepEqual(wanted.get("bob"), []);
    });

    it("says where a licence the tenant does not hold is written, and what it does hold", () => {
        const { problems } = resolveLicenses([{ key: "jane", licenses: [request("Office 365 E3", [], "users.yaml:9:7"), request("Fabrikam Plan", [], "users.yaml:10:7")] }], subscriptions);
        assert.deepEqual(problems, [
            { where: "users.yaml:9:7", message: "the tenant has no Office 365 E3 (ENTERPRISEPACK) subscription; its subscriptions are: CONTOSO_ADDON, SPB. Write one of those part numbers, or buy the licence first." },
            { where: "users.yaml:10:7", message: "'Fabrikam Plan' is not a product name this program knows nor a subscription of this tenant; its subscriptions are: CONTOSO_ADDON, SPB. Write one of those part numbers, or buy the licence first." },
        ]);
    });

    it("reports a service plan the subscription does not have, once for a place many people share", () => {
        const shared = request("SPB", ["TEAMS"], "users.yaml:3:14");
        const { problems } = resolveLicenses([{ key: "jane", licenses: [shared] }, { key: "bob", licenses: [shared] }], subscriptions);
        assert.deepEqual(problems, [{ where: "users.yaml:3:14", message: "SPB has no service plan 'TEAMS'; its plans are: EXCHANGE_S_STANDARD, TEAMS1" }]);
    });
});

describe("licences in users.yaml: validation and merging", () => {
    const FILE = [
        "defaults:", //                                        1
        "  usageLocation: AU", //                              2
        "  licenses: [Microsoft 365 Business Premium]", //     3
        "profiles:", //                                        4
        "  reception:", //                                     5
        "    licenses:", //                                    6
        "      - { name: SPB, disabledPlans: [TEAMS1] }", //   7
        "      - Exchange Online (Plan 1)", //                 8
        "users:", //                                           9
        "  jane.citizen:", //                                  10
        "    userPrincipalName: jane.citizen@examplefirm.com.au",
        "    displayName: Jane Citizen",
        "    licenses: [Microsoft 365 Busines Premium, Office 365 Business Premium, CONTOSO_ADDON, spb]", // 13
        "  lucy.brown:", //                                    14
        "    userPrincipalName: lucy.brown@examplefirm.com.au",
        "    displayName: Lucy Brown",
        "    profiles: [reception]", //                         17
        "",
    ].join("\n");
    const checked = (text: string) => {
        const source = new SourceFile("users.yaml", text);
        const result = checkUsersYaml(source);
        return { ...result, lines: result.diagnostics.map((d) => formatDiagnostic(source, d)) };
    };

    it("warns about unknown, former and repeated licence names at their exact place, with a did-you-mean", () => {
        const { lines, model } = checked(FILE);
        assert.deepEqual(lines, [
            "users.yaml:13:16: warning: licence 'Microsoft 365 Busines Premium' is not one of the common licences this program knows (did you mean 'Microsoft 365 Business Premium'?); it is looked up among the tenant's subscriptions by part number when deploying (see the Licenses page of the Microsoft 365 admin center)",
            "users.yaml:13:47: warning: 'Office 365 Business Premium' is the former name of Microsoft 365 Business Standard (O365_BUSINESS_PREMIUM); write 'Microsoft 365 Business Standard' or 'O365_BUSINESS_PREMIUM' so nobody reads it as another product",
            "users.yaml:13:76: warning: licence 'CONTOSO_ADDON' is not one of the common licences this program knows; it is looked up among the tenant's subscriptions by part number when deploying (see the Licenses page of the Microsoft 365 admin center)",
        ]);
        assert.ok(model, "warnings do not stop the model");
    });

    it("merges defaults, profiles and the user's own list, one entry per licence, the most specific disabledPlans winning", () => {
        const { model } = checked(FILE);
        const lucy = model!.users.find((u) => u.key === "lucy.brown")!;
        assert.deepEqual(lucy.licenses, [
            { name: "Microsoft 365 Business Premium", disabledPlans: ["TEAMS1"], where: "users.yaml:7:9" },
            { name: "Exchange Online (Plan 1)", where: "users.yaml:8:9" },
        ]);
        const jane = model!.users.find((u) => u.key === "jane.citizen")!;
        assert.deepEqual(jane.licenses.map((l) => [l.name, l.where]), [
            ["Microsoft 365 Business Premium", "users.yaml:13:91"], // her own 'spb': the most specific place
            ["Microsoft 365 Busines Premium", "users.yaml:13:16"],
            ["Office 365 Business Premium", "users.yaml:13:47"],
            ["CONTOSO_ADDON", "users.yaml:13:76"],
        ]);
    });

    it("refuses a licensed user with no usage location, at the user's key", () => {
        const { lines, model } = checked(FILE.replace("  usageLocation: AU\n", "  department: Tax\n"));
        assert.equal(model, undefined);
        assert.deepEqual(lines.filter((l) => l.includes("error")), [
            "users.yaml:10:3: error: user 'jane.citizen' gets licences (Microsoft 365 Business Premium, Microsoft 365 Busines Premium, Office 365 Business Premium, CONTOSO_ADDON, spb) but has no usageLocation, and Microsoft Graph refuses to assign a licence without one; set usageLocation on the user, a profile or defaults (e.g. usageLocation: AU)",
            "users.yaml:14:3: error: user 'lucy.brown' gets licences (Microsoft 365 Business Premium, SPB, Exchange Online (Plan 1)) but has no usageLocation, and Microsoft Graph refuses to assign a licence without one; set usageLocation on the user, a profile or defaults (e.g. usageLocation: AU)",
        ]);
    });

    it("warns about a licence listed twice in one list", () => {
        const { lines } = checked(FILE.replace("licenses: [Microsoft 365 Business Premium]", "licenses: [Microsoft 365 Business Premium, SPB]"));
        assert.ok(lines.includes("users.yaml:3:46: warning: licence 'SPB' is already listed at defaults.licenses[0]"), lines.join("\n"));
    });
});

describe("licences in the Microsoft 365 export (npm run import)", () => {
    it("reads product names separated by '+' and tenant:PARTNUMBER, writing product names", () => {
        assert.deepEqual(importedLicenses("Microsoft 365 Business Premium+Exchange Online (Plan 1)", ""), { names: ["Microsoft 365 Business Premium", "Exchange Online (Plan 1)"], unmatched: [], viaGroup: [] });
        assert.deepEqual(importedLicenses("harbourfinch:SPB+harbourfinch:EXCHANGESTANDARD", "harbourfinch:SPB: Direct+harbourfinch:EXCHANGESTANDARD: Direct").names, ["Microsoft 365 Business Premium", "Exchange Online (Plan 1)"]);
    });

    it("reports names it does not know rather than guessing, and leaves licences from a group to the group", () => {
        assert.deepEqual(importedLicenses("Microsoft Teams Exploratory+Microsoft 365 Business Basic", ""), { names: ["Microsoft 365 Business Basic"], unmatched: ["Microsoft Teams Exploratory"], viaGroup: [] });
        assert.deepEqual(importedLicenses("firm:SPB+firm:EXCHANGESTANDARD", "firm:SPB: Inherited (Licensed - Business Premium)+firm:EXCHANGESTANDARD: Direct"), {
            names: ["Exchange Online (Plan 1)"],
            unmatched: [],
            viaGroup: ["Microsoft 365 Business Premium"],
        });
        assert.deepEqual(importedLicenses("", ""), { names: [], unmatched: [], viaGroup: [] });
    });

    it("writes licenses: on the imported user and reports what it left out", () => {
        const csv = [
            "User principal name,Display name,Licenses,Usage location,Object Id",
            "amy@firm.com.au,Amy Lo,Microsoft 365 Business Premium+Contoso Timesheets,AU,11111111-2222-4333-8444-555555555555",
        ].join("\n");
        const result = importUsersCsv(csv, "tenant:\n  domains: [firm.com.au]\nusers: {}\n", { csvName: "export.csv", usersPath: "users.yaml" });
        assert.ok(result.text?.includes('    licenses: ["Microsoft 365 Business Premium"]\n'), result.text);
        assert.ok(result.notes.some((n) => n.row === 2 && n.message === "amy@firm.com.au: licence 'Contoso Timesheets' is not one of the common licences this program knows; not imported: add it to licenses: by its part number (Microsoft 365 admin center > Billing > Licenses)"), JSON.stringify(result.notes));
    });
});
