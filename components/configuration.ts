import { configProblems, formatConfigProblem, loadConfig, PINNED_SETTINGS, pinnedKey, pinnedMismatch, pinnedValue, ProjectReader, refusal, strayProjectFiles } from "../model/config";
import type { ConfigSource } from "./settings";

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * What stops the program before it reads anything from Entra or the portal, or lets any provider sign in: the
 * committed Pulumi.yaml and Pulumi.<stack>.yaml checked as validate and the plan check them (allow-list, Pulumi's
 * own rules), pinned settings the environment does not hold, and the same two checks over the configuration the
 * engine actually handed the program (`engine`, every `namespace:name`), which also holds keys that come from
 * neither file (a Pulumi ESC environment, `--config`). One line per problem, FILE:LINE:COL where there is a file.
 */
export function configurationProblems(read: ProjectReader, stack: string, env: Environment, engine: Readonly<Record<string, string>>, projectName = ""): string[] {
    const config = loadConfig(read, stack);
    const lines = (config ? configProblems(config, env) : strayProjectFiles(read, stack)).map(formatConfigProblem);
    const project = config?.project || projectName;
    const written = new Set(config?.written.map((e) => e.key) ?? []);
    for (const [key, value] of Object.entries(engine).sort(([a], [b]) => a.localeCompare(b))) {
        const [namespace, ...rest] = key.split(":");
        const name = rest.join(":");
        if (!written.has(key)) {
            const why = project && refusal({ key, namespace, name }, project);
            if (why) lines.push(`${key} (set outside Pulumi.yaml and Pulumi.${stack}.yaml, e.g. by a Pulumi ESC environment): ${why}`);
        }
        const setting = PINNED_SETTINGS.find((s) => pinnedKey(s, project) === key);
        // A committed value was checked above, at its position; this catches one from anywhere else.
        const mismatch = setting && !written.has(key) ? pinnedMismatch(key, value, setting, pinnedValue(setting, env)) : undefined;
        if (mismatch) lines.push(mismatch);
    }
    return lines;
}

/**
 * The program's settings with the pinned ones taken from the environment: the Key Vault id is
 * SERVICE_ACCOUNT_KEY_VAULT_ID's (a committed value, if any, was checked to be the same), and only when a
 * service account is created at all.
 */
export function withPinnedSettings(config: ConfigSource, env: Environment): ConfigSource {
    const pinned = new Map(PINNED_SETTINGS.filter((s) => s.namespace === "project").map((s) => [s.name, pinnedValue(s, env)]));
    return {
        get: (key) => {
            if (!pinned.has(key)) return config.get(key);
            const fromEnvironment = key === "serviceAccountKeyVaultId" && config.get("serviceAccountAccess") === undefined ? undefined : pinned.get(key);
            return fromEnvironment ?? config.get(key);
        },
    };
}
