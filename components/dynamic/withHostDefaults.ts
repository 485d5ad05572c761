import type * as pulumi from "@pulumi/pulumi";

type Provider = pulumi.dynamic.ResourceProvider;
type Method = keyof Provider;

/**
 * The provider `implementation` with every method the engine may call: one it leaves out gets what the SDK's own
 * host does without it (@pulumi/pulumi cmd/dynamic-provider): check keeps the new inputs, diff leaves the engine to
 * compare, read returns the stored properties, update answers no outputs, configure and delete do nothing; a
 * missing create is an error naming `what`. Loaded by loadedProvider's forwarder in the provider process, so none
 * of this is serialized into the state.
 */
export function withHostDefaults(implementation: Provider, what: string): Required<Provider> {
    const defaults: Required<Provider> = {
        configure: async () => {},
        check: async (_olds, news) => ({ inputs: news }),
        diff: async () => ({}),
        create: async () => {
            throw new Error(`${what} has no create`);
        },
        read: async (id, props) => ({ id, props }),
        update: async () => ({}),
        delete: async () => {},
    };
    const method = (name: Method) => (implementation[name] ? (implementation[name] as (...a: unknown[]) => unknown).bind(implementation) : defaults[name]);
    return Object.fromEntries((Object.keys(defaults) as Method[]).map((name) => [name, method(name)])) as Required<Provider>;
}
