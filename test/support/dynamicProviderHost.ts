/*
 * Runs a `pulumi.dynamic.ResourceProvider` the way `pulumi up` does: the provider is serialized exactly as
 * `pulumi.dynamic.Resource` serializes it into the `__provider` input, the SDK's dynamic-provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) runs as a separate `node` process, and every call goes over gRPC with
 * the values marshalled as the engine marshals them. Closure-serialization failures (captured native functions,
 * module-level state that does not survive serialization, captured secrets, `undefined` in outputs, ...) show
 * up here; calling the provider's methods directly in the test process hides them.
 *
 * FINDINGS — the dynamic-provider behaviour of THIS SDK (@pulumi/pulumi 3.270.0). Paths are relative to
 * node_modules/@pulumi/pulumi; "host" is cmd/dynamic-provider/index.js. Engine-side facts come from the
 * pulumi/pulumi Go sources, not from node_modules, and are marked [engine]. The tests in
 * test/dynamicProviderHost.test.ts demonstrate each point that can be observed from the host.
 *
 * Serialization (dynamic/index.js:27-53, :81)
 *  - `new dynamic.Resource(provider, ...)` sets `props.__provider` to the text of
 *    `serializeFunction(() => provider, { allowSecrets: true })` (runtime/closure/serializeClosure), cached per
 *    provider object, wrapped in an Output that is secret iff `containsSecrets`, i.e. iff a secret *Output* was
 *    captured. Captured plain values — module constants, a key read with `config.require` instead of
 *    `requireSecret` — are inlined as literals and NOT detected; captured secret Outputs are inlined as plain
 *    text as well (only the resource input is marked secret).
 *  - Captured variables are copied BY VALUE per function: each method runs in its own
 *    `with({ settings: __settings, ... })` scope. Reassigning a module-level `let` in `configure`
 *    (`settings = {...}`) changes only that call's scope, so `create` still sees the serialization-time value.
 *    Mutating a captured object (`settings.url = ...`) or `this.url = ...` (methods are invoked as
 *    `provider.method(...)`) survives.
 *  - Failures surface either when serializing (captured native/bound functions) or only in the host (a
 *    `require` of a .ts module, which works under ts-node in tests but not in the plain-node host).
 *
 * The host process
 *  - `pulumi up` starts it through the `pulumi-resource-pulumi-nodejs` shim as
 *    `node <require.resolve("@pulumi/pulumi/cmd/dynamic-provider")> <engine address>` — plain node, no ts-node
 *    (none is needed: the closure text is JavaScript). Without an argument it exits with
 *    "fatal: Missing <engine> address" (host:407-410); otherwise it binds 127.0.0.1:0 and prints the port as its
 *    first stdout line (host:417-429). Whatever the provider prints goes to the same stdout/stderr.
 *  - `__provider` is loaded with require-from-string (module paths start at the host's cwd) and cached by its
 *    exact text, once per process (getProvider, host:67-81).
 *  - Values: requests are read with `Struct.toJavaScript()` and responses written with `Struct.fromJavaScript()`
 *    — no deserializeProperties. Configure answers `acceptSecrets: false` (host:110-111) (acceptResources and
 *    supportsPreview unset), so [engine] the engine strips secrets before Check/Diff/Create/Read/Update/Delete —
 *    the provider sees plain values — and afterwards re-marks as secret each output / checked input whose
 *    same-named input held a secret (plugin.annotateSecrets). A secret returned under a NEW name is stored in
 *    plain text. `Struct.fromJavaScript` throws "Unexpected struct type." on an `undefined` value, which fails
 *    the whole call with that message.
 *
 * Configure and `configure`
 *  - The Configure RPC (host:96-113) reads ONLY the `args` Struct (never `variables`), drops `__provider`,
 *    unwraps secrets with rpc.unwrapRpcSecret and stores the map as `this.config`; it does not call the
 *    provider. [engine] For the `pulumi-nodejs` package the engine sends in `args` the WHOLE stack config with
 *    namespaced keys ("practiceprotect:url", "practiceprotect-users:usersFile"), string values (structured values
 *    as JSON text), secure values as secrets (pkg/resource/deploy/target.go GetPackageConfig; Configure in
 *    sdk/go/common/resource/plugin/provider_plugin.go, which also fills `variables` with
 *    "pulumi-nodejs:config:<key>" entries that this host ignores). Configure without args throws inside the
 *    async handler and never answers (host:98-100); CRUD before any Configure gets `rawConfig` undefined.
 *  - The provider's `configure` is called lazily by getProvider on the first Check/Diff/Create/Read/Update/Delete
 *    carrying a given `__provider` text (host:73-77), once, with `{ config }`: an instance of
 *    cmd/dynamic-provider/config.js Config — own properties `rawConfig` (the whole map) and `projectName`,
 *    prototype methods `get(key)` / `require(key)` returning plain strings (secrets already unwrapped;
 *    require throws "Missing required configuration key: <key>"). A key without ":" is prefixed with
 *    getProject(), which in the host is `process.env.PULUMI_NODEJS_PROJECT || "project"` (runtime/state.js:85);
 *    [engine] that variable is set for the program, not for provider plugins, so `config.get("url")` reads
 *    "project:url". Always use full keys ("practiceprotect:url").
 *  - The provider is cached BEFORE `configure` is awaited (host:71-72): a concurrent call (the engine runs
 *    steps in parallel) uses it while an async `configure` is still running, and when `configure` throws only
 *    that first call fails — later calls get the half-configured provider without an error.
 *
 * Resource methods
 *  - CheckConfig/DiffConfig/Handshake/GetSchema/Construct/Call/... answer UNIMPLEMENTED, Invoke
 *    "unknown function" ([engine] CheckConfig/DiffConfig unimplemented = accept the news).
 *  - Check (host:119-159): olds are the old INPUTS ({} for a new resource). No `check`, or a result without
 *    `inputs` → the news are the inputs. `__provider` is re-added to whatever is returned.
 *  - Errors in check/diff/read/delete are printed to the host's stderr as `${e}: ${e.stack}` (a message holding
 *    a secret is logged) and returned as gRPC UNKNOWN with the message. Errors in create/update go through
 *    grpcResponseFromError (host:367-402): not logged, UNKNOWN with e.message; an error with an `id` property
 *    becomes ErrorResourceInitFailed — a partial failure: [engine] the resource is kept with that id.
 *  - Diff (host:166-205): olds are the old OUTPUTS (`req.getOlds()`; `old_inputs` is ignored).
 *    `changes === true` → DIFF_SOME, `changes === false` → DIFF_NONE, anything else — `changes` undefined, or
 *    no `diff` method at all — → DIFF_UNKNOWN. `replaces` and `deleteBeforeReplace` are forwarded, `stables` is
 *    DROPPED, `diffs`/detailedDiff are never set. A changed `__provider` gets NO special handling
 *    (host:170-177): the NEW provider's diff decides and the host never reports a diff on it. [engine] On
 *    DIFF_UNKNOWN the engine diffs the old and new inputs itself (deploy/step_generator.go diffResource) and
 *    `__provider` is one of them, so without a `diff` (or with `changes` undefined) any change of the
 *    serialized text — an edited provider, a different captured value — is an update. With `changes: false`
 *    nothing is updated even when inputs changed; [engine] the state keeps the old outputs, whose `__provider`
 *    is the code of the last create/update.
 *  - Create (host:212-228): `outs` (+ `__provider`) become the resource OUTPUTS — what later Diff/Update olds,
 *    Read and Delete receive. Without `outs` only `__provider` is stored: later calls do not see the inputs.
 *  - Read (host:229-266) IS supported: props are the stored outputs (the inputs when those are empty); with
 *    `read` its id/props (and optional `inputs`) are returned — id "" or undefined means the resource is
 *    gone; without `read` the stored props are echoed unchanged.
 *  - Update (host:273-292) uses the NEW `__provider`. Without `update`, or with an update returning nothing or
 *    no `outs`, the new outputs are just `{ __provider }`: every stored output is LOST from the state; an update
 *    returning only the changed fields drops the rest. Return the complete outputs.
 *  - Delete (host:293-307) uses the `__provider` in the stored outputs; no `delete` → success, nothing done.
 *
 * The harness mirrors the engine: Configure (+ CheckConfig) before the first resource call; inputs are run
 * through runtime.serializeProperties with secrets enabled (so `pulumi.secret(...)` values become secret
 * wire values), then secrets are stripped because the host answered acceptSecrets=false; responses go through
 * runtime.deserializeProperties and the engine's annotateSecrets. Returned values therefore carry Pulumi's
 * wire secret marker (`{ [specialSigKey]: specialSecretSig, value }`) where the engine would store a secret —
 * use `isSecret`/`reveal` below. `__provider` is added to every property bag sent (except empty check olds,
 * which is what the engine sends for a new resource; a bag that already has one keeps it, to play state written
 * by another version of the provider) and stripped from every bag returned.
 */
