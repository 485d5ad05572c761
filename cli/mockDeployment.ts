import * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { answerDirectoryOffline, DirectoryRoleAssignment, DirectoryUser, SubscribedSku, UserLicenses } from "../graph";

// Not in the SDK's typings, but the same wait `pulumi.runtime.disconnect()` does before closing: every
// outstanding registration has been answered.
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/** One resource the program declared, as the engine would receive it. */
export interface Registration {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    inputs: Record<string, any>;
    /** The `import` option: the id of an existing resource to adopt. */
    importId?: string;
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    /** URNs of the resources it waits for (`dependsOn`, and those its inputs come from). */
    dependencies: string[];
    /** The URNs it may have had before (the `aliases` option), as the engine would match them. */
    aliases: string[];
}

export interface MockDeploymentOptions {
    project: string;
    stack?: string;
    /** Stack settings without the project prefix, e.g. { serviceAccountAccess: "full" }. */
    config?: Record<string, string>;
    /**
     * The groups that already exist in the tenant, by display name: their object id (a security group with no
     * members), or what `getGroup` answers for them. `getGroups` lists them all.
     */
    tenantGroups?: Record<string, string | TenantGroup>;
    /** Directory role assignments that already exist (what the Graph look-up answers). */
    roleAssignments?: DirectoryRoleAssignment[];
    /**
     * The tenant's users, as Graph answers for the accounts users.yaml adopts. Without them the run cannot read
     * accounts, as `npm run plan` cannot: adopted accounts are not checked.
     */
    tenantUsers?: DirectoryUser[];
    /**
     * The tenant's subscriptions (what GET /subscribedSkus answers). Without them the run is offline for licences,
     * as `npm run plan` is: names come from the table of common licences and seats are not counted.
     */
    subscribedSkus?: SubscribedSku[];
    /** Every user's licences (what GET /users?$select=licenseAssignmentStates answers). */
    usersLicenses?: UserLicenses[];
    /** The tenant's initial domain (what `getDomains({ onlyInitial: true })` answers). */
    initialDomain?: string;
}

/** An existing group as `azuread.getGroup` describes it; left-out fields are a plain security group's. */
export interface TenantGroup {
    objectId: string;
    members?: string[];
    mailEnabled?: boolean;
    securityEnabled?: boolean;
    types?: string[];
    onpremisesSyncEnabled?: boolean;
    /** isAssignableToRole */
    assignableToRole?: boolean;
}

export interface MockDeployment {
    registrations: Registration[];
    /** The stack outputs, resolved. */
    outputs: Record<string, unknown>;
    /** The stack outputs as the program returned them (Outputs, so secretness can be checked). */
    rawOutputs: Record<string, unknown>;
    /** Data-source calls the program made, by token. */
    invokes: string[];
    /** Microsoft Graph look-ups the program made, e.g. `roleAssignmentsOf(<principal ids>)`. */
    graphLookups: string[];
    /** What the program logged as warnings (under mocks there is no engine to show them). */
    warnings: string[];
    /** What the program logged as information: what `pulumi preview` shows under Diagnostics. */
    infos: string[];
}

/**
 * The program failed; says what it had declared, and which data sources and Graph look-ups it had called, by
 * then (for "nothing is declared on bad input", and "nothing is looked up before the configuration is checked").
 */
export class MockDeploymentError extends Error {
    constructor(readonly cause: unknown, readonly registrations: Registration[], readonly invokes: string[] = [], readonly graphLookups: string[] = []) {
        super(cause instanceof Error ? cause.message : String(cause));
    }
}

/**
 * Runs a Pulumi program offline under `pulumi.runtime.setMocks`: no Pulumi CLI, no Azure, no credentials.
 * Records every resource registration with its options (parent, import, protect, retainOnDelete) so the plan
 * can show and the tests can assert exactly what `pulumi up` would declare.
 */
