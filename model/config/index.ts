/** Pulumi configuration as `pulumi up` resolves it, what committed files may set, and what the environment pins. */
import { formatDiagnostic } from "../diagnostics";
import { checkAllowList } from "./allowList";
import { checkPinned } from "./pinned";
import type { ConfigProblem, ResolvedConfig } from "./resolve";

export { checkAllowList, refusal, PORTAL_SETTING_KEYS, PROGRAM_SETTING_KEYS, OTHER_ALLOWED_KEYS } from "./allowList";
export { configChanges, ConfigChange, describeConfigChange, SECRET_VALUE } from "./changes";
export { loadConfig, ProjectReader, strayProjectFiles, workingTree } from "./load";
export { checkPinned, PINNED_SETTINGS, PinnedSetting, pinnedKey, pinnedMismatch, pinnedValue } from "./pinned";
export { ConfigEntry, ConfigProblem, ownSettings, parseStackKey, resolveConfig, ResolvedConfig } from "./resolve";

/**
 * Everything that stops a run in the committed configuration: what Pulumi itself refuses, and keys outside the
 * allow-list; with `env`, also pinned settings the environment does not hold. In file order.
 */
export function configProblems(config: ResolvedConfig, env?: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
    const problems = [...config.problems, ...checkAllowList(config), ...(env ? checkPinned(config, env) : [])];
    const order = (p: ConfigProblem) => (p.source === config.projectFile ? 0 : 1);
    return problems.sort((a, b) => order(a) - order(b) || a.diagnostic.range[0] - b.diagnostic.range[0]);
}

/** `Pulumi.dev.yaml:3:3: error: MESSAGE`. */
export const formatConfigProblem = (p: ConfigProblem) => formatDiagnostic(p.source, p.diagnostic);

/**
 * The lines of a settings error (components/settings.ts: each starts with the full key) as FILE:LINE:COL errors,
 * at the value that decided the setting: the stack file's, or the Pulumi.yaml default's.
 */
export function locateSettingsProblems(config: ResolvedConfig, lines: readonly string[]): string[] {
    return lines.map((line) => {
        const key = /^([^\s:]+:\S+)/.exec(line)?.[1];
        const entry = key === undefined ? undefined : config.values.get(key);
        const where = entry ? entry.source.location(entry.valueRange) : (config.stackFile ?? config.projectFile).path;
        return `${where}: error: ${line}`;
    });
}
