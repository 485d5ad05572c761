import { strict as assert } from "node:assert";
import { loadedProvider } from "../../components/dynamic/loadedProvider";
import { MODULE_PATH, EXPORT_NAME, type ForwarderShape } from "../../components/dynamic/stateCheck";
import { loadedProvider_11cadee, loadedProvider_89f0611, loadedProvider_bbb5390 } from "../fixtures/earlierForwarders";
import { serializeDynamicProvider } from "./dynamicProviderHost";

type Forwarder = (modulePath: string, exportName: string) => object;

/** Every forwarder this project has written into a state: the earlier ones (test/fixtures/earlierForwarders.ts), and today's (last changed in f7a1d7b). */
export const FORWARDERS: { from: string; make: Forwarder }[] = [
    { from: "bbb5390", make: loadedProvider_bbb5390 },
    { from: "11cadee", make: loadedProvider_11cadee },
    { from: "89f0611", make: loadedProvider_89f0611 },
    { from: "f7a1d7b", make: loadedProvider },
];

/** The `__provider` text pulumi.dynamic.Resource stores for `make(modulePath, exportName)`: the SDK's own serializer. */
export async function serializedForwarder(make: Forwarder, modulePath: string, exportName: string): Promise<string> {
    const { text, containsSecrets } = await serializeDynamicProvider(make(modulePath, exportName) as never);
    assert.equal(containsSecrets, false, "a forwarder captures no secret");
    return text;
}

/** The shape of a forwarder: its serialized text with the two captured strings as placeholders. */
export async function shapeOf(from: string, make: Forwarder): Promise<ForwarderShape> {
    const [modulePath, exportName] = ["components/sample/sampleProvider", "sampleImplementation"];
    const text = await serializedForwarder(make, modulePath, exportName);
    const once = (literal: string) => {
        const at = text.split(literal).length - 1;
        assert.equal(at, 1, `${from}: ${literal} appears ${at} times in the serialized forwarder; want once (in its with(...) scope)`);
    };
    once(JSON.stringify(modulePath));
    once(JSON.stringify(exportName));
    return { from, text: text.replace(JSON.stringify(modulePath), MODULE_PATH).replace(JSON.stringify(exportName), EXPORT_NAME) };
}
