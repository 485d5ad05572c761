import { strict as assert } from "node:assert";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { revisionReader } from "../cli/gitRevision";
import { UsageError } from "../cli/io";
import { planCommand } from "../cli/plan";
import { validateCommand } from "../cli/validate";
import { configurationProblems, withPinnedSettings } from "../components/configuration";
import { SourceFile } from "../model";
import { checkPinned, configChanges, configProblems, describeConfigChange, formatConfigProblem, loadConfig, ownSettings, resolveConfig, workingTree } from "../model/config";
import { SMALL_FIRM } from "./support/fixtures";
import { captureIO, commitEverything, git, inDir } from "./support/io";
import { deployFailure } from "./support/program";

const PROJECT = "name: practiceprotect-users\nruntime: nodejs\n";
const resolve = (project: string, stack?: string) => resolveConfig(new SourceFile("Pulumi.yaml", project), "dev", stack === undefined ? undefined : new SourceFile("Pulumi.dev.yaml", stack));
const problems = (project: string, stack?: string, env?: Record<string, string>) => configProblems(resolve(project, stack), env).map(formatConfigProblem);
const valuesOf = (project: string, stack?: string) => Object.fromEntries([...resolve(project, stack).values.values()].map((e) => [e.key, e.secret ? "(secret)" : e.value]));

const VAULT = "/subscriptions/0000/resourceGroups/rg-id/providers/Microsoft.KeyVault/vaults/kv-firm";
const OTHER_VAULT = "/subscriptions/9999/resourceGroups/rg-pr/providers/Microsoft.KeyVault/vaults/kv-author";

describe("configuration, resolved as Pulumi resolves it", () => {
    it("takes Pulumi.yaml's defaults in both forms and namespaces, then the stack file's values over them", () => {
        const project =
            PROJECT +
            "config:\n" +
            "  serviceAccountAccess: full\n" + // short form, bare: this project's default
            "  practiceprotect-users:deleteRemovedUsers:\n    type: boolean\n    default: true\n" + // long form, namespaced by the project
            "  userLookupTimeoutSeconds:\n    type: integer\n    default: 60\n" +
            "  azuread:tenantId: 00000000-0000-0000-0000-000000000001\n" + // short form, another namespace: a value
            "  practiceprotect:directory:\n    value: Azure AD\n";
        const stack = "config:\n  practiceprotect-users:userLookupTimeoutSeconds: 120\n  practiceprotect:config:pageSize: 500\n";
        assert.deepEqual(valuesOf(project, stack), {
            "practiceprotect-users:userLookupTimeoutSeconds": "120",
            "practiceprotect:pageSize": "500",
            "practiceprotect-users:serviceAccountAccess": "full",
            "practiceprotect-users:deleteRemovedUsers": "true",
            "azuread:tenantId": "00000000-0000-0000-0000-000000000001",
            "practiceprotect:directory": "Azure AD",
        });
        assert.deepEqual(problems(project, stack), []);
        assert.equal(ownSettings(resolve(project, stack)).get("serviceAccountAccess"), "full");
    });

    it("refuses what Pulumi refuses, each at its position", () => {
        const project =
            PROJECT +
            "config:\n" +
            "  serviceAccountDomain:\n    type: string\n" + // no default: Pulumi makes it required
            "  azuread:tenantId:\n    type: string\n    value: x\n" +
            "  deleteRemovedGroups:\n    type: boolean\n    default: maybe\n" +
            "  userLookupTimeoutSeconds:\n    type: integer\n";
        assert.deepEqual(problems(project, "config:\n  practiceprotect-users:userLookupTimeoutSeconds: soon\n  usersFile: x.yaml\n"), [
            `Pulumi.yaml:4:3: error: serviceAccountDomain is declared with no default, so Pulumi stops with "Stack 'dev' is missing configuration value 'serviceAccountDomain'": give it a default, set it in Pulumi.dev.yaml, or remove the declaration`,
            "Pulumi.yaml:6:3: error: azuread:tenantId: is not namespaced by the project and should not define a type",
            "Pulumi.yaml:9:3: error: deleteRemovedGroups: the default is not of the declared type 'boolean'",
            "Pulumi.dev.yaml:2:51: error: practiceprotect-users:userLookupTimeoutSeconds is 'soon'; Pulumi.yaml declares it integer",
            "Pulumi.dev.yaml:3:3: error: 'usersFile' is not a configuration key: Pulumi.<stack>.yaml keys are namespace:name, e.g. practiceprotect-users:usersFile",
        ]);
    });

    it("knows secure values as secret without reading them", () => {
        const config = resolve(PROJECT, "config:\n  practiceprotect:clientSecret:\n    secure: v1:abc\n  practiceprotect:url: https://firm.my.idaptive.app\n");
        const secret = config.values.get("practiceprotect:clientSecret")!;
        assert.deepEqual([secret.secret, secret.value], [true, ""]);
        assert.equal(config.values.get("practiceprotect:url")!.secret, false);
    });
});

