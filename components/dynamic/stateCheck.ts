import forwarderShapes from "./forwarderShapes.json";
import { KNOWN_PROVIDERS, type KnownProvider } from "./knownProviders";

/**
 * Whoever can write a stack's state can run code in its next deployment: a dynamic resource's stored
 * `__provider` is JavaScript that the SDK's provider host loads and runs, with the deploying identity's
 * credentials in its environment, on refresh and on delete (@pulumi/pulumi cmd/dynamic-provider: Read and Delete
 * use the provider in the stored outputs). This check reads `pulumi stack export` and names every dynamic resource
 * whose `__provider` is not exactly a forwarder this program writes (loadedProvider.ts, today's or an earlier
 * commit's: forwarderShapes.json) loading one of this program's providers (knownProviders.ts), and every provider
 * resource that would make Pulumi load another plugin, or sign azuread or azure-native in elsewhere, when it
 * refreshes or deletes what that provider manages. Pure: JSON in, offenders out.
 */

/** Placeholders in a shape's text for the two strings a forwarder captures, as JSON literals. */
export const MODULE_PATH = "@@MODULE_PATH@@";
export const EXPORT_NAME = "@@EXPORT_NAME@@";

export interface ForwarderShape {
    /** The commit that first wrote it (today's loadedProvider.ts was last changed in f7a1d7b). */
    from: string;
    /** The serialized text with MODULE_PATH and EXPORT_NAME in place of the captured strings. */
    text: string;
}

/** A resource the deployment must not run, and why. */
export interface Offender {
    urn: string;
    why: string;
}

export interface StateCheckOptions {
    shapes?: readonly ForwarderShape[];
    known?: readonly KnownProvider[];
}

/** The input is not what `pulumi stack export` writes. */
export class StateExportError extends Error {}

export const FORWARDER_SHAPES: readonly ForwarderShape[] = forwarderShapes.shapes;

// Pulumi's secret marker in a serialized property (sdk/go/common/resource/properties.go SecretSig).
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const NODEJS_PROVIDER = "::pulumi:providers:pulumi-nodejs::";

/** The provider packages this program uses (package.json): a provider resource of any other is not its own. */
const KNOWN_PACKAGES = ["azuread", "azure-native", "pulumi-nodejs"];
/**
 * Provider-resource keys with which a stored provider loads or runs something else: where the engine downloads the
 * plugin from, environment variable remappings, a parameterized package (pkg/resource/deploy/providers/registry.go:
 * the "__internal" keys, read from the top level too for old states).
 */
const PLUGIN_KEYS = ["pluginDownloadURL", "envVarMappings", "parameterization"];
/**
 * azuread and azure-native settings that choose where the provider signs in or with what: stored in a provider
 * resource, the engine configures that provider with them to refresh or delete the resources under it, with the
 * deploying job's environment (its OIDC request token included). The program sets none of them; credentials come
 * from the environment (docs/ci-and-permissions.md).
 */
const SIGN_IN_KEYS = [
    "clientCertificate",
    "clientCertificatePassword",
    "clientCertificatePath",
    "clientId",
    "clientIdFilePath",
    "clientSecret",
    "clientSecretFilePath",
    "environment",
    "metadataHost",
    "msiEndpoint",
    "oidcRequestToken",
    "oidcRequestUrl",
    "oidcToken",
    "oidcTokenFilePath",
];
const JSON_STRING = String.raw`("(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")`;

type Matcher = { from: string; pattern: RegExp; order: ("module" | "export")[] };

/** What the check found: how many dynamic resources the state holds, and the ones the deployment must not run. */
export interface StateCheck {
    dynamicResources: number;
    offenders: Offender[];
}

export function checkStateExport(exported: unknown, options: StateCheckOptions = {}): StateCheck {
    const matchers = (options.shapes ?? FORWARDER_SHAPES).map(matcherOf);
    const known = options.known ?? KNOWN_PROVIDERS;
    const verdicts = new Map<string, string | undefined>(); // the same text is stored many times: judge it once
    const judge = (text: string) => {
        if (!verdicts.has(text)) verdicts.set(text, forwarderProblem(text, matchers, known));
        return verdicts.get(text);
    };

    const offenders: Offender[] = [];
    let dynamicResources = 0;
    resourcesOf(exported).forEach((resource, index) => {
        const urn = typeof resource.urn === "string" ? resource.urn : `(resource #${index + 1} without a urn)`;
        const badProvider = typeof resource.type === "string" && resource.type.startsWith("pulumi:providers:") ? providerResourceProblem(resource.type, resource) : undefined;
        if (badProvider) offenders.push({ urn, why: badProvider });
        if (!isDynamic(resource)) return;
        dynamicResources++;
        const stored = (["inputs", "outputs"] as const).filter((bag) => isObject(resource[bag]) && "__provider" in (resource[bag] as object));
        if (stored.length === 0) {
            offenders.push({ urn, why: "a dynamic resource without a __provider: not one this program wrote" });
            return;
        }
        const problems = new Set<string>();
        for (const bag of stored) {
            const problem = providerProblem((resource[bag] as Record<string, unknown>).__provider, judge);
            if (problem) problems.add(`its ${bag}' __provider ${problem}`);
        }
        if (problems.size) offenders.push({ urn, why: [...problems].join("; ") });
    });
    return { dynamicResources, offenders };
}

