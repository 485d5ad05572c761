import type * as pulumi from "@pulumi/pulumi";

/**
 * A dynamic provider whose code stays in the project instead of in the state.
 *
 * `pulumi.dynamic.Resource` stores its provider, serialized with everything it reaches, as the `__provider`
 * input AND output of every resource: about 50 KB for PortalUser or RoleMembers (the HTTP client, the session,
 * the settings), so 500 portal users carried ~50 MB of copies of the same code, and a self-managed backend
 * rewrites the whole checkpoint after every step. What is serialized here is only this small forwarder: on its
 * first call in the provider process it loads `exportName` from `modulePath` (relative to the project root, the
 * provider process's working directory) and hands every call to it.
 *
 * The provider process is plain node (see test/support/dynamicProviderHost.ts), so a TypeScript module needs
 * ts-node: the project's own (a devDependency, which `npm ci` installs and Pulumi's TypeScript support needs
 * anyway) is registered, transpile-only, when `.ts` files are not loadable yet.
 *
 * A stray .js beside a module it loads (components/dynamic/withHostDefaults.js, say, which Node would take before
 * the .ts) is refused rather than run: the ts-node registered here preloads cli/strayScripts.js (tsconfig.json's
 * "ts-node" section), as the Pulumi CLI's ts-node and the commands' loaders do. The forwarder's own text, which is
 * what the state holds, is unchanged by this.
 *
 * The cost: a refresh or a delete runs the code of the checkout that runs Pulumi, not the code that created the
 * resource (which is also what lets a fix reach resources created before it). Run Pulumi from the project
 * directory after `npm ci`.
 */
export function loadedProvider<Inputs, Outputs>(modulePath: string, exportName: string): pulumi.dynamic.ResourceProvider<Inputs, Outputs> {
    type Provider = pulumi.dynamic.ResourceProvider<Inputs, Outputs>;
    // Everything below is serialized into the state, twice per resource: keep it small, capture only two strings
    // (no comments inside: the function's text is what is stored). What a missing method does is decided on the
    // loaded side (withHostDefaults.ts). A name that is also a global, such as mocha's `run`, would not be
    // captured: hence forwardCall.
    const forwardCall = async (method: keyof Provider, args: unknown[]): Promise<never> => {
        const cache = ((globalThis as { __practiceProtectUsersProviders?: Record<string, Required<Provider>> }).__practiceProtectUsersProviders ??= {});
        if (!cache[exportName]) {
            const root = process.cwd();
            const from = (path: string) => require(require.resolve(path, { paths: [root] }));
            try {
                if (!require.extensions[".ts"]) from("ts-node").register({ transpileOnly: true, project: `${root}/tsconfig.json` });
                cache[exportName] = from("./components/dynamic/withHostDefaults").withHostDefaults(from(`./${modulePath}`)[exportName], `${modulePath}: ${exportName}`);
            } catch (e) {
                throw new Error(`cannot load ${modulePath} (run Pulumi in the project directory, after npm ci): ${e}`);
            }
        }
        return (cache[exportName][method] as (...a: unknown[]) => Promise<never>)(...args);
    };
    return {
        configure: (...a) => forwardCall("configure", a),
        check: (...a) => forwardCall("check", a),
        diff: (...a) => forwardCall("diff", a),
        create: (...a) => forwardCall("create", a),
        read: (...a) => forwardCall("read", a),
        update: (...a) => forwardCall("update", a),
        delete: (...a) => forwardCall("delete", a),
    };
}
