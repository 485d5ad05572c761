import { Document, isAlias, isMap, isScalar, isSeq, Node, Pair, parseDocument, visit } from "yaml";
import { Diagnostic, SourceFile } from "../diagnostics";
import { MAX_FILE_BYTES } from "../parse";


/**
 * The top-level fields this program's Pulumi.yaml uses, and those of a stack file (config, and what
 * `pulumi stack init --secrets-provider` writes; `environment:` is refused where it is read). Any other field is
 * refused: Pulumi.yaml's backend (where the state lives, and where PULUMI_ACCESS_TOKEN is sent), plugins and packages
 * (what Pulumi downloads and runs) are for an administrator, not a pull request (pulumi/pulumi
 * sdk/go/common/workspace/project.go, Project and ProjectStack).
 */
const PROJECT_FIELDS = new Set(["name", "runtime", "description", "main", "config"]);
const STACK_FIELDS = new Set(["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"]);
/**
 * Configuration resolved the way `pulumi up` resolves it, from the text of Pulumi.yaml and Pulumi.<stack>.yaml,
 * with the position of every key. Pure: no file system, no Pulumi.
 *
 * Pulumi's rules, mirrored here (pulumi/pulumi, sdk/go/common/workspace/project.go and config.go,
 * sdk/go/common/resource/config/key.go and value.go):
 * - Pulumi.yaml's `config:` declares keys. A key without `:` is in the project's namespace (`parseConfigKey`).
 *   The short form `key: value` (a scalar or a list) is a `default` for a project key and a `value` for a key of
 *   another namespace (`RewriteShorthandConfigValues`). The long form is `{type, description, items, default,
 *   value, secret}` and nothing else (project.json's configTypeDeclaration). A key of another namespace may give
 *   only `value` (`Project.Validate`); a typed default must be of its type; default and value not both.
 * - The stack file's `config:` keys are `namespace:name` (or the old `namespace:config:name`, `config.ParseKey`).
 *   Its values win; a project key the stack does not set takes the project's default or value (`mergeConfig`).
 *   A project-namespace key declared with neither, and not set by the stack, stops Pulumi: "Stack 'dev' is
 *   missing configuration value 'x'".
 * - A typed project key's value must be of its type (`validateStackConfigValues`): strings always pass; integer
 *   takes text that parses as one; boolean takes true/false.
 * - What the program reads is text: a scalar as written (true, 300), a mapping or list as JSON (value.go's
 *   `MarshalString`). `{secure: ...}` is a secret this code never decrypts; a mapping holding one is secret too.
 */
export interface ConfigEntry {
    /** `namespace:name`. */
    key: string;
    namespace: string;
    name: string;
    /** What the program reads; "" for a secret, which is never read. */
    value: string;
    secret: boolean;
    /** The value as written (a secret's ciphertext included), to tell whether it changed. */
    written: string;
    /** project: a Pulumi.yaml default or value; stack: Pulumi.<stack>.yaml. */
    from: "project" | "stack";
    source: SourceFile;
    /** The key's characters in its file. */
    range: [number, number];
    /** The value's characters in its file. */
    valueRange: [number, number];
}

/** A problem in one of the two files. */
export interface ConfigProblem {
    source: SourceFile;
    diagnostic: Diagnostic;
}

export interface ResolvedConfig {
    /** The project's name (Pulumi.yaml `name`): the namespace of this program's own settings. */
    project: string;
    stack: string;
    projectFile: SourceFile;
    /** Absent when Pulumi.<stack>.yaml does not exist (Pulumi then uses the project's defaults alone). */
    stackFile?: SourceFile;
    /** What `pulumi up` gives the program, by `namespace:name`. */
    values: Map<string, ConfigEntry>;
    /** Every key as written in either file, in file order (a project default the stack overrides included). */
    written: ConfigEntry[];
    /** Pulumi.yaml's other top-level fields (name, main, runtime, plugins, ...), as JSON, for the review. */
    projectFields: Record<string, string>;
    /** The stack file's other top-level fields (secretsprovider, encryptedkey, environment, ...), as JSON. */
    stackFields: Record<string, string>;
    problems: ConfigProblem[];
}

const TYPES = ["string", "integer", "boolean", "array", "object"] as const;
const DECLARATION_FIELDS = ["type", "description", "items", "default", "value", "secret"];

