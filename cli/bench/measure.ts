import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { checkUsersYaml, SourceFile } from "../../model";
import { runMockDeployment } from "../mockDeployment";

/**
 * One measurement in a process of its own, so its peak memory is its own: prints
 * {"ms": <median of the timed runs>, "maxRssMB": ..., "resources"?: ...} as JSON.
 *   validate FILE | parse FILE | plan FILE | bare COUNT
 */
async function main(kind: string, arg: string): Promise<void> {
    const timed = async (runs: number, fn: () => unknown | Promise<unknown>) => {
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
            const start = process.hrtime.bigint();
            await fn();
            times.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    };
    let ms: number;
    let resources: number | undefined;
    if (kind === "validate" || kind === "parse") {
        const text = readFileSync(arg, "utf8");
        const run = kind === "parse" ? () => parse(text) : () => {
            // As npm run validate checks: without resolving a model (the plan's measurement includes that).
            const result = checkUsersYaml(new SourceFile(arg, text), { model: false });
            if (!result.file) throw new Error(`generated file does not validate: ${result.diagnostics[0]?.message}`);
        };
        await run(); // warm up the JIT, as a CI run's second file would
        ms = await timed(3, run);
    } else if (kind === "plan") {
        const program = require("../../index") as () => Promise<Record<string, unknown>>;
        ms = await timed(1, async () => {
            const run = await runMockDeployment(program, {
                project: "practiceprotect-users",
                config: { usersFile: arg },
                tenantGroups: { "All Staff": "00000000-0000-0000-0000-000000000001", Partners: "00000000-0000-0000-0000-000000000002" },
            });
            resources = run.registrations.length;
        });
    } else if (kind === "bare") {
        const count = Number(arg);
        ms = await timed(1, () =>
            runMockDeployment(
                async () => {
                    class Bare extends pulumi.CustomResource {}
                    const all: pulumi.CustomResource[] = [];
                    for (let i = 0; i < count; i++) all.push(new Bare("bench:index:Bare", `bare-${i}`, { value: i }));
                    return { ids: all.map((r) => r.id) };
                },
                { project: "practiceprotect-users" },
            ),
        );
        resources = count;
    } else throw new Error(`unknown measurement ${kind}`);
    process.stdout.write(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, resources }) + "\n");
}

main(process.argv[2], process.argv[3]).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
    process.exitCode = 1;
});
