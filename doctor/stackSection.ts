import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { readStackSettings, SettingsError, type StackSettings } from "../components/settings";
import { formatDiagnostic, loadUsersFile, type FirmModel } from "../model";
import { configProblems, formatConfigProblem, loadConfig, ownSettings, workingTree, type ResolvedConfig } from "../model/config";
import type { Check } from "./check";
import type { StackFileSecrets } from "./pulumiChecks";

/**
 * The configuration as `pulumi up` resolves it (Pulumi.yaml's defaults, then the stack file): `settings` holds
 * plain values by name, this project's without its prefix (`usersFile`), others in full (`azuread:tenantId`).
 */
export interface StackConfig {
    settings: Record<string, string>;
    /** Keys whose value is encrypted (`secure:`): never read here. */
    secretKeys: string[];
}

/** The stack's files, read as `pulumi up` would read them: Pulumi.yaml, Pulumi.<stack>.yaml, the users file. */
export interface StackFiles {
    project: string;
    config: StackConfig;
    secrets: StackFileSecrets;
    settings?: StackSettings;
    usersFile: string;
    model?: FirmModel;
    checks: Check[];
}

export function readStack(cwd: string, stack: string, env: Readonly<Record<string, string | undefined>> = {}): StackFiles {
    const resolved = loadConfig(workingTree(cwd), stack);
    if (!resolved) throw new Error(`no Pulumi.yaml in ${cwd}: run the doctor in the project directory`);
    const project = resolved.project;
    const exists = existsSync(join(cwd, `Pulumi.${stack}.yaml`));
    const field = (name: string) => (resolved.stackFields[name] === undefined ? undefined : JSON.parse(resolved.stackFields[name]));
    const secrets: StackFileSecrets = { exists, secretsProvider: typeof field("secretsprovider") === "string" ? field("secretsprovider") : undefined, passphrase: typeof field("encryptionsalt") === "string" };
    const config = stackConfigOf(resolved);
    const checks: Check[] = [configurationCheck(resolved, env)];
    const base = { id: "stack.settings", section: "Stack" as const, title: "Stack settings" };
    let settings: StackSettings | undefined;
    if (!exists) {
        checks.push({ ...base, verdict: "fail", detail: `Pulumi.${stack}.yaml does not exist`, advice: [`pulumi stack init ${stack}, set its settings (docs/deploying.md, "Stack settings") and commit Pulumi.${stack}.yaml; or pass --stack with an existing stack.`] });
    } else {
        try {
            settings = readStackSettings(ownSettings(resolved), project);
            const set = Object.keys(config.settings).filter((k) => !k.includes(":")).sort();
            checks.push({ ...base, verdict: "pass", detail: `Pulumi.${stack}.yaml: ${set.length ? set.join(", ") : "defaults only"}${config.secretKeys.length ? `; secret (not read here): ${config.secretKeys.join(", ")}` : ""}` });
        } catch (e) {
            if (!(e instanceof SettingsError)) throw e;
            checks.push({ ...base, verdict: "fail", detail: e.message.replace(/^stack settings:\s*/, "").replace(/\n\s*/g, "; "), advice: ["Correct the settings with pulumi config set (docs/deploying.md, \"Stack settings\")."] });
        }
    }
    const usersFile = relative(process.cwd(), resolve(cwd, settings?.usersFile ?? config.settings.usersFile ?? "users.yaml")) || "users.yaml";
    const externalGlobalAdmins = settings?.serviceAccount?.access === "full" ? ["the practiceprotect service account"] : [];
    const { source, model, diagnostics } = loadUsersFile(usersFile, { externalGlobalAdmins });
    const errors = diagnostics.filter((d) => d.severity === "error");
    const fileBase = { id: "stack.usersFile", section: "Stack" as const, title: "Users file" };
    if (!model) {
        const shown = errors.slice(0, 5).map((d) => formatDiagnostic(source, d));
        checks.push({
            ...fileBase,
            verdict: "fail",
            detail: `${usersFile} has ${errors.length} ${errors.length === 1 ? "error" : "errors"}: ${shown.join("; ")}${errors.length > 5 ? "; ..." : ""}`,
            advice: [`npm run validate -- ${usersFile} lists every error with its position; the checks that need users.yaml were skipped.`],
        });
    } else {
        const warnings = diagnostics.length - errors.length;
        checks.push({ ...fileBase, verdict: "pass", detail: `${usersFile}: valid, ${model.users.length} users${warnings ? `, ${warnings} ${warnings === 1 ? "warning" : "warnings"} (npm run validate shows them)` : ""}` });
    }
    return { project, config, secrets, settings, usersFile, model: model ?? undefined, checks };
}

function stackConfigOf(config: ResolvedConfig): StackConfig {
    const entries = [...config.values.values()];
    const name = (key: string) => (key.startsWith(`${config.project}:`) ? key.slice(config.project.length + 1) : key);
    return {
        settings: Object.fromEntries(entries.filter((e) => !e.secret).map((e) => [name(e.key), e.value])),
        secretKeys: entries.filter((e) => e.secret).map((e) => name(e.key)),
    };
}

/**
 * What would stop `pulumi up` in the committed configuration, as validate, the plan and the program see it,
 * with the settings the environment pins compared against this environment's values.
 */
function configurationCheck(config: ResolvedConfig, env: Readonly<Record<string, string | undefined>>): Check {
    const base = { id: "stack.configuration", section: "Stack" as const, title: "Committed configuration" };
    const problems = configProblems(config, env).map(formatConfigProblem);
    if (!problems.length) return { ...base, verdict: "pass", detail: `Pulumi.yaml and Pulumi.${config.stack}.yaml set only documented keys, and the environment holds every pinned setting they set` };
    return {
        ...base,
        verdict: "fail",
        detail: problems.join("; "),
        advice: ["Remove the refused keys from the committed files and set what they configure in the environment; a pinned setting (Key Vault id, portal URL, scope, sign-in) is set in the environment (docs/deploying.md, \"Stack settings\")."],
    };
}