/** Resolves configuration from the two files' text; `stackFile` undefined: the stack file does not exist. */
export function resolveConfig(projectFile: SourceFile, stack: string, stackFile?: SourceFile): ResolvedConfig {
    const problems: ConfigProblem[] = [];
    const problem = (source: SourceFile, range: [number, number], code: string, message: string) =>
        problems.push({ source, diagnostic: { severity: "error", code, range, message } });

    const projectDoc = parseConfigFile(projectFile, problem);
    const projectRoot = projectDoc && isMap(projectDoc.contents) ? projectDoc.contents : undefined;
    const nameNode = projectRoot?.get("name", true);
    const project = isScalar(nameNode) ? String(nameNode.value ?? "") : "";
    if (projectDoc && !project) problem(projectFile, [0, 0], "config-project-name", `${projectFile.path} has no name: Pulumi needs the project's name (name: practiceprotect-users)`);

    const resolved: ResolvedConfig = { project, stack, projectFile, stackFile, values: new Map(), written: [], projectFields: {}, stackFields: {}, problems };
    if (projectRoot) {
        for (const pair of projectRoot.items) {
            const field = keyText(pair);
            if (field === "config" || field === "description") continue;
            resolved.projectFields[field] = JSON.stringify(toJS(pair.value));
            if (!PROJECT_FIELDS.has(field) && field !== "stackConfigDir") {
                problem(projectFile, rangeOf(pair.key), "config-project-field", `${field}: in ${projectFile.path} is not one this program uses (it uses ${[...PROJECT_FIELDS].join(", ")}); remove it: fields such as backend, plugins or packages choose where the state lives and what Pulumi downloads and runs with the deploying identity, which a pull request must not choose`);
            }
            if (field === "stackConfigDir") {
                // Pulumi would read the stack file from there; this program keeps it beside Pulumi.yaml, where it is reviewed.
                problem(projectFile, rangeOf(pair.key), "config-stack-dir", `stackConfigDir moves the stack files away from Pulumi.yaml; remove it: the review and validate read Pulumi.<stack>.yaml beside Pulumi.yaml`);
            }
        }
    }

    // The stack file first: its keys win over the project's.
    const stackDoc = stackFile && parseConfigFile(stackFile, problem);
    const stackRoot = stackDoc && isMap(stackDoc.contents) ? stackDoc.contents : undefined;
    if (stackFile && stackDoc && stackDoc.contents && !stackRoot) problem(stackFile, rangeOf(stackDoc.contents), "config-shape", `${stackFile.path} must be a mapping with a config: section`);
    for (const pair of stackRoot?.items ?? []) {
        const field = keyText(pair);
        if (field !== "config") {
            resolved.stackFields[field] = JSON.stringify(toJS(pair.value));
            if (!STACK_FIELDS.has(field)) {
                problem(stackFile!, rangeOf(pair.key), "config-stack-field", `${field}: in ${stackFile!.path} is not one this program uses (it uses config and the secrets provider's fields, ${[...STACK_FIELDS].filter((f) => f !== "config").join(", ")}); remove it`);
            }
            continue;
        }
        if (pair.value == null || (isScalar(pair.value) && pair.value.value == null)) continue;
        if (!isMap(pair.value)) {
            problem(stackFile!, rangeOf(pair.value), "config-shape", `config: must be a mapping of namespace:name keys to values`);
            continue;
        }
        for (const item of pair.value.items) {
            const text = keyText(item);
            const key = parseStackKey(text);
            if (!key) {
                problem(stackFile!, rangeOf(item.key), "config-key", `'${text}' is not a configuration key: Pulumi.<stack>.yaml keys are namespace:name, e.g. ${project || "practiceprotect-users"}:${text.replace(/:/g, "")}`);
                continue;
            }
            const entry = { ...key, ...valueOf(item.value), from: "stack" as const, source: stackFile!, range: rangeOf(item.key), valueRange: rangeOf(item.value) };
            resolved.written.push(entry);
            resolved.values.set(entry.key, entry);
        }
    }

    const configNode = projectRoot?.get("config", true);
    if (isScalar(configNode) && typeof configNode.value === "string") {
        problem(projectFile, rangeOf(configNode), "config-stack-dir", `config: '${configNode.value}' is Pulumi's old way of moving the stack files (stackConfigDir); remove it: the review and validate read Pulumi.<stack>.yaml beside Pulumi.yaml`);
    } else if (configNode && !(isScalar(configNode) && configNode.value == null) && !isMap(configNode)) {
        problem(projectFile, rangeOf(configNode), "config-shape", `config: must be a mapping of keys to declarations`);
    }
    const declarations = isMap(configNode) ? configNode.items : [];
    const projectEntries: ConfigEntry[] = [];
    for (const item of declarations) {
        const text = keyText(item);
        const keyRange = rangeOf(item.key);
        const key = text.includes(":") ? parseStackKey(text) : { key: `${project}:${text}`, namespace: project, name: text };
        if (!key) {
            problem(projectFile, keyRange, "config-key", `'${text}' is not a configuration key: use name (this project's) or namespace:name`);
            continue;
        }
        const ownNamespace = key.namespace === project;
        const declaration = readDeclaration(item.value, ownNamespace);
        for (const message of declaration.problems) problem(projectFile, keyRange, "config-declaration", `${text}: ${message}`);
        if (declaration.problems.length) continue;
        const given = declaration.default ?? declaration.value;
        const onStack = resolved.values.get(key.key);
        if (given) {
            const entry: ConfigEntry = { ...key, ...valueOf(given), from: "project", source: projectFile, range: keyRange, valueRange: rangeOf(given) };
            projectEntries.push(entry);
            if (!onStack) resolved.values.set(key.key, entry);
        } else if (!onStack && ownNamespace) {
            problem(projectFile, keyRange, "config-missing", `${text} is declared with no default, so Pulumi stops with "Stack '${stack}' is missing configuration value '${text}'": give it a default, set it in Pulumi.${stack}.yaml, or remove the declaration`);
        }
        const effective = resolved.values.get(key.key);
        if (declaration.type && effective && !effective.secret && !ofType(declaration.type, declaration.items, effective)) {
            problem(effective.source, effective.valueRange, "config-type", `${effective.key} is ${effective.value === "" ? "empty" : `'${effective.value}'`}; Pulumi.yaml declares it ${declaration.items ? `array<${declaration.items}>` : declaration.type}`);
        }
        if (declaration.secret && effective && !effective.secret) {
            problem(effective.source, effective.valueRange, "config-secret", `${effective.key} is declared secret in Pulumi.yaml but is not encrypted: Pulumi stops; set it with pulumi config set --secret`);
        }
    }
    resolved.written = [...projectEntries, ...resolved.written];
    return resolved;
}