function resourcesOf(exported: unknown): Record<string, unknown>[] {
    if (!isObject(exported) || !isObject(exported.deployment)) {
        throw new StateExportError("this is not the output of `pulumi stack export` (no deployment object)");
    }
    const { resources = [], pending_operations: pending = [] } = exported.deployment as { resources?: unknown; pending_operations?: unknown };
    if (!Array.isArray(resources) || !Array.isArray(pending)) throw new StateExportError("the deployment's resources or pending_operations is not a list");
    // A pending operation carries a resource the engine may still act on.
    const all: unknown[] = [...resources, ...pending.map((op) => (isObject(op) ? op.resource : op))];
    return all.map((r, i) => {
        if (!isObject(r)) throw new StateExportError(`resource #${i + 1} is not an object`);
        return r;
    });
}

/** Why a provider resource (`pulumi:providers:<package>`) is not one this program's deployment may load. */
function providerResourceProblem(type: string, resource: Record<string, unknown>): string | undefined {
    const pkg = type.slice("pulumi:providers:".length);
    if (!KNOWN_PACKAGES.includes(pkg)) return `a provider of the package ${pkg}, which this program does not use (only ${KNOWN_PACKAGES.join(", ")}): Pulumi would install and run its plugin`;
    const found = new Set<string>();
    for (const bag of [resource.inputs, resource.outputs]) {
        if (!isObject(bag)) continue;
        const internal = isObject(bag.__internal) ? bag.__internal : {};
        for (const key of PLUGIN_KEYS) if (key in bag || key in internal) found.add(key);
        if (pkg !== "pulumi-nodejs") for (const key of SIGN_IN_KEYS) if (key in bag) found.add(key);
    }
    if (found.size === 0) return undefined;
    return `an ${pkg} provider stored with ${[...found].sort().join(", ")}: with these Pulumi would load its plugin from elsewhere or sign it in somewhere else, with the deploying identity's environment, to refresh or delete what it manages; this program sets none of them`;
}

function isDynamic(resource: Record<string, unknown>): boolean {
    const has = (bag: unknown) => isObject(bag) && "__provider" in bag;
    return (
        (typeof resource.type === "string" && resource.type.startsWith("pulumi-nodejs:dynamic")) ||
        (typeof resource.provider === "string" && resource.provider.includes(NODEJS_PROVIDER)) ||
        has(resource.inputs) ||
        has(resource.outputs)
    );
}

function providerProblem(value: unknown, judge: (text: string) => string | undefined): string | undefined {
    if (typeof value === "string") return judge(value);
    if (isObject(value) && value[SECRET_SIG_KEY] === SECRET_SIG) {
        // `pulumi stack export --show-secrets` writes the value as JSON text in `plaintext`.
        if (typeof value.plaintext === "string") {
            try {
                const plain: unknown = JSON.parse(value.plaintext);
                return typeof plain === "string" ? judge(plain) : "is a secret that is not text";
            } catch {
                return "is a secret whose plaintext is not JSON";
            }
        }
        return "is stored as a secret, which this program's forwarders never are (they capture no secret): it cannot be read here, and Pulumi would decrypt and run it";
    }
    return `is ${value === null ? "null" : typeof value}, not the text of a provider`;
}

function forwarderProblem(text: string, matchers: readonly Matcher[], known: readonly KnownProvider[]): string | undefined {
    for (const { pattern, order } of matchers) {
        const match = pattern.exec(text);
        if (!match) continue;
        const captured = Object.fromEntries(order.map((what, i) => [what, JSON.parse(match[i + 1]) as string]));
        const [modulePath, exportName] = [captured.module, captured.export];
        if (modulePath.startsWith("/") || /^[A-Za-z]:/.test(modulePath) || modulePath.split(/[\\/]/).includes("..") || !/^[A-Za-z0-9_/-]+$/.test(modulePath)) {
            return `loads ${JSON.stringify(modulePath)}, a module outside this program's providers (only a path inside the project, such as components/licenses/userLicensesProvider, is loaded)`;
        }
        if (!known.some((p) => p.modulePath === modulePath && p.exportName === exportName)) {
            return `loads ${exportName} from ${modulePath}, which is not one of this program's providers (components/dynamic/knownProviders.ts)`;
        }
        return undefined;
    }
    const start = text.slice(0, 60).replace(/\s+/g, " ");
    return `is not a forwarder this program writes (${text.length} characters, beginning ${JSON.stringify(start)}): code written into the state by someone else, or by a version of this program before the forwarder (components/dynamic/loadedProvider.ts)`;
}

function matcherOf(shape: ForwarderShape): Matcher {
    const parts = shape.text.split(new RegExp(`(${MODULE_PATH}|${EXPORT_NAME})`));
    const order: Matcher["order"] = [];
    const source = parts
        .map((part, i) => {
            if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            order.push(part === MODULE_PATH ? "module" : "export");
            return JSON_STRING;
        })
        .join("");
    if (order.length !== 2 || !order.includes("module") || !order.includes("export")) throw new Error(`forwarder shape ${shape.from} must hold ${MODULE_PATH} and ${EXPORT_NAME} once each`);
    return { from: shape.from, pattern: new RegExp(`^${source}$`), order };
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
