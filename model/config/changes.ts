import type { ConfigEntry, ResolvedConfig } from "./resolve";

/** One configuration difference between the base and the head, as `pulumi up` would see it. */
export interface ConfigChange {
    /** `namespace:name`, or `Pulumi.yaml name` / `Pulumi.<stack>.yaml secretsprovider` for the files' other fields. */
    key: string;
    /** The value before and after, as the program reads it; undefined when unset. A secret's is "(secret)". */
    from?: string;
    to?: string;
    secret: boolean;
}

export const SECRET_VALUE = "(secret)";

const shown = (entry: ConfigEntry | undefined) => (entry === undefined ? undefined : entry.secret ? SECRET_VALUE : entry.value);

/**
 * Every key whose resolved value differs between two sides (project defaults and stack file, each), in any
 * namespace, and every other field of either file that changed (a project renamed, a secrets provider moved).
 * Secrets are compared by their ciphertext and never shown.
 */
export function configChanges(base: ResolvedConfig | undefined, head: ResolvedConfig): ConfigChange[] {
    const changes: ConfigChange[] = [];
    const before = base?.values ?? new Map<string, ConfigEntry>();
    const keys = [...new Set([...before.keys(), ...head.values.keys()])].sort();
    for (const key of keys) {
        const [a, b] = [before.get(key), head.values.get(key)];
        if (a && b && a.written === b.written && a.secret === b.secret) continue;
        changes.push({ key, from: shown(a), to: shown(b), secret: !!(a?.secret || b?.secret) });
    }
    const fields = (label: string, from: Record<string, string>, to: Record<string, string>) => {
        for (const field of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
            if (from[field] === to[field]) continue;
            const secret = field === "encryptedkey" || field === "encryptionsalt";
            changes.push({ key: `${label} ${field}`, from: secret && from[field] ? SECRET_VALUE : from[field], to: secret && to[field] ? SECRET_VALUE : to[field], secret });
        }
    };
    fields("Pulumi.yaml", base?.projectFields ?? {}, head.projectFields);
    fields(`Pulumi.${head.stack}.yaml`, base?.stackFields ?? {}, head.stackFields);
    return changes;
}

/**
 * The line under "Needs attention" for one change. Line breaks, other control characters and invisible or
 * direction-changing characters in a key or value are written as \u escapes: a pull request writes these
 * values, and must not be able to start a line of its own in the review or hide part of one.
 */
export function describeConfigChange(change: ConfigChange): string {
    const key = visible(change.key);
    if (change.secret) return `configuration ${key}: (secret ${change.from === undefined ? "set" : change.to === undefined ? "removed" : "changed"})`;
    const value = (v: string | undefined) => (v === undefined ? "(unset)" : `'${visible(v)}'`);
    return `configuration ${key}: ${value(change.from)} → ${value(change.to)}`;
}

const visible = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