describe("configuration: the allow-list", () => {
    it("refuses an unknown key of this program at FILE:LINE:COL, with did-you-mean", () => {
        assert.deepEqual(problems(PROJECT, "config:\n  practiceprotect-users:serviceAcountAccess: full\n"), [
            `Pulumi.dev.yaml:2:3: error: practiceprotect-users:serviceAcountAccess is not a setting of this program (did you mean 'serviceAccountAccess'?); the settings are usersFile, deleteRemovedUsers, deleteRemovedGroups, serviceAccountAccess, serviceAccountDomain, serviceAccountKeyVaultId, keepOffboardedPortalAccounts, removeLicensesOnOffboarding, userLookupTimeoutSeconds (docs/deploying.md, "Stack settings")`,
        ]);
    });

    it("refuses provider sign-in and endpoint keys, in either file, naming where they belong", () => {
        const found = problems(PROJECT + "config:\n  azuread:oidcRequestUrl: https://collector.example\n", "config:\n  azuread:tenantId: 00000000-0000-0000-0000-000000000001\n  azuread:metadataHost: login.collector.example\n  azure-native:clientSecret: hush\n");
        assert.equal(found.length, 3);
        assert.match(found[0], /^Pulumi\.yaml:4:3: error: azuread:oidcRequestUrl configures how the azuread provider signs in .* set ARM_OIDC_REQUEST_URL in the environment instead/);
        assert.match(found[1], /^Pulumi\.dev\.yaml:3:3: error: azuread:metadataHost configures how the azuread provider signs in or which endpoint it trusts, which a pull request must not choose; remove it and set ARM_METADATA_HOSTNAME in the environment instead/);
        assert.match(found[2], /^Pulumi\.dev\.yaml:4:3: error: azure-native:clientSecret .* set ARM_CLIENT_SECRET in the environment instead/);
    });

    it("refuses the portal's credentials, secrets on settings, unknown namespaces and a users file outside the project", () => {
        const found = problems(PROJECT, "config:\n  practiceprotect:clientSecret:\n    secure: v1:abc\n  practiceprotect-users:serviceAccountAccess:\n    secure: v1:def\n  pulumi:disable-default-providers: '[\"*\"]'\n  practiceprotect-users:usersFile: ../other/users.yaml\n");
        assert.equal(found.length, 4);
        assert.match(found[0], /^Pulumi\.dev\.yaml:2:3: error: practiceprotect:clientSecret is a credential: .* set PRACTICEPROTECT_CLIENT_SECRET in the environment/);
        assert.match(found[1], /^Pulumi\.dev\.yaml:5:5: error: practiceprotect-users:serviceAccountAccess is encrypted \(secure:\), which hides its value from validate, the plan and the reviewers/);
        assert.match(found[2], /^Pulumi\.dev\.yaml:6:3: error: pulumi:disable-default-providers is not a setting this program documents/);
        assert.match(found[3], /^Pulumi\.dev\.yaml:7:36: error: practiceprotect-users:usersFile is '\.\.\/other\/users\.yaml'; use a path inside the project/);
    });

    it("refuses a users file the pull-request workflows' paths filter would not see (not named users*.yaml)", () => {
        const [only] = problems(PROJECT, "config:\n  practiceprotect-users:usersFile: firms/acme/people.yml\n");
        assert.match(only, /^Pulumi\.dev\.yaml:2:36: error: practiceprotect-users:usersFile is 'firms\/acme\/people\.yml'; .* to a file named users\*\.yaml/);
        assert.deepEqual(problems(PROJECT, "config:\n  practiceprotect-users:usersFile: firms/acme/users-acme.yaml\n"), []);
    });
});