import * as pulumi from "@pulumi/pulumi";
import * as grpc from "@grpc/grpc-js";
import { spawn } from "child_process";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
// The very function pulumi.dynamic.Resource uses (dynamic/index.js:45 requires ../runtime/closure/serializeClosure).
import { serializeFunction } from "@pulumi/pulumi/runtime/closure/serializeClosure";

const PROVIDER_KEY = "__provider";
const PROJECT = "practiceprotect-users";
const STACK = "dev";
const MAX_MESSAGE = 1024 * 1024 * 400; // runtime/settings.js maxRPCMessageSize; the engine allows as much.
const START_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 5_000;

type Props = Record<string, any>;

export interface HostedProvider {
    /** the exact `__provider` string pulumi.dynamic.Resource would send (to assert that no secret is captured) */
    serialized: string;
    /** serializeFunction's containsSecrets: true only when a secret Output was captured (then `__provider` is a secret input) */
    serializedContainsSecrets: boolean;
    /** every line the host process wrote to stdout (after the port announcement) and stderr, in arrival order */
    output: string[];
    /** pid of the `node .../cmd/dynamic-provider` process */
    pid: number;
    /** the ConfigureResponse flags (acceptSecrets is false in this SDK), once configured */
    protocol?: { acceptSecrets: boolean; acceptResources: boolean; supportsPreview: boolean };
    /** sends CheckConfig + Configure as the engine does for the default `pulumi-nodejs` provider; keys like "practiceprotect:url" */
    configure(variables: Record<string, string>, options?: { secretKeys?: string[] }): Promise<void>;
    /** olds: the previous INPUTS ({} for a new resource) */
    check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
    /** olds: the previous OUTPUTS (what create/update returned), as the engine sends them */
    diff(
        id: string,
        urn: string,
        olds: Props,
        news: Props,
    ): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; stables: string[]; deleteBeforeReplace: boolean; diffs?: string[] }>;
    create(urn: string, inputs: Props): Promise<{ id: string; outs: Props }>;
    /** props: the stored OUTPUTS; `inputs` (optional) the stored inputs, as a refresh sends them. id "" when the resource is gone */
    read(id: string, urn: string, props: Props, inputs?: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
    /** olds: the previous OUTPUTS; news: the new (checked) inputs */
    update(id: string, urn: string, olds: Props, news: Props): Promise<{ outs: Props }>;
    /** props: the stored OUTPUTS */
    delete(id: string, urn: string, props: Props): Promise<void>;
    /** kills the host process and waits for it (idempotent); all of its output is in `output` afterwards */
    close(): Promise<void>;
}