/** The settings in this program's namespace, as `pulumi.Config` would give them (secrets left out: never read). */
export function ownSettings(config: ResolvedConfig): { get(name: string): string | undefined } {
    return {
        get: (name) => {
            const entry = config.values.get(`${config.project}:${name}`);
            return entry && !entry.secret ? entry.value : undefined;
        },
    };
}

/** `namespace:name`, or the old `namespace:config:name` (config.ParseKey); undefined for anything else. */
export function parseStackKey(text: string): { key: string; namespace: string; name: string } | undefined {
    const parts = text.split(":");
    if (parts.length === 2 || (parts.length === 3 && parts[1] === "config")) {
        const [namespace, name] = [parts[0], parts[parts.length - 1]];
        return { key: `${namespace}:${name}`, namespace, name };
    }
    return undefined;
}

type Problem = (source: SourceFile, range: [number, number], code: string, message: string) => void;

function parseConfigFile(source: SourceFile, problem: Problem): Document.Parsed | undefined {
    if (Buffer.byteLength(source.text, "utf8") > MAX_FILE_BYTES) {
        problem(source, [0, 0], "file-too-large", `${source.path} is larger than ${MAX_FILE_BYTES} bytes: check it is the right file`);
        return undefined;
    }
    source.lineCounter.lineStarts.length = 0;
    // go-yaml (Pulumi's reader) refuses a key defined twice in a mapping, as `yaml` does with uniqueKeys.
    const document = parseDocument(source.text, { lineCounter: source.lineCounter, prettyErrors: false, version: "1.2", schema: "core" });
    for (const e of document.errors) problem(source, [e.pos[0], e.pos[1]], "yaml-syntax", `YAML syntax: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
    if (document.errors.length) return undefined;
    // Anchors and aliases (&name, *name) make one value stand for another, which a reviewer reads past and which
    // readers resolve differently: refused, so every value is written where it applies.
    let aliased = false;
    visit(document, {
        Node(_, node) {
            if (isAlias(node) || (node as { anchor?: string }).anchor) {
                aliased = true;
                problem(source, rangeOf(node), "config-alias", `${source.path}: YAML anchors and aliases (&name, *name) are not used in configuration; write the value itself here`);
            }
        },
    });
    return aliased ? undefined : document;
}

const keyText = (pair: Pair<unknown, unknown>) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));

function rangeOf(node: unknown): [number, number] {
    const range = (node as Node | undefined)?.range;
    return range ? [range[0], range[1]] : [0, 0];
}

function toJS(node: unknown): unknown {
    return node && typeof node === "object" && "toJSON" in node ? (node as Node).toJSON() : (node ?? null);
}

/** A map whose only key is `secure` holding text: Pulumi's encrypted value (config/object.go). */
const isSecure = (value: unknown): boolean =>
    !!value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";
const holdsSecure = (value: unknown): boolean =>
    isSecure(value) || (!!value && typeof value === "object" && Object.values(value as object).some(holdsSecure));

function valueOf(node: unknown): { value: string; secret: boolean; written: string } {
    const data = toJS(node);
    const written = typeof data === "string" ? data : JSON.stringify(data);
    if (holdsSecure(data)) return { value: "", secret: true, written };
    // A scalar as written; null and collections as JSON, as value.go's MarshalString gives them to the program.
    return { value: data !== null && typeof data !== "object" ? String(data) : JSON.stringify(data), secret: false, written };
}

interface Declaration {
    type?: (typeof TYPES)[number];
    items?: string;
    default?: Node;
    value?: Node;
    secret?: boolean;
    problems: string[];
}

function readDeclaration(node: unknown, ownNamespace: boolean): Declaration {
    const problems: string[] = [];
    // The short form: a scalar or a list is a project key's default, another namespace's value.
    if (isSeq(node) || (isScalar(node) && node.value !== null)) return ownNamespace ? { default: node as Node, problems } : { value: node as Node, problems };
    if (node == null || (isScalar(node) && node.value === null)) return ownNamespace ? { problems } : { problems: ["a key of another namespace must give a value"] };
    if (!isMap(node)) return { problems: ["write a value, or a mapping of type, description, default, value and secret"] };
    const declaration: Declaration = { problems };
    for (const pair of node.items) {
        const field = keyText(pair);
        const value = pair.value as Node;
        if (!DECLARATION_FIELDS.includes(field)) problems.push(`'${field}' is not a field Pulumi allows here (${DECLARATION_FIELDS.join(", ")})`);
        else if (field === "type") {
            const type = String(toJS(value));
            if ((TYPES as readonly string[]).includes(type)) declaration.type = type as Declaration["type"];
            else problems.push(`type '${type}' is not one of ${TYPES.join(", ")}`);
        } else if (field === "items") declaration.items = JSON.stringify(toJS(value));
        else if (field === "default") declaration.default = value;
        else if (field === "value") declaration.value = value;
        else if (field === "secret") declaration.secret = toJS(value) === true;
    }
    if (declaration.default && declaration.value) problems.push("cannot have both a 'default' and 'value' attribute");
    if (ownNamespace) {
        if (declaration.type === "array" && !declaration.items) problems.push("declares an array but does not give the type of its items (items:)");
        if (declaration.type && declaration.default && !ofType(declaration.type, declaration.items, { ...valueOf(declaration.default), fromYaml: toJS(declaration.default) })) {
            problems.push(`the default is not of the declared type '${declaration.type}'`);
        }
    } else {
        if (declaration.type) problems.push("is not namespaced by the project and should not define a type");
        if (declaration.default) problems.push("is not namespaced by the project and should not define a default value; use value:");
        if (!declaration.value && !declaration.default) problems.push("is namespaced and must provide an attribute 'value'");
    }
    return declaration;
}

/** ValidateConfigValue (project.go), for a value as the program reads it (text, JSON for collections). */
function ofType(type: NonNullable<Declaration["type"]>, items: string | undefined, entry: { value: string; written: string; fromYaml?: unknown }): boolean {
    const data = entry.fromYaml !== undefined ? entry.fromYaml : parseJsonOr(entry.written);
    switch (type) {
        case "string":
            return typeof data === "string" || (entry.fromYaml === undefined && typeof data !== "object");
        case "integer":
            return (typeof data === "number" && Number.isInteger(data)) || (typeof data === "string" && /^[+-]?\d+$/.test(data)) || /^[+-]?\d+$/.test(entry.value);
        case "boolean":
            return data === true || data === false || entry.value === "true" || entry.value === "false";
        case "object":
            return !!data && typeof data === "object" && !Array.isArray(data);
        case "array":
            return Array.isArray(data) && items !== undefined;
    }
}

function parseJsonOr(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
