import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parse } from "yaml";
import { readStackConfig, type StackConfig } from "../cli/stackConfig";
import { readStackSettings, SettingsError, type StackSettings } from "../components/settings";
import { formatDiagnostic, loadUsersFile, type FirmModel } from "../model";
import type { Check } from "./check";
import type { StackFileSecrets } from "./pulumiChecks";

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

export function readStack(cwd: string, stack: string): StackFiles {
    const project = String(parse(readFileSync(join(cwd, "Pulumi.yaml"), "utf8"))?.name ?? "");
    const stackFile = join(cwd, `Pulumi.${stack}.yaml`);
    const exists = existsSync(stackFile);
    const raw = exists ? ((parse(readFileSync(stackFile, "utf8")) ?? {}) as Record<string, unknown>) : {};
    const secrets: StackFileSecrets = { exists, secretsProvider: typeof raw.secretsprovider === "string" ? raw.secretsprovider : undefined, passphrase: typeof raw.encryptionsalt === "string" };
    const config = readStackConfig(stackFile, project);
    const checks: Check[] = [];
    const base = { id: "stack.settings", section: "Stack" as const, title: "Stack settings" };
    let settings: StackSettings | undefined;
    if (!exists) {
        checks.push({ ...base, verdict: "fail", detail: `Pulumi.${stack}.yaml does not exist`, advice: [`pulumi stack init ${stack}, set its settings (docs/deploying.md, "Stack settings") and commit Pulumi.${stack}.yaml; or pass --stack with an existing stack.`] });
    } else {
        try {
            settings = readStackSettings({ get: (key) => config.settings[key] }, project);
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
