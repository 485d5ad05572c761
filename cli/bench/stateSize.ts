import type * as pulumi from "@pulumi/pulumi";
// The function pulumi.dynamic.Resource serializes its provider with (dynamic/index.js serializeFunctionMaybeSecret).
import { serializeFunction } from "@pulumi/pulumi/runtime/closure/serializeClosure";
import { portalUserProvider, roleMembersProvider } from "../../components/practiceprotect";
import { portalUserImplementation } from "../../components/practiceprotect/portalUserProvider";
import { roleMembersImplementation } from "../../components/practiceprotect/roleMembersProvider";
import type { PortalRun, StoredResource } from "./portalCalls";

/** The `__provider` text pulumi.dynamic.Resource stores for a provider. */
async function serialized(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
    return (await serializeFunction(() => provider, { allowSecrets: true })).text;
}

/** Bytes a resource takes in the state: its inputs and its outputs as JSON, each carrying `__provider`. */
function storedBytes(resource: StoredResource, provider: string): number {
    return Buffer.byteLength(JSON.stringify({ inputs: { ...resource.inputs, __provider: provider }, outputs: { ...resource.outputs, __provider: provider } }));
}

export interface StateSize {
    /** state bytes per portal user: their PortalUser and their share of every RoleMembers */
    perPortalUser: number;
    /** bytes of `__provider` for PortalUser */
    providerBytes: number;
}

export interface ProviderTexts {
    portalUser: string;
    roleMembers: string;
}

/**
 * The `__provider` texts: `now` the forwarder the resources use, `before` the providers' own code, as stored until
 * issue 9. Take them before any provider runs: afterwards the serializer finds the session on globalThis and
 * refers to it instead of serializing it, which would understate `before`.
 */
export async function providerTexts(): Promise<{ now: ProviderTexts; before: ProviderTexts }> {
    return {
        now: { portalUser: await serialized(portalUserProvider), roleMembers: await serialized(roleMembersProvider) },
        before: { portalUser: await serialized(portalUserImplementation), roleMembers: await serialized(roleMembersImplementation) },
    };
}

/**
 * State bytes per portal user after an onboarding run, as the engine stores them (inputs with `__provider`, and
 * outputs with `__provider`; the URN, type and dependencies the engine adds, a few hundred bytes, are left out).
 */
export function measureStateSize(run: PortalRun, texts: ProviderTexts): StateSize {
    const total =
        run.stored.portalUsers.reduce((sum, r) => sum + storedBytes(r, texts.portalUser), 0) + run.stored.roles.reduce((sum, r) => sum + storedBytes(r, texts.roleMembers), 0);
    return { perPortalUser: total / run.stored.portalUsers.length, providerBytes: Buffer.byteLength(texts.portalUser) };
}

/**
 * What a self-managed backend writes over an onboarding of `users` users when it rewrites the whole checkpoint
 * after each step: the checkpoint grows by one user per step, so about perUser × N²/2 bytes.
 */
export const bytesWrittenOverOnboarding = (perPortalUser: number, users: number) => (perPortalUser * users * (users + 1)) / 2;