/** An error returned by the host over gRPC: `message` is what the engine would report for the resource. */
export class DynamicProviderError extends Error {
    constructor(
        readonly method: string,
        readonly code: grpc.status,
        message: string,
        /** set when create/update threw an error with an `id` (ErrorResourceInitFailed: the resource exists) */
        readonly initFailure?: { id: string; properties: Props; reasons: string[] },
    ) {
        super(message);
        this.name = "DynamicProviderError";
    }
}

/** a URN for a dynamic resource of the given type name, e.g. urnFor("PortalUser", "jane") */
export function urnFor(type: string, name: string): string {
    return `urn:pulumi:${STACK}::${PROJECT}::pulumi-nodejs:dynamic/practiceprotect:${type}::${name}`;
}

/** true for a value the engine holds as a secret (Pulumi's wire marker) */
export function isSecret(value: unknown): boolean {
    return pulumi.runtime.isRpcSecret(value);
}

/** the value with every secret marker removed, deeply (what the provider itself sees) */
export function reveal<T = any>(value: T): T {
    if (isSecret(value)) return reveal(pulumi.runtime.unwrapRpcSecret(value));
    if (Array.isArray(value)) return value.map((v) => reveal(v)) as T;
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)])) as T;
    }
    return value;
}

/** serializes `provider` exactly as pulumi.dynamic.Resource does (dynamic/index.js serializeFunctionMaybeSecret) */
export async function serializeDynamicProvider(provider: pulumi.dynamic.ResourceProvider): Promise<{ text: string; containsSecrets: boolean }> {
    // Keep the parameter named `provider` and the arrow identical: the closure text names the captured variable.
    const sf = await serializeFunction(() => provider, { allowSecrets: true });
    return { text: sf.text, containsSecrets: sf.containsSecrets };
}

