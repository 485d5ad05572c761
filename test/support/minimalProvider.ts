/** A dynamic provider with create alone, to show what the loaded-provider forwarder does for the methods it lacks. */
export const minimalImplementation = {
    async create(inputs: { name: string }) {
        return { id: `id-${inputs.name}`, outs: { ...inputs, created: true } };
    },
};