describe("configuration: what the review cannot read", () => {
    it("refuses a Pulumi.yaml backend, plugins or packages, and stack-file fields it does not use, each at its place", () => {
        const found = problems(PROJECT + "backend:\n  url: https://api.pulumi.example\nplugins:\n  providers: []\nmain: index.ts\n", "secretsprovider: passphrase\nextra: 1\nconfig: {}\n");
        assert.equal(found.length, 3, found.join("\n"));
        assert.match(found[0], /^Pulumi\.yaml:3:1: error: backend: in Pulumi\.yaml is not one this program uses .* where the state lives/);
        assert.match(found[1], /^Pulumi\.yaml:5:1: error: plugins: in Pulumi\.yaml is not one this program uses/);
        assert.match(found[2], /^Pulumi\.dev\.yaml:2:1: error: extra: in Pulumi\.dev\.yaml is not one this program uses/);
    });

    it("refuses YAML anchors and aliases, which would make one value stand for another", () => {
        const found = problems(PROJECT, "config:\n  practiceprotect:directory: &t acme\n  azuread:tenantId: *t\n");
        assert.equal(found.length, 2, found.join("\n"));
        assert.match(found[0], /^Pulumi\.dev\.yaml:2:33: error: Pulumi\.dev\.yaml: YAML anchors and aliases/);
        assert.match(found[1], /^Pulumi\.dev\.yaml:3:21: error: Pulumi\.dev\.yaml: YAML anchors and aliases/);
    });

    it("refuses a stack file that imports Pulumi ESC environments", () => {
        assert.deepEqual(problems(PROJECT, "environment:\n  - firm-credentials\nconfig:\n  practiceprotect-users:serviceAccountAccess: mail\n"), [
            "Pulumi.dev.yaml:1:1: error: environment: imports Pulumi ESC environments, whose configuration is not in the repository, so validate, the plan and the reviewers cannot see it; remove it and set what it holds in the stack file (settings) or the environment (credentials)",
        ]);
    });

    it("refuses stackConfigDir, which would move the stack file away from where it is reviewed", () => {
        assert.match(problems(PROJECT + "stackConfigDir: elsewhere\n")[0], /^Pulumi\.yaml:3:1: error: stackConfigDir moves the stack files away from Pulumi\.yaml/);
        assert.match(problems(PROJECT + "config: elsewhere\n")[0], /^Pulumi\.yaml:3:9: error: config: 'elsewhere' is Pulumi's old way of moving the stack files/);
    });
});

describe("configuration: project and stack files of another extension", () => {
    const files = (names: Record<string, string>) => (path: string) => names[path];

    it("refuses Pulumi.json (which Pulumi reads before Pulumi.yaml), Pulumi.yml and the stack file's .json/.yml twins, each at its own 1:1", () => {
        const config = loadConfig(files({ "Pulumi.yaml": PROJECT, "Pulumi.json": '{"name":"x","runtime":"nodejs","main":"evil/"}', "Pulumi.yml": PROJECT, "Pulumi.dev.json": "{}", "Pulumi.dev.yml": "config: {}\n", "Pulumi.prod.json": "{}" }), "dev");
        const lines = configProblems(config!).map(formatConfigProblem);
        assert.equal(lines.length, 4);
        assert.match(lines[0], /^Pulumi\.json:1:1: error: Pulumi\.json: Pulumi reads Pulumi\.json before Pulumi\.yaml, so it would replace the project file everything here checks; this project's configuration is Pulumi\.yaml and Pulumi\.<stack>\.yaml only: delete Pulumi\.json$/);
        assert.match(lines[1], /^Pulumi\.yml:1:1: error: Pulumi\.yml: Pulumi reads it when there is no Pulumi\.yaml/);
        assert.match(lines[2], /^Pulumi\.dev\.json:1:1: error: .*delete Pulumi\.dev\.json$/);
        assert.match(lines[3], /^Pulumi\.dev\.yml:1:1: error: .*delete Pulumi\.dev\.yml$/);
    });

    it("refuses them when there is no Pulumi.yaml at all, in the program before any look-up and in validate", async () => {
        assert.deepEqual(configurationProblems(files({ "Pulumi.json": "{}" }), "dev", {}, {}), [
            "Pulumi.json:1:1: error: Pulumi.json: Pulumi reads Pulumi.json before Pulumi.yaml, so it would replace the project file everything here checks; this project's configuration is Pulumi.yaml and Pulumi.<stack>.yaml only: delete Pulumi.json",
        ]);
        const dir = mkdtempSync(join(tmpdir(), "variant-"));
        writeFileSync(join(dir, "Pulumi.json"), '{"name":"practiceprotect-users","runtime":"nodejs"}');
        writeFileSync(join(dir, "users.yaml"), SMALL_FIRM);
        const io = captureIO();
        const code = await inDir(dir, () => validateCommand(["users.yaml"], io));
        assert.equal(code, 1);
        assert.match(io.stdout.join("\n"), /^Pulumi\.json:1:1: error: Pulumi\.json: Pulumi reads Pulumi\.json before Pulumi\.yaml/m);
    });

    it("stops index.ts before any look-up when a Pulumi.dev.json sits beside the checked files", async () => {
        const dir = mkdtempSync(join(tmpdir(), "variant-"));
        writeFileSync(join(dir, "Pulumi.yaml"), PROJECT);
        writeFileSync(join(dir, "Pulumi.dev.json"), '{"config":{"azuread:metadataHost":"login.collector.example"}}');
        writeFileSync(join(dir, "users.yaml"), SMALL_FIRM);
        const failure = await inDir(dir, () => deployFailure("users.yaml", {}));
        assert.match(failure.message, /\nPulumi\.dev\.json:1:1: error: Pulumi\.dev\.json: Pulumi reads the stack file with the project file's extension/);
        assert.deepEqual([failure.registrations, failure.invokes, failure.graphLookups], [[], [], []]);
    });
});

describe("symbolic links among the files the review reads", () => {
    it("refuses a users file or a stack file that is a link: the review would read the link, pulumi up the file it points to", async () => {
        const dir = mkdtempSync(join(tmpdir(), "link-"));
        writeFileSync(join(dir, "Pulumi.yaml"), PROJECT);
        writeFileSync(join(dir, "reviewed.yaml"), SMALL_FIRM);
        symlinkSync("reviewed.yaml", join(dir, "users.yaml"));
        const io = captureIO();
        assert.equal(await inDir(dir, () => validateCommand(["users.yaml"], io)), 1);
        assert.match(io.stdout.join("\n"), /^users\.yaml:1:1: error: users\.yaml is a symbolic link \(to "reviewed\.yaml"\); the review reads the link, pulumi up the file it points to/m);
        symlinkSync("Pulumi.yaml", join(dir, "Pulumi.dev.yaml"));
        assert.throws(() => loadConfig(workingTree(dir), "dev"), /Pulumi\.dev\.yaml is a symbolic link: the review reads the link, Pulumi the file it points to/);
    });
});

describe("configuration: settings pinned by the environment", () => {
    const stack = `config:\n  practiceprotect-users:serviceAccountAccess: full\n  practiceprotect-users:serviceAccountKeyVaultId: ${OTHER_VAULT}\n`;

    it("stops a committed Key Vault id the environment does not hold, or holds differently", () => {
        const config = resolve(PROJECT, stack);
        const [unset] = checkPinned(config, {}).map(formatConfigProblem);
        assert.match(unset, /^Pulumi\.dev\.yaml:3:51: error: practiceprotect-users:serviceAccountKeyVaultId is '.*kv-author' but SERVICE_ACCOUNT_KEY_VAULT_ID is not set: only the environment chooses this setting/);
        const [differs] = checkPinned(config, { SERVICE_ACCOUNT_KEY_VAULT_ID: VAULT }).map(formatConfigProblem);
        assert.match(differs, /serviceAccountKeyVaultId is '.*kv-author' but SERVICE_ACCOUNT_KEY_VAULT_ID is '.*kv-firm': only the environment chooses this setting/);
        assert.deepEqual(checkPinned(config, { SERVICE_ACCOUNT_KEY_VAULT_ID: OTHER_VAULT.toUpperCase() }), [], "ARM ids compare without case");
    });

    it("takes the Key Vault id from the environment when only it holds one", () => {
        const settings = withPinnedSettings({ get: (k) => ({ serviceAccountAccess: "full" })[k as "serviceAccountAccess"] }, { SERVICE_ACCOUNT_KEY_VAULT_ID: VAULT });
        assert.equal(settings.get("serviceAccountKeyVaultId"), VAULT);
        assert.equal(withPinnedSettings({ get: () => undefined }, { SERVICE_ACCOUNT_KEY_VAULT_ID: VAULT }).get("serviceAccountKeyVaultId"), undefined, "no service account, no vault");
    });

    it("checks the configuration the engine handed over too (keys from neither file, e.g. a Pulumi ESC environment)", () => {
        const read = (path: string) => (path === "Pulumi.yaml" ? PROJECT : undefined);
        const lines = configurationProblems(read, "dev", {}, { "azuread:metadataHost": "login.collector.example", "practiceprotect:scope": "all" });
        assert.equal(lines.length, 2);
        assert.match(lines[0], /^azuread:metadataHost \(set outside Pulumi\.yaml and Pulumi\.dev\.yaml, e\.g\. by a Pulumi ESC environment\): azuread:metadataHost configures how the azuread provider signs in/);
        assert.match(lines[1], /^practiceprotect:scope is 'all' but PRACTICEPROTECT_SCOPE is not set/);
    });

    it("stops index.ts before any look-up, Graph call or resource when the committed vault differs from the environment's", async () => {
        const dir = mkdtempSync(join(tmpdir(), "pinned-"));
        writeFileSync(join(dir, "Pulumi.yaml"), PROJECT);
        writeFileSync(join(dir, "Pulumi.dev.yaml"), stack);
        writeFileSync(join(dir, "users.yaml"), SMALL_FIRM);
        const was = process.env.SERVICE_ACCOUNT_KEY_VAULT_ID;
        process.env.SERVICE_ACCOUNT_KEY_VAULT_ID = VAULT;
        try {
            const failure = await inDir(dir, () => deployFailure("users.yaml", { config: { serviceAccountAccess: "full", serviceAccountKeyVaultId: OTHER_VAULT } }));
            assert.match(failure.message, /the stack's configuration cannot be used; nothing was read or deployed and no credential was used:\nPulumi\.dev\.yaml:3:51: error: practiceprotect-users:serviceAccountKeyVaultId is '.*kv-author' but SERVICE_ACCOUNT_KEY_VAULT_ID is '.*kv-firm'/);
            assert.deepEqual([failure.registrations, failure.invokes, failure.graphLookups], [[], [], []]);
        } finally {
            if (was === undefined) delete process.env.SERVICE_ACCOUNT_KEY_VAULT_ID;
            else process.env.SERVICE_ACCOUNT_KEY_VAULT_ID = was;
        }
    });

    it("stops index.ts before any look-up when a committed file sets azuread:metadataHost", async () => {
        const dir = mkdtempSync(join(tmpdir(), "refused-"));
        writeFileSync(join(dir, "Pulumi.yaml"), PROJECT);
        writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  azuread:metadataHost: login.collector.example\n");
        writeFileSync(join(dir, "users.yaml"), SMALL_FIRM);
        const failure = await inDir(dir, () => deployFailure("users.yaml", { config: { "azuread:metadataHost": "login.collector.example" } }));
        assert.match(failure.message, /\nPulumi\.dev\.yaml:2:3: error: azuread:metadataHost configures how the azuread provider signs in/);
        assert.deepEqual([failure.registrations, failure.invokes, failure.graphLookups], [[], [], []]);
    });
});

describe("configuration: validate and plan agree", function () {
    this.timeout(60_000);
    // Two Global Administrators, and a limit of two: the full-access service account would be the third.
    const TWO_ADMINS = SMALL_FIRM.replace("tenant:\n", "tenant:\n  maxGlobalAdmins: 2\n").replace("    adminRoles: [Exchange Administrator]\n", "    adminRoles: [Global Administrator]\n").replace("    adminRoles: [Global Administrator]\n    enabled: false\n", "    adminRoles: [Global Administrator]\n");
    const project = (files: Record<string, string>) => {
        const dir = mkdtempSync(join(tmpdir(), "agree-"));
        for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
        return dir;
    };

    for (const [where, files] of [
        ["the stack file", { "Pulumi.yaml": PROJECT, "Pulumi.dev.yaml": "config:\n  practiceprotect-users:serviceAccountAccess: full\n" }],
        ["a Pulumi.yaml project default", { "Pulumi.yaml": PROJECT + "config:\n  serviceAccountAccess: full\n" }],
    ] as const) {
        it(`fails both on a third Global Administrator counted through serviceAccountAccess: full in ${where}`, async () => {
            const dir = project({ ...files, "users.yaml": TWO_ADMINS });
            const validate = captureIO();
            assert.equal(await inDir(dir, () => validateCommand(["--stack", "dev"], validate)), 1);
            const plan = captureIO();
            assert.equal(await inDir(dir, () => planCommand(["--stack", "dev"], plan)), 1);
            const message = /3 Global Administrators \(jane\.citizen, pete\.leaver, the practiceprotect service account\) but tenant\.maxGlobalAdmins is 2/;
            assert.match(validate.stdout.join("\n"), message);
            assert.match(plan.stderr.join("\n"), message);
            // Without the service account both pass.
            writeFileSync(join(dir, "Pulumi.yaml"), PROJECT);
            writeFileSync(join(dir, "Pulumi.dev.yaml"), "config: {}\n");
            assert.equal(await inDir(dir, () => validateCommand(["--stack", "dev"], captureIO())), 0);
        });
    }

    it("fails both on a refused key, at its position", async () => {
        const dir = project({ "Pulumi.yaml": PROJECT, "Pulumi.prod.yaml": "config:\n  azuread:oidcToken: eyJ\n", "users.yaml": SMALL_FIRM });
        const validate = captureIO();
        assert.equal(await inDir(dir, () => validateCommand(["--stack", "prod"], validate)), 1);
        const plan = captureIO();
        assert.equal(await inDir(dir, () => planCommand(["--stack", "prod"], plan)), 1);
        const line = /^Pulumi\.prod\.yaml:2:3: error: azuread:oidcToken configures how the azuread provider signs in .* set ARM_OIDC_TOKEN in the environment instead/;
        assert.match(validate.stdout[0], line);
        assert.match(plan.stderr[0], line);
        assert.equal(validate.stderr[0], "users.yaml: 1 error, 1 warning; nothing would be deployed");
        // The default stack, dev, has no such key.
        assert.equal(await inDir(dir, () => validateCommand([], captureIO())), 0);
    });

    it("names an unusable setting at its value, in the file that set it", async () => {
        const dir = project({ "Pulumi.yaml": PROJECT + "config:\n  serviceAccountAccess: global\n", "Pulumi.dev.yaml": "config:\n  practiceprotect-users:deleteRemovedUsers: maybe\n", "users.yaml": SMALL_FIRM });
        const validate = captureIO();
        assert.equal(await inDir(dir, () => validateCommand([], validate)), 1);
        const plan = captureIO();
        assert.equal(await inDir(dir, () => planCommand([], plan)), 1);
        const expected = [
            "Pulumi.dev.yaml:2:45: error: practiceprotect-users:deleteRemovedUsers is 'maybe'; set it to true or false",
            "Pulumi.yaml:4:25: error: practiceprotect-users:serviceAccountAccess is 'global'; use full (Global Administrator) or mail (Exchange Administrator), or remove it to manage no service account",
        ];
        assert.deepEqual(validate.stdout.slice(0, 2), expected, "validate goes on to check the users file too");
        assert.deepEqual(plan.stderr, expected);
    });

    it("names an unusable setting at its value in pulumi up too, before any look-up", async () => {
        const dir = project({ "Pulumi.yaml": PROJECT, "Pulumi.dev.yaml": "config:\n  practiceprotect-users:deleteRemovedUsers: maybe\n", "users.yaml": SMALL_FIRM });
        const failure = await inDir(dir, () => deployFailure("users.yaml", { config: { deleteRemovedUsers: "maybe" } }));
        assert.equal(failure.message.split("\n").slice(-2).join("\n"), "stack settings cannot be used; nothing was read or deployed:\nPulumi.dev.yaml:2:45: error: practiceprotect-users:deleteRemovedUsers is 'maybe'; set it to true or false");
        assert.deepEqual([failure.registrations, failure.invokes, failure.graphLookups], [[], [], []]);
    });

    it("validates the users file the configuration names, as the plan does", async () => {
        const dir = project({ "Pulumi.yaml": PROJECT + "config:\n  usersFile: users-firm.yaml\n", "users-firm.yaml": "users:\n  x: { displayName: X }\n", "users.yaml": SMALL_FIRM });
        const validate = captureIO();
        assert.equal(await inDir(dir, () => validateCommand([], validate)), 1);
        assert.match(validate.stdout[0], /^users-firm\.yaml:2:3: error: user 'x': userPrincipalName is required/);
    });
});

describe("configuration in the review (plan --base)", function () {
    this.timeout(60_000);
    const BASE_STACK = "config:\n  practiceprotect-users:serviceAccountAccess: mail\n  practiceprotect:clientSecret:\n    secure: v1:old\n";

    it("shows every configuration change under Needs attention, in every format", async () => {
        const dir = mkdtempSync(join(tmpdir(), "config-review-"));
        writeFileSync(join(dir, "Pulumi.yaml"), PROJECT + "config:\n  deleteRemovedGroups: false\n");
        writeFileSync(join(dir, "Pulumi.dev.yaml"), BASE_STACK);
        writeFileSync(join(dir, "users.yaml"), SMALL_FIRM);
        commitEverything(dir);
        // The head: a project default flipped, a tenant set, and the base's secret removed (a committed secret is
        // refused at the head, so a changed one is shown below, in configChanges).
        writeFileSync(join(dir, "Pulumi.yaml"), PROJECT + "config:\n  deleteRemovedGroups: true\n  azuread:tenantId: 00000000-0000-0000-0000-000000000002\n");
        writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  practiceprotect-users:serviceAccountAccess: mail\n");
        const expected = [
            "configuration azuread:tenantId: (unset) → '00000000-0000-0000-0000-000000000002'",
            "configuration practiceprotect-users:deleteRemovedGroups: 'false' → 'true'",
            "configuration practiceprotect:clientSecret: (secret removed)",
        ];
        const terminal = captureIO();
        assert.equal(await inDir(dir, () => planCommand(["--base", "main"], terminal)), 0, terminal.stderr.join("\n"));
        assert.deepEqual(terminal.stdout.slice(0, 7), ["Review of users.yaml: main → working tree", "3 configuration changes", "", "Needs attention", ...expected.map((l) => `  ! ${l}`)]);
        const markdown = captureIO();
        await inDir(dir, () => planCommand(["--base", "main", "--format", "markdown"], markdown));
        assert.match(markdown.stdout.join("\n"), new RegExp(`> \\*\\*Needs attention\\*\\*\\n${expected.map((l) => `> - ${l.replace(/[()|.*+?[\]\\]/g, "\\$&")}`).join("\\n")}`));
        const json = captureIO();
        await inDir(dir, () => planCommand(["--base", "main", "--format", "json"], json));
        const parsed = JSON.parse(json.stdout.join("\n"));
        assert.deepEqual(parsed.config, [
            { key: "azuread:tenantId", to: "00000000-0000-0000-0000-000000000002", secret: false },
            { key: "practiceprotect-users:deleteRemovedGroups", from: "false", to: "true", secret: false },
            { key: "practiceprotect:clientSecret", from: "(secret)", secret: true },
        ]);
        assert.deepEqual(parsed.attention, expected);
        assert.ok(!json.stdout.join("\n").includes("v1:old"), "a secret's ciphertext is never shown");
    });

    it("reads a file of more than 1 MiB at a revision (a 5,000-person users.yaml is about 2 MB), and refuses a revision that looks like an option", () => {
        const dir = mkdtempSync(join(tmpdir(), "config-big-"));
        const big = "# filler\n".repeat(200_000);
        writeFileSync(join(dir, "users.yaml"), big);
        commitEverything(dir);
        assert.equal(revisionReader("main", "--head", dir)("users.yaml"), big);
        assert.equal(revisionReader("main", "--head", dir)("missing.yaml"), undefined);
        assert.throws(() => revisionReader("--output=/tmp/x", "--head", dir), (e: Error) => e instanceof UsageError && /--head '--output=\/tmp\/x': name a commit, branch or tag/.test(e.message));
    });

    it("writes line breaks and invisible characters in a value as escapes, so a value cannot start a review line of its own", () => {
        const base = resolve(PROJECT, "config:\n  practiceprotect:directory: Azure AD\n");
        const head = resolve(PROJECT, 'config:\n  practiceprotect:directory: "Azure AD\\n> - nothing else changed\\u202e"\n');
        assert.deepEqual(configChanges(base, head).map(describeConfigChange), ["configuration practiceprotect:directory: 'Azure AD' → 'Azure AD\\u000a> - nothing else changed\\u202e'"]);
    });

    it("says a secret changed without showing it", () => {
        const base = resolve(PROJECT, "config:\n  practiceprotect:clientSecret:\n    secure: v1:old\n");
        const head = resolve(PROJECT, "config:\n  practiceprotect:clientSecret:\n    secure: v1:new\n");
        assert.deepEqual(configChanges(base, head), [{ key: "practiceprotect:clientSecret", from: "(secret)", to: "(secret)", secret: true }]);
        assert.deepEqual(configChanges(base, base), []);
    });

    it("with --head, reads the head side from the revision as data and ignores the working tree", async () => {
        const dir = mkdtempSync(join(tmpdir(), "config-head-"));
        writeFileSync(join(dir, "Pulumi.yaml"), PROJECT);
        writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  practiceprotect-users:serviceAccountAccess: mail\n");
        writeFileSync(join(dir, "users.yaml"), SMALL_FIRM);
        commitEverything(dir);
        git(dir, "checkout", "-q", "-b", "pr");
        writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  practiceprotect-users:serviceAccountAccess: full\n  practiceprotect-users:usersFile: users-firm.yaml\n");
        writeFileSync(join(dir, "users-firm.yaml"), SMALL_FIRM.replace("Senior Accountant", "Partner"));
        git(dir, "add", "-A");
        git(dir, "commit", "-q", "-m", "head");
        git(dir, "checkout", "-q", "main");
        // The working tree says something else again: it must not be read.
        writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  azuread:metadataHost: login.collector.example\n");
        writeFileSync(join(dir, "users.yaml"), "not: [valid\n");

        const io = captureIO();
        assert.equal(await inDir(dir, () => planCommand(["--base", "main", "--head", "pr", "--stack", "dev", "--format", "json"], io)), 0, io.stderr.join("\n"));
        const parsed = JSON.parse(io.stdout.join("\n"));
        assert.deepEqual([parsed.file, parsed.head], ["users-firm.yaml", "pr"]);
        // The lines about people are another part's business; these are the head's configuration, read from pr.
        assert.deepEqual(parsed.attention.filter((l: string) => !l.startsWith("jane.citizen")), [
            "the practiceprotect service account: Exchange Administrator (mail) → Global Administrator (full)",
            "configuration practiceprotect-users:serviceAccountAccess: 'mail' → 'full'",
            "configuration practiceprotect-users:usersFile: (unset) → 'users-firm.yaml'",
        ]);
        assert.deepEqual(parsed.people.map((p: { key: string; attributes: { field: string; to: string }[] }) => [p.key, p.attributes]), [["jane.citizen", [{ field: "jobTitle", from: "Senior Accountant", to: "Partner" }]]]);
        const markdown = captureIO();
        await inDir(dir, () => planCommand(["--base", "main", "--head", "pr", "--format", "markdown"], markdown));
        assert.equal(markdown.stdout[0], "**1 changed, service account changed, 2 configuration changes** · users-firm.yaml: main → pr");
    });
});
