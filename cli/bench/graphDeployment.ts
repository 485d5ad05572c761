/*
 * One deployment's Graph side, as a provider process would run it: `node -r ts-node/register cli/bench/graphDeployment.ts
 * <phase> <people.json> <state.json>`, with the environment pointing at a Graph emulator (USERS_AS_CODE_GRAPH_URL,
 * NODE_EXTRA_CA_CERTS, ARM_*). Phases: onboard (look-ups, then a UserLicenses create per person), unchanged
 * (look-ups, then a diff per person), refresh (a read per person). Run by cli/bench/graphCalls.ts, which counts
 * the calls in the emulator's log.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { userLicensesImplementation, UserLicensesInputs, UserLicensesOutputs } from "../../components/licenses/userLicensesProvider";
import { directoryReader } from "../../graph";

async function main(phase: string, peopleFile: string, stateFile: string): Promise<void> {
    const people = JSON.parse(readFileSync(peopleFile, "utf8")) as UserLicensesInputs[];
    const provider = userLicensesImplementation;
    if (phase === "onboard" || phase === "unchanged") {
        const reader = directoryReader(process.env);
        await Promise.all([reader.subscribedSkus(), reader.usersLicenses()]);
    }
    if (phase === "onboard") {
        const outs: UserLicensesOutputs[] = [];
        for (const inputs of people) outs.push((await provider.create!(inputs)).outs as UserLicensesOutputs);
        writeFileSync(stateFile, JSON.stringify(outs));
        return;
    }
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as UserLicensesOutputs[];
    for (const [i, olds] of state.entries()) {
        if (phase === "unchanged") {
            const diff = await provider.diff!(olds.userId, olds, people[i]);
            if (diff.changes) throw new Error(`${olds.userPrincipalName}: an unchanged run found changes`);
        } else if (phase === "refresh") await provider.read!(olds.userId, olds);
        else throw new Error(`unknown phase ${phase}`);
    }
}

main(process.argv[2], process.argv[3], process.argv[4]).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
