import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GraphEmulator, GraphSeed, startGraphEmulator } from "../../emulator/graph";
import { formatTable } from "../table";

const SPB = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46";
const EXO1 = "4b9405b0-7788-4568-add1-99614e613b69";
const APP = { clientId: "4a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01", clientSecret: "bench-only" };

/** Graph calls by kind, from the emulator's log. */
interface GraphCalls {
    /** the token endpoint and the authority's metadata, which @azure/identity reads once per process */
    signIn: number;
    /** subscribedSkus and the users listing (pages) */
    lookups: number;
    userReads: number;
    assignLicense: number;
    total: number;
}

function count(emulator: GraphEmulator, from: number): GraphCalls {
    const c: GraphCalls = { signIn: 0, lookups: 0, userReads: 0, assignLicense: 0, total: 0 };
    for (const call of emulator.calls.slice(from)) {
        c.total++;
        if (!call.path.startsWith("/v1.0/")) c.signIn++;
        else if (call.path === "/v1.0/subscribedSkus" || call.path === "/v1.0/users") c.lookups++;
        else if (/^\/v1\.0\/users\/[^/]+$/.test(call.path)) c.userReads++;
        else if (call.path.endsWith("/assignLicense")) c.assignLicense++;
    }
    return c;
}

function seed(people: number): GraphSeed {
    const plan = (name: string, id: string) => ({ servicePlanName: name, servicePlanId: id });
    return {
        tenant: { id: "7c4d2f1e-8a3b-4c5d-9e6f-1a2b3c4d5e6f", displayName: "Bench", initialDomain: "bench.onmicrosoft.com" },
        apps: [{ ...APP, roles: ["User.ReadWrite.All", "LicenseAssignment.ReadWrite.All", "Organization.Read.All"] }],
        skus: [
            { skuId: SPB, skuPartNumber: "SPB", prepaidUnits: { enabled: people + 10 }, servicePlans: [plan("TEAMS1", "57ff2da0-773e-42df-b2af-ffb7a2317929")] },
            { skuId: EXO1, skuPartNumber: "EXCHANGESTANDARD", prepaidUnits: { enabled: people + 10 }, servicePlans: [plan("EXCHANGE_S_STANDARD", "9aaf7827-d63c-4b61-89c3-182f06f82e5c")] },
        ],
        users: Array.from({ length: people }, (_, i) => ({
            id: `0a1b2c3d-${String(i).padStart(4, "0")}-4e5f-8a9b-0c1d2e3f4a01`,
            userPrincipalName: `person${i}@bench.example`,
            displayName: `Person ${i}`,
            usageLocation: "AU",
        })),
    };
}

/** One licence per person, and a second for every fifth: a firm's usual shape. */
const wanted = (i: number) => (i % 5 === 0 ? [{ skuId: SPB, disabledPlans: [] }, { skuId: EXO1, disabledPlans: [] }] : [{ skuId: SPB, disabledPlans: [] }]);

/**
 * The licence part of `npm run bench`: Graph calls for onboarding k people, a run with no change, and a refresh,
 * counted from the Graph emulator's log (each phase in its own process, as a deployment's provider process
 * would run), beside a one-call-per-thing design (read every user to count seats, then per person one read and
 * one assignLicense per licence).
 */
export async function graphBench(): Promise<{ text: string; verdicts: string[] }> {
    const rows: string[][] = [];
    const verdicts: string[] = [];
    for (const k of [10, 100, 500]) {
        const emulator = await startGraphEmulator({ seed: seed(k) });
        const dir = mkdtempSync(join(tmpdir(), "graph-bench-"));
        try {
            writeFileSync(join(dir, "graph.pem"), emulator.certificate);
            const people = seed(k).users.map((u, i) => ({ userId: u.id, userPrincipalName: u.userPrincipalName, licenses: wanted(i) }));
            writeFileSync(join(dir, "people.json"), JSON.stringify(people));
            const env = {
                ...process.env,
                NODE_EXTRA_CA_CERTS: join(dir, "graph.pem"),
                USERS_AS_CODE_GRAPH_URL: emulator.url,
                ARM_TENANT_ID: seed(k).tenant.id,
                ARM_CLIENT_ID: APP.clientId,
                ARM_CLIENT_SECRET: APP.clientSecret,
            };
            // Asynchronously: the emulator answers from this process's event loop.
            const phase = async (name: string) => {
                const from = emulator.calls.length;
                await promisify(execFile)(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "graphDeployment.ts"), name, join(dir, "people.json"), join(dir, "state.json")], { env });
                return count(emulator, from);
            };
            const onboard = await phase("onboard");
            const unchanged = await phase("unchanged");
            const refresh = await phase("refresh");
            const licences = people.reduce((n, p) => n + p.licenses.length, 0);
            // One call per thing: read every user for the seat count, then per person a read and one assignLicense per licence.
            const naive = { onboard: k + k + licences, unchanged: k + 1, refresh: k };
            rows.push([String(k), String(licences), String(onboard.signIn), String(onboard.lookups), String(onboard.userReads), String(onboard.assignLicense), String(onboard.total), String(naive.onboard), String(unchanged.total), String(naive.unchanged), String(refresh.total), String(naive.refresh)]);
            if (k === 500) {
                verdicts.push(verdict(onboard.assignLicense === k, `one assignLicense per person (all their licences at once) at 500 people: ${onboard.assignLicense}`));
                const graphCalls = unchanged.total - unchanged.signIn;
                verdicts.push(verdict(graphCalls === 2, `a run with no licence change makes only the two start look-ups: ${graphCalls} Graph calls (besides signing in) for 500 people`));
            }
        } finally {
            await emulator.close();
            rmSync(dir, { recursive: true, force: true });
        }
    }
    const text = [
        "\nMicrosoft Graph calls for licences per deployment, from the Graph emulator's log (k people, one licence each and a second for every fifth), beside one call per thing",
        formatTable([["k", "licences", "onboard: sign-in", "look-ups", "user reads", "assignLicense", "total", "naive", "unchanged: total", "naive", "refresh: total", "naive"], ...rows]).join("\n"),
    ].join("\n");
    return { text, verdicts };
}

const verdict = (ok: boolean, text: string) => `${ok ? "ok  " : "FAIL"}  ${text}`;
