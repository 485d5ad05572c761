import { readFileSync } from "node:fs";
import { checkStateExport, StateExportError } from "../components/dynamic/stateCheck";
import { CommandIO, parseCommandArgs, runAsProcess, UsageError } from "./io";

export const CHECK_STATE_USAGE = "usage: pulumi stack export | npm run --silent check-state   or   npm run check-state -- --file EXPORT.json";

/**
 * `npm run check-state -- [--file EXPORT.json]` (stdin without --file): reads `pulumi stack export` and refuses a
 * state holding a dynamic resource whose stored provider is not a forwarder this program writes, or a provider
 * resource that would load another plugin or sign in elsewhere (components/dynamic/stateCheck.ts). Exit 0 when there is none, 1 naming every offender, 2 when the input is
 * not a stack export. The deploy workflow runs it before `pulumi up`.
 */
export async function checkStateCommand(argv: string[], io: CommandIO, stdin: () => Promise<string> = readStdin): Promise<number> {
    const { values } = parseCommandArgs(argv, { options: { file: { type: "string" }, help: { type: "boolean", short: "h" } } });
    if (values.help) {
        io.out(CHECK_STATE_USAGE);
        return 0;
    }
    const from = values.file ?? "standard input";
    let text: string;
    try {
        text = values.file === undefined ? await stdin() : readFileSync(values.file, "utf8");
    } catch (e) {
        throw new UsageError(`cannot read ${from}: ${(e as Error).message}`);
    }
    let result;
    try {
        result = checkStateExport(JSON.parse(text));
    } catch (e) {
        if (!(e instanceof StateExportError || e instanceof SyntaxError)) throw e;
        io.err(`${from}: ${e instanceof SyntaxError ? "not JSON" : e.message}; give the output of \`pulumi stack export --stack <stack>\``);
        return 2;
    }
    const { dynamicResources, offenders } = result;
    if (offenders.length === 0) {
        io.err(`${from}: ${plural(dynamicResources, "dynamic resource")}, each with a forwarder to one of this program's providers`);
        return 0;
    }
    for (const o of offenders) io.out(`${o.urn}: ${o.why}`);
    io.err(
        `${from}: ${plural(offenders.length, "resource")} with a provider this program did not write (${plural(dynamicResources, "dynamic resource")} checked); nothing was deployed. ` +
            "Pulumi would run that code, or sign in elsewhere, with the deploying identity on refresh or delete. Find out who wrote the state (the backend's history), " +
            "then remove the resource from the state (`pulumi state delete <urn>`) or restore a good checkpoint (docs/state-and-backends.md).",
    );
    return 1;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

async function readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
}

if (require.main === module) runAsProcess(checkStateCommand, CHECK_STATE_USAGE);
