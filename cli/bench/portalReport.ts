import { formatTable } from "../table";
import { BENCH_ROLES, LARGE_TENANT_ROLES, measurePortalCalls, naiveCalls, PortalRun } from "./portalCalls";
import { bytesWrittenOverOnboarding, measureStateSize, providerTexts, StateSize } from "./stateSize";

const KB = 1024;
const MB = 1024 * KB;
/** The target for state per portal user at 500 users. */
const STATE_TARGET_BYTES = 8 * KB;

/**
 * The Practice Protect part of `npm run bench`: API calls per deployment (small firms with three roles, and a
 * large tenant of 2,500 portal users in five roles) and the state bytes per portal user. Returns the tables and
 * the verdicts.
 */
export async function portalBench(): Promise<{ text: string; verdicts: string[] }> {
    const texts = await providerTexts();
    const rows: { users: number; roles: number; run: PortalRun; state: { now: StateSize; before: StateSize } }[] = [];
    for (const [users, roles] of [
        [10, BENCH_ROLES],
        [100, BENCH_ROLES],
        [500, BENCH_ROLES],
        [2500, LARGE_TENANT_ROLES],
    ] as const) {
        const run = await measurePortalCalls(users, roles);
        rows.push({ users, roles: roles.length, run, state: { now: measureStateSize(run, texts.now), before: measureStateSize(run, texts.before) } });
    }

    const calls = formatTable([
        ["k = N", "r", "onboard: token", "look-ups", "invites", "member reads", "role updates", "total", "naive", "unchanged: calls", "refresh: token", "listing pages", "member reads", "total", "naive"],
        ...rows.map(({ users, roles, run: { onboard, unchanged, refresh } }) => [
            String(users),
            String(roles),
            String(onboard.token),
            String(onboard.directoryLookups),
            String(onboard.invites),
            String(onboard.memberReads),
            String(onboard.roleUpdates),
            String(onboard.total),
            String(naiveCalls(users, roles).onboard),
            String(unchanged.total),
            String(refresh.token),
            String(refresh.portalListings),
            String(refresh.memberReads),
            String(refresh.total),
            String(naiveCalls(users, roles).refresh),
        ]),
    ]).join("\n");

    const kb = (bytes: number) => (bytes / KB).toFixed(1);
    const mb = (bytes: number) => (bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0);
    const state = formatTable([
        ["portal users", "r", "KB/user now", "before", "__provider KB now", "before", "checkpoint MB now", "before", "written over onboarding MB now", "before"],
        ...rows.map(({ users, roles, state: { now, before } }) => [
            String(users),
            String(roles),
            kb(now.perPortalUser),
            kb(before.perPortalUser),
            kb(now.providerBytes),
            kb(before.providerBytes),
            mb(now.perPortalUser * users),
            mb(before.perPortalUser * users),
            mb(bytesWrittenOverOnboarding(now.perPortalUser, users)),
            mb(bytesWrittenOverOnboarding(before.perPortalUser, users)),
        ]),
    ]).join("\n");

    const budgetMet = rows.every(({ users, roles, run: { onboard, unchanged, refresh } }) =>
        onboard.token <= 1 && onboard.directoryLookups <= users && onboard.invites <= users && onboard.memberReads <= roles && onboard.roleUpdates <= roles && onboard.other === 0 && onboard.portalListings === 0 &&
        unchanged.total === 0 &&
        refresh.token <= 1 && refresh.portalListings === 1 && refresh.memberReads <= roles && refresh.total === 1 + 1 + roles,
    );
    const at500 = rows.find((r) => r.users === 500)!.state.now.perPortalUser;
    return {
        text: [
            `\nPractice Protect API calls per deployment, from the emulator's call log (k = N users, r roles), beside one call per user and per membership`,
            calls,
            `\nState per portal user after onboarding (each in every role): inputs and outputs as the engine stores them, each with __provider; "before" = the provider's own code serialized, as until issue 9`,
            state,
        ].join("\n"),
        verdicts: [
            verdict(budgetMet, "portal calls: onboarding k users = 1 token + k look-ups + k invites + 1 read and 1 update per role; no change = no call; refresh = 1 token + 1 listing page + 1 read per role, up to 2,500 users"),
            verdict(at500 < STATE_TARGET_BYTES, `state per portal user at 500 users under 8 KB: ${kb(at500)} KB`),
        ],
    };
}

const verdict = (ok: boolean, text: string) => `${ok ? "ok  " : "FAIL"}  ${text}`;