export async function runMockDeployment(program: () => Promise<Record<string, unknown>>, options: MockDeploymentOptions): Promise<MockDeployment> {
    const registrations: Registration[] = [];
    const invokes: string[] = [];
    const tenantGroups = Object.entries(options.tenantGroups ?? {}).map(([name, g]): [string, TenantGroup] => [name, typeof g === "string" ? { objectId: g } : g]);
    const graphLookups: string[] = [];
    answerDirectoryOffline({
        offline: options.subscribedSkus === undefined,
        withoutAccounts: options.tenantUsers === undefined,
        usersById: async (ids) => {
            graphLookups.push(`usersById(${ids.join(",")})`);
            const wanted = new Set(ids.map((id) => id.toLowerCase()));
            return (options.tenantUsers ?? []).filter((u) => wanted.has(u.id.toLowerCase()));
        },
        roleAssignmentsOf: async (ids) => {
            graphLookups.push(`roleAssignmentsOf(${ids.join(",")})`);
            const wanted = new Set(ids.map((id) => id.toLowerCase()));
            return (options.roleAssignments ?? []).filter((a) => wanted.has(a.principalId.toLowerCase()));
        },
        roleAssignableGroups: async () => {
            graphLookups.push("roleAssignableGroups");
            return tenantGroups.filter(([, g]) => g.assignableToRole).map(([displayName, g]) => ({ id: g.objectId, displayName }));
        },
        groupMemberIds: async (groupId) => {
            graphLookups.push(`groupMemberIds(${groupId})`);
            return (tenantGroups.find(([, g]) => g.objectId === groupId)?.[1].members ?? []).map((m) => m.toLowerCase());
        },
        subscribedSkus: async () => {
            graphLookups.push("subscribedSkus");
            return options.subscribedSkus ?? [];
        },
        usersLicenses: async () => {
            graphLookups.push("usersLicenses");
            return options.usersLicenses ?? [];
        },
    });

    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [k.includes(":") ? k : `${options.project}:${k}`, v])));
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                if (!args.custom) return { id: undefined, state: {} };
                return { id: fakeId(args.type, args.id), state: { ...args.inputs, ...computedOutputs(args.type, args.id, args.inputs) } };
            },
            call: (args) => {
                invokes.push(args.token);
                if (args.token === "azuread:index/getGroups:getGroups") {
                    return { objectIds: tenantGroups.map(([, g]) => g.objectId), displayNames: tenantGroups.map(([name]) => name) };
                }
                if (args.token === "azuread:index/getGroup:getGroup") {
                    const found = tenantGroups.find(([, g]) => g.objectId === args.inputs.objectId);
                    if (!found) throw new Error(`the offline tenant has no group ${args.inputs.objectId}`);
                    const [displayName, g] = found;
                    return { objectId: g.objectId, displayName, members: g.members ?? [], mailEnabled: g.mailEnabled ?? false, securityEnabled: g.securityEnabled ?? true, types: g.types ?? [], onpremisesSyncEnabled: g.onpremisesSyncEnabled ?? false, assignableToRole: g.assignableToRole ?? false };
                }
                if (args.token === "azuread:index/getDomains:getDomains") {
                    return { domains: [{ domainName: options.initialDomain ?? "examplefirm.onmicrosoft.com", initial: true }] };
                }
                throw new Error(`the offline run has no answer for ${args.token}`);
            },
        },
        options.project,
        options.stack ?? "dev",
        false,
    );

    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: unknown): Promise<void> };
    const register = monitor.registerResource.bind(monitor);
    // The mock monitor qualifies a child's type with its parent's type only; the engine uses the whole chain.
    const engineUrnOf = new Map<string, string>();
    monitor.registerResource = (req: any, callback: (err: unknown, response: any) => void) => {
        const name: string = req.getName();
        const type: string = req.getType();
        const parent = engineUrnOf.get(req.getParent());
        const qualifiedType = parent ? `${parent.split("::")[2]}$${type}` : type;
        const registration: Registration = {
            urn: `urn:pulumi:${options.stack ?? "dev"}::${options.project}::${qualifiedType}::${name}`,
            type,
            name,
            parent,
            custom: req.getCustom(),
            inputs: pulumi.runtime.deserializeProperties(req.getObject()),
            importId: req.getImportid() || undefined,
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
            ignoreChanges: req.getIgnorechangesList(),
            dependencies: (req.getDependenciesList() as string[]).map((urn) => engineUrnOf.get(urn) ?? urn),
            aliases: aliasUrns(req, options, parent),
        };
        registrations.push(registration);
        return register(req, (err: unknown, response: any) => {
            if (response) engineUrnOf.set(response.getUrn(), registration.urn);
            callback(err, response);
        });
    };

    const warnings: string[] = [];
    const infos: string[] = [];
    const { warn, info } = pulumi.log;
    pulumi.log.warn = async (message: string) => void warnings.push(message);
    pulumi.log.info = async (message: string) => void infos.push(message);
    // The SDK records a full stack trace for every resource (its source position, which only the engine's
    // display uses); under ts-node each frame would be source-mapped, which is most of an offline run's time.
    // It also keeps a stack on every promise it makes, one per output property of every resource, only for
    // debugging promise leaks: none is needed offline. (Its source-position capture sets its own limit.)
    const { prepareStackTrace, stackTraceLimit } = Error;
    Error.prepareStackTrace = undefined as unknown as typeof Error.prepareStackTrace;
    Error.stackTraceLimit = 0;
    let rawOutputs: Record<string, unknown>;
    try {
        rawOutputs = await program();
    } catch (error) {
        await waitForRPCs();
        throw new MockDeploymentError(error, registrations, invokes, graphLookups);
    } finally {
        answerDirectoryOffline(undefined);
        pulumi.log.warn = warn;
        pulumi.log.info = info;
        Error.prepareStackTrace = prepareStackTrace;
        Error.stackTraceLimit = stackTraceLimit;
    }
    const outputs = await new Promise<Record<string, unknown>>((resolve) => pulumi.output(rawOutputs).apply((o) => resolve(o as Record<string, unknown>)));
    await waitForRPCs();
    return { registrations, outputs, rawOutputs, invokes, graphLookups, warnings, infos };
}