// ---- value marshalling -------------------------------------------------------------------------------------

// runtime/state is internal: a private LocalStore lets serializeProperties emit secrets (as it does when the engine's
// monitor supports them) without touching the global runtime state other tests rely on.
const runtimeState = require("@pulumi/pulumi/runtime/state") as {
    withLocalStorage<T>(callback: () => T): T;
    getStore(): { supportsSecrets: boolean };
};

/** what the SDK sends for a property bag: Outputs awaited, `pulumi.secret` → wire secrets, undefined dropped */
function serializeForEngine(label: string, props: Props): Promise<Props> {
    return runtimeState.withLocalStorage(async () => {
        runtimeState.getStore().supportsSecrets = true;
        return pulumi.runtime.serializeProperties(label, props);
    });
}

const isObject = (v: unknown): v is Record<string, any> => !!v && typeof v === "object" && !Array.isArray(v);

/** engine: MarshalProperties with KeepSecrets=false (the host does not accept secrets) */
function removeSecrets(v: any): any {
    if (isSecret(v)) return removeSecrets(pulumi.runtime.unwrapRpcSecret(v));
    if (Array.isArray(v)) return v.map(removeSecrets);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, removeSecrets(x)]));
    return v;
}

function containsSecrets(v: any): boolean {
    if (isSecret(v)) return true;
    if (Array.isArray(v)) return v.some(containsSecrets);
    if (isObject(v)) return Object.values(v).some(containsSecrets);
    return false;
}

const makeSecret = (v: any) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: v });

/** engine: plugin.annotateSecrets(outs, ins) — re-marks outputs whose same-named input held a secret */
function annotateSecrets(outs: Props | undefined, ins: Props | undefined): void {
    if (!outs || !ins) return;
    for (const [key, inValue] of Object.entries(ins)) {
        if (!(key in outs)) continue;
        const outValue = outs[key];
        if (isObject(outValue) && !isSecret(outValue) && isObject(inValue) && !isSecret(inValue)) {
            annotateSecrets(outValue, inValue);
        } else if (!isSecret(outValue) && containsSecrets(inValue)) {
            outs[key] = makeSecret(outValue);
        }
    }
}

function toStruct(wire: Props): Struct {
    return Struct.fromJavaScript(wire);
}

function fromStruct(struct: Struct | undefined): Props {
    if (!struct) return {};
    return pulumi.runtime.deserializeProperties(struct) as Props;
}

function withoutProvider(props: Props): Props {
    const { [PROVIDER_KEY]: _ignored, ...rest } = props;
    return rest;
}

function urnParts(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) throw new Error(`not a URN: ${urn}`);
    const qualifiedType = parts[2];
    return { type: qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

function initFailureFrom(error: grpc.ServiceError): DynamicProviderError["initFailure"] {
    const raw = error.metadata?.get("grpc-status-details-bin")?.[0];
    if (!raw) return undefined;
    const status = statusproto.Status.deserializeBinary(typeof raw === "string" ? Buffer.from(raw, "base64") : raw);
    for (const any of status.getDetailsList()) {
        if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
        const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        return { id: detail.getId(), properties: withoutProvider(fromStruct(detail.getProperties())), reasons: detail.getReasonsList() };
    }
    return undefined;
}

// ---- the host process --------------------------------------------------------------------------------------

/*
 * A tiny supervisor stands between the test process and the host so that the host cannot outlive the test run:
 * it starts the host exactly as the pulumi-resource-pulumi-nodejs shim does (`node <script> <engine>`, stdin
 * /dev/null, stdout/stderr inherited), reports the host pid on fd 3, and kills the host as soon as its own stdin
 * reaches EOF — which happens on close() and also when the test process dies in any way, since the OS closes
 * the pipe. It exits with the host's exit code.
 */
const SUPERVISOR = `
const { spawn } = require("child_process");
const fs = require("fs");
const [script, ...args] = process.argv.slice(1);
const host = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "inherit", "inherit"] });
fs.writeSync(3, String(host.pid) + "\\n");
let stopping = false;
const stop = () => {
    if (stopping) return;
    stopping = true;
    host.kill("SIGTERM");
    setTimeout(() => host.kill("SIGKILL"), ${CLOSE_TIMEOUT_MS / 2}).unref();
};
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
host.on("error", (e) => { console.error(String(e)); process.exit(1); });
host.on("exit", (code, signal) => process.exit(code === null ? 128 + (require("os").constants.signals[signal] || 0) : code));
`;

// Variables the language host sets for the *program*; the engine does not set them for provider plugins.
const PROGRAM_ONLY_ENV = /^PULUMI_(NODEJS_|CONFIG$|CONFIG_SECRET_KEYS$|TEST_MODE$)/;

function hostEnvironment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!PROGRAM_ONLY_ENV.test(k)) env[k] = v;
    return { ...env, ...extra };
}

