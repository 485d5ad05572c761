import type { Document } from "yaml";
import * as z from "zod";
import { describePath } from "./describe";
import { Diagnostic } from "./diagnostics";
import { locate, Path, sourceText } from "./locate";
import { didYouMean, nearest } from "./suggest";

/**
 * Turns zod's issues into users.yaml diagnostics that name the field, say what was expected and what the
 * file holds, explain YAML's traps (an unquoted phone number is a number; `yes` is not a boolean in YAML 1.2),
 * and suggest the nearest valid name.
 */
export function diagnosticsFromIssues(
    issues: readonly z.core.$ZodIssue[],
    schema: z.ZodType,
    document: Document.Parsed,
    text: string,
): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const issue of issues) {
        const path = issue.path as Path;
        if (issue.code === "unrecognized_keys") {
            const allowed = keysAt(schema, path);
            for (const key of issue.keys) {
                const where = describePath(path);
                out.push({
                    severity: "error",
                    code: "unknown-key",
                    range: locate(document, [...path, key], "key"),
                    message: `${where}: unknown key '${key}'${didYouMean(key, allowed)}; allowed keys are ${allowed.join(", ")}`,
                });
            }
            continue;
        }
        const written = sourceText(document, text, path);
        const missing = issue.code === "invalid_type" && issue.input === undefined && path.length > 1;
        out.push({
            severity: "error",
            code: missing ? "missing-field" : issue.code === "invalid_value" && typeof issue.input === "string" ? "unknown-value" : "wrong-type",
            range: missing ? locate(document, path.slice(0, -1), "key") : locate(document, path),
            message: `${describePath(path)} ${explain(issue, written)}`,
        });
    }
    return out;
}

function explain(issue: z.core.$ZodIssue, written: string): string {
    const field = String(issue.path[issue.path.length - 1] ?? "");
    switch (issue.code) {
        case "invalid_type":
            return explainType(issue.expected, issue.input, written, field);
        case "invalid_value": {
            if (typeof issue.input !== "string") return explainType("string", issue.input, written, field);
            const value = String(issue.input);
            if (isCountryList(issue.values)) {
                const upper = value.toUpperCase();
                const hint = issue.values.includes(upper) ? ` (write it in capitals: ${upper})` : "; use a code such as AU, NZ or GB";
                return `is '${value}', which is not an ISO 3166-1 alpha-2 country code${hint}`;
            }
            const match = nearest(value, issue.values.map(String));
            return match
                ? `'${value}' is not a known admin role (did you mean '${match}'?)`
                : `'${value}' is not a known admin role; known roles: ${issue.values.join(", ")}`;
        }
        case "too_small":
            return issue.origin === "string" ? "must not be empty" : `must be at least ${issue.minimum}, got ${String(issue.input)}`;
        case "invalid_format":
            return issue.format === "guid" || issue.format === "uuid"
                ? `must be an Entra object id, a GUID like 00000000-0000-0000-0000-000000000000; got '${String(issue.input)}'`
                : `has the wrong format: ${issue.message}`;
        default:
            return issue.message;
    }
}

function explainType(expected: string, input: unknown, written: string, field: string): string {
    const got = input === undefined ? "nothing" : input === null ? "an empty value" : `${typeof input} ${JSON.stringify(input)}`;
    if (input === undefined) return `is required: add ${field ? `${field}: ...` : "it"}`;
    if (expected === "string" && typeof input === "number") {
        const lostDigits = /^[+0]/.test(written.trim());
        return (
            `must be quoted text: YAML read ${written} as the number ${input}` +
            (lostDigits ? ` and dropped its leading ${written.trim()[0] === "+" ? "+" : "zero"}` : "") +
            `; write ${field}: "${written.trim()}"`
        );
    }
    if (expected === "string" && typeof input === "boolean") {
        return `must be quoted text: YAML read ${written} as the boolean ${input}; write ${field}: "${written.trim()}"`;
    }
    if (expected === "boolean" && typeof input === "string") {
        const meant = /^(y|yes|on|true)$/i.test(input) ? "true" : /^(n|no|off|false)$/i.test(input) ? "false" : "true or false";
        return `must be true or false, not '${input}' (YAML 1.2 reads ${written} as text): write ${field}: ${meant}`;
    }
    if (expected === "int") return `must be a whole number, got ${got}`;
    if (expected === "array") return `must be a list such as [A, B], got ${got}`;
    if (expected === "object" || expected === "record") return `must be a mapping of keys to values, got ${got}`;
    return `must be a ${expected}, got ${got}`;
}

const isCountryList = (values: readonly unknown[]) => values.length > 200 && values.every((v) => typeof v === "string" && v.length === 2);

/** The keys the schema allows at `path` (for did-you-mean on unknown keys). */
export function keysAt(schema: z.ZodType, path: Path): string[] {
    let node: z.ZodType | undefined = schema;
    for (const segment of path) {
        node = unwrap(node);
        if (node instanceof z.ZodObject) node = node.shape[segment as string];
        else if (node instanceof z.ZodRecord) node = node.def.valueType as z.ZodType;
        else if (node instanceof z.ZodArray) node = node.def.element as z.ZodType;
        else return [];
    }
    node = unwrap(node);
    return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
    while (node instanceof z.ZodOptional || node instanceof z.ZodDefault || node instanceof z.ZodNullable) {
        node = node.def.innerType as z.ZodType;
    }
    return node;
}