/**
 * The alias URNs of a registration. The SDK sends aliases as specs (name, type, parent) when the monitor
 * supports them, otherwise as URNs; either way they are turned into URNs the way the engine qualifies types.
 */
function aliasUrns(req: any, options: MockDeploymentOptions, parentUrn: string | undefined): string[] {
    const urns: string[] = [...(req.getAliasurnsList?.() ?? [])];
    for (const alias of req.getAliasesList?.() ?? []) {
        if (alias.hasUrn?.()) {
            urns.push(alias.getUrn());
            continue;
        }
        const spec = alias.getSpec();
        const name = spec.getName() || req.getName();
        const type = spec.getType() || req.getType();
        const parent = spec.getNoparent?.() ? undefined : spec.getParenturn?.() || parentUrn;
        const qualified = parent ? `${parent.split("::")[2]}$${type}` : type;
        urns.push(`urn:pulumi:${spec.getStack() || options.stack || "dev"}::${spec.getProject() || options.project}::${qualified}::${name}`);
    }
    return urns;
}

/** Ids as the real provider forms them: a user's id is /users/<objectId>; an adopted user keeps its own. */
function fakeId(type: string, importId: string | undefined): string {
    if (importId) return importId;
    if (type === "azuread:index/user:User") return `/users/${randomUUID()}`;
    if (type === "azuread:index/group:Group") return `/groups/${randomUUID()}`;
    return randomUUID();
}

function computedOutputs(type: string, importId: string | undefined, inputs: Record<string, any>): Record<string, unknown> {
    switch (type) {
        case "azuread:index/user:User":
            return { objectId: importId ? importId.replace(/^\/users\//, "") : randomUUID() };
        case "azuread:index/group:Group":
            return { objectId: randomUUID() };
        default:
            return {};
    }
}