/** serializes `provider` as pulumi.dynamic.Resource does, starts `@pulumi/pulumi/cmd/dynamic-provider` as a child process, connects over gRPC */
export async function startDynamicProviderHost(
    provider: pulumi.dynamic.ResourceProvider,
    options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<HostedProvider> {
    const { text: serialized, containsSecrets: serializedContainsSecrets } = await serializeDynamicProvider(provider);
    const providerInput = serializedContainsSecrets ? pulumi.secret(serialized) : serialized;

    const cwd = options.cwd ?? process.cwd();
    const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd] });
    // The host ignores its engine address argument (it never calls back), but exits without one.
    const child = spawn(process.execPath, ["-e", SUPERVISOR, script, "127.0.0.1:0"], {
        cwd,
        env: hostEnvironment(options.env),
        stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    // Never keep the test run alive because of the host; dying with it is handled by the supervisor.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr, child.stdio[3]]) (stream as any)?.unref?.();

    const output: string[] = [];
    let port: number | undefined;
    let pid: number | undefined;
    let announce: { resolve(): void; reject(e: Error): void } | undefined;
    const announced = new Promise<void>((resolve, reject) => (announce = { resolve, reject }));
    const checkAnnounced = () => {
        if (port !== undefined && pid !== undefined) announce?.resolve();
    };

    lines(child.stdout!, (line) => {
        if (port === undefined) {
            if (/^\d+$/.test(line.trim())) {
                port = Number(line.trim());
                checkAnnounced();
                return;
            }
        }
        output.push(line);
    });
    lines(child.stderr!, (line) => output.push(line));
    lines(child.stdio[3] as NodeJS.ReadableStream, (line) => {
        if (pid === undefined && /^\d+$/.test(line.trim())) pid = Number(line.trim());
        checkAnnounced();
    });
    child.once("exit", (code, signal) =>
        announce?.reject(new Error(`dynamic provider host exited (${signal ?? code}) before announcing its port:\n${output.join("\n")}`)),
    );
    child.once("error", (e) => announce?.reject(e));

    let closed: Promise<void> | undefined;
    const close = (): Promise<void> =>
        (closed ??= (async () => {
            client?.close();
            child.stdin?.end();
            const timer = setTimeout(() => child.kill("SIGKILL"), CLOSE_TIMEOUT_MS);
            await exited;
            clearTimeout(timer);
        })());

    let client: provrpc.ResourceProviderClient | undefined;
    const startTimer = setTimeout(() => announce?.reject(new Error(`dynamic provider host did not announce a port in ${START_TIMEOUT_MS}ms`)), START_TIMEOUT_MS);
    try {
        await announced;
    } catch (e) {
        await close();
        throw e;
    } finally {
        clearTimeout(startTimer);
    }
    announce = undefined;

    client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE,
        "grpc.max_send_message_length": MAX_MESSAGE,
    });

    const call = <Req, Res>(method: string, request: Req): Promise<Res> =>
        new Promise<Res>((resolve, reject) => {
            if (closed) return reject(new Error(`dynamic provider host is closed (${method})`));
            const fn = (client as any)[method] as (r: Req, cb: (e: grpc.ServiceError | null, res: Res) => void) => void;
            fn.call(client, request, (error, response) => {
                // Let the host's stdout/stderr written before this answer reach `output` first.
                setImmediate(() => {
                    if (!error) return resolve(response);
                    const initFailure = initFailureFrom(error);
                    reject(new DynamicProviderError(method, error.code, error.details || error.message, initFailure));
                });
            });
        });

    const hosted: HostedProvider = {
        serialized,
        serializedContainsSecrets,
        output,
        pid: pid!,
        protocol: undefined,
        configure: (variables, opts) => configureOnce(variables, opts?.secretKeys ?? []),
        check,
        diff,
        create,
        read,
        update,
        delete: del,
        close,
    };

    let configured: Promise<void> | undefined;
    async function configureOnce(variables: Record<string, string>, secretKeys: string[]): Promise<void> {
        const current = sendConfigure(variables, secretKeys);
        configured = current;
        return current;
    }
    async function sendConfigure(variables: Record<string, string>, secretKeys: string[]): Promise<void> {
        for (const key of secretKeys) if (!(key in variables)) throw new Error(`secret key ${key} is not among the variables`);
        // GetPackageConfig for a dynamic provider: the whole stack config, namespaced keys, secure values as secrets.
        const inputs: Props = {};
        for (const [key, value] of Object.entries(variables)) inputs[key] = secretKeys.includes(key) ? pulumi.secret(value) : value;
        const args = await serializeForEngine("configure", inputs);

        // The engine's default provider registration runs CheckConfig first; this host answers UNIMPLEMENTED.
        const providerUrn = `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:pulumi-nodejs::default`;
        const checkConfig = new provproto.CheckRequest().setUrn(providerUrn).setName("default").setType("pulumi:providers:pulumi-nodejs");
        checkConfig.setOlds(toStruct({})).setNews(toStruct(args));
        try {
            await call("checkConfig", checkConfig);
        } catch (e) {
            if (!(e instanceof DynamicProviderError && e.code === grpc.status.UNIMPLEMENTED)) throw e;
        }

        const request = new provproto.ConfigureRequest()
            .setArgs(toStruct(args)) // KeepSecrets: true — secrets travel wrapped, the host unwraps them
            .setAcceptsecrets(true)
            .setAcceptresources(true)
            .setSendsOldInputs(true)
            .setSendsOldInputsToDelete(true)
            .setUrn(providerUrn)
            .setName("default")
            .setType("pulumi:providers:pulumi-nodejs");
        const variablesMap = request.getVariablesMap();
        for (const [key, value] of Object.entries(variables)) variablesMap.set(`pulumi-nodejs:config:${key}`, value);
        const response = await call<provproto.ConfigureRequest, provproto.ConfigureResponse>("configure", request);
        hosted.protocol = {
            acceptSecrets: response.getAcceptsecrets(),
            acceptResources: response.getAcceptresources(),
            supportsPreview: response.getSupportspreview(),
        };
    }
    /** the engine always configures a provider before any resource call */
    function ensureConfigured(): Promise<void> {
        return (configured ??= sendConfigure({}, []));
    }

    /** a property bag as the engine would send it: SDK-serialized, plus __provider, secrets kept only if accepted */
    async function marshal(label: string, props: Props, addProvider = true): Promise<{ sent: Props; struct: Struct }> {
        // An explicit __provider (e.g. olds written by an older version of the provider) is sent as given.
        const withProvider = addProvider && !(PROVIDER_KEY in props) ? { ...props, [PROVIDER_KEY]: providerInput } : props;
        const sent = await serializeForEngine(label, withProvider);
        const wire = hosted.protocol?.acceptSecrets ? sent : removeSecrets(sent);
        return { sent, struct: toStruct(wire) };
    }
    /** a property bag as the engine would store it: deserialized, secrets re-annotated, __provider dropped */
    function unmarshal(struct: Struct | undefined, ins: Props | undefined): Props {
        const props = fromStruct(struct);
        if (!hosted.protocol?.acceptSecrets) annotateSecrets(props, ins);
        return withoutProvider(props);
    }

    async function check(urn: string, olds: Props, news: Props) {
        await ensureConfigured();
        const { type, name } = urnParts(urn);
        const o = await marshal("check.olds", olds, Object.keys(olds).length > 0);
        const n = await marshal("check.news", news);
        const request = new provproto.CheckRequest().setUrn(urn).setName(name).setType(type).setOlds(o.struct).setNews(n.struct);
        const response = await call<provproto.CheckRequest, provproto.CheckResponse>("check", request);
        return {
            inputs: unmarshal(response.getInputs(), n.sent),
            failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async function diff(id: string, urn: string, olds: Props, news: Props) {
        await ensureConfigured();
        const { type, name } = urnParts(urn);
        const o = await marshal("diff.olds", olds);
        const n = await marshal("diff.news", news);
        const request = new provproto.DiffRequest().setId(id).setUrn(urn).setName(name).setType(type);
        // The engine sends old outputs as `olds` and old inputs as `old_inputs`; this host only reads `olds`.
        request.setOlds(o.struct).setOldInputs(o.struct).setNews(n.struct);
        const response = await call<provproto.DiffRequest, provproto.DiffResponse>("diff", request);
        const { DIFF_NONE, DIFF_SOME } = provproto.DiffResponse.DiffChanges;
        const changes = response.getChanges();
        return {
            changes: changes === DIFF_NONE ? "none" : changes === DIFF_SOME ? "some" : "unknown",
            replaces: response.getReplacesList(),
            stables: response.getStablesList(),
            deleteBeforeReplace: response.getDeletebeforereplace(),
            diffs: response.getDiffsList(),
        } as const;
    }

    async function create(urn: string, inputs: Props) {
        await ensureConfigured();
        const { type, name } = urnParts(urn);
        const p = await marshal("create.properties", inputs);
        const request = new provproto.CreateRequest().setUrn(urn).setName(name).setType(type).setProperties(p.struct).setPreview(false);
        const response = await call<provproto.CreateRequest, provproto.CreateResponse>("create", request);
        return { id: response.getId(), outs: unmarshal(response.getProperties(), p.sent) };
    }

    async function read(id: string, urn: string, props: Props, inputs?: Props) {
        await ensureConfigured();
        const { type, name } = urnParts(urn);
        const p = await marshal("read.properties", props);
        const request = new provproto.ReadRequest().setId(id).setUrn(urn).setName(name).setType(type).setProperties(p.struct);
        let sentInputs: Props | undefined;
        if (inputs) {
            const i = await marshal("read.inputs", inputs);
            sentInputs = i.sent;
            request.setInputs(i.struct);
        }
        const response = await call<provproto.ReadRequest, provproto.ReadResponse>("read", request);
        const result: { id: string; props: Props; inputs?: Props } = {
            id: response.getId(),
            props: unmarshal(response.getProperties(), p.sent),
        };
        if (response.hasInputs()) result.inputs = unmarshal(response.getInputs(), sentInputs);
        return result;
    }

    async function update(id: string, urn: string, olds: Props, news: Props) {
        await ensureConfigured();
        const { type, name } = urnParts(urn);
        const o = await marshal("update.olds", olds);
        const n = await marshal("update.news", news);
        const request = new provproto.UpdateRequest().setId(id).setUrn(urn).setName(name).setType(type);
        request.setOlds(o.struct).setOldInputs(o.struct).setNews(n.struct).setPreview(false);
        const response = await call<provproto.UpdateRequest, provproto.UpdateResponse>("update", request);
        return { outs: unmarshal(response.getProperties(), n.sent) };
    }

    async function del(id: string, urn: string, props: Props) {
        await ensureConfigured();
        const { type, name } = urnParts(urn);
        const p = await marshal("delete.properties", props);
        const request = new provproto.DeleteRequest().setId(id).setUrn(urn).setName(name).setType(type);
        request.setProperties(p.struct).setOldInputs(p.struct);
        await call<provproto.DeleteRequest, Empty>("delete", request);
    }

    return hosted;
}

/** splits a stream into lines (a trailing partial line is flushed at the end) */
function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
    let pending = "";
    stream.setEncoding?.("utf8");
    stream.on("data", (chunk: string) => {
        pending += chunk;
        let newline: number;
        while ((newline = pending.indexOf("\n")) >= 0) {
            onLine(pending.slice(0, newline).replace(/\r$/, ""));
            pending = pending.slice(newline + 1);
        }
    });
    stream.on("end", () => {
        if (pending) onLine(pending);
        pending = "";
    });
}
