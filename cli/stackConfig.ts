import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface StackConfig {
    /** Plain settings of this project, without the project prefix. */
    settings: Record<string, string>;
    /** Keys set with `pulumi config set --secret`: their values are encrypted and not read offline. */
    secretKeys: string[];
}

/** Reads the settings a stack file (Pulumi.<stack>.yaml) gives, for running the program offline. */
export function readStackConfig(file: string, project: string): StackConfig {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch {
        return { settings: {}, secretKeys: [] };
    }
    return parseStackConfig(text, project);
}

/** The settings in the text of a stack file. */
export function parseStackConfig(text: string, project: string): StackConfig {
    const config = (parse(text)?.config ?? {}) as Record<string, unknown>;
    const settings: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(config)) {
        const name = key.startsWith(`${project}:`) ? key.slice(project.length + 1) : key;
        if (value && typeof value === "object" && "secure" in value) secretKeys.push(name);
        else settings[name] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { settings, secretKeys };
}
