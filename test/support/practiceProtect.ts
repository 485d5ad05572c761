import { DEFAULT_PAGE_SIZE, type PracticeProtectSettings } from "../../practiceprotect/settings";
import type { RetryPolicy } from "../../practiceprotect/transport";
import { Emulator, EmulatorSeed, PlatformQuirks, startEmulator } from "../../emulator";

export const AZURE_AD = "3f2b8c1e-7d6a-4b5c-9e8f-0a1b2c3d0002";
export const CLIENT_SECRET = "s3cret-for-tests-only-9f8e7d";

export const uuidOf = (n: number) => `1a2b3c4d-${String(n).padStart(4, "0")}-4e5f-8a9b-0c1d2e3f4a${String(n).padStart(2, "0").slice(-2)}`;

/** A small portal: an Azure AD source with users, two firm roles (one with an unmanaged member) and the built-ins. */
export function testSeed(): EmulatorSeed {
    const user = (n: number, userName: string, extra: Partial<EmulatorSeed["directoryUsers"][number]> = {}) => ({
        directoryUuid: AZURE_AD,
        uuid: uuidOf(n),
        userName,
        displayName: userName.split("@")[0],
        email: userName,
        ...extra,
    });
    return {
        oauth: { appId: "UsersAsCode", clientId: "svc@firm", clientSecret: CLIENT_SECRET, scope: "users-as-code" },
        directories: [
            { uuid: "09b9a9b0-6ce8-44ad-8e39-7e1f1e4a0001", name: "CDS", displayName: "CyberArk Cloud Directory", service: "CDS" },
            { uuid: AZURE_AD, name: "AzureAD-firm", displayName: "Azure AD - Firm", service: "AzureAD" },
        ],
        directoryUsers: [
            user(1, "jane@firm.com.au", { mobileNumber: "+61 412 345 678" }),
            user(2, "jane.citizen@firm.com.au"),
            user(3, "bob@firm.com.au", { status: "Active", mobileNumber: "0423 456 789" }),
            user(4, "carol@firm.com.au", { status: "Invited" }),
            user(5, "o'brien@firm.com.au"),
            user(6, "dan@firm.com.au", { status: "Active" }),
        ],
        roles: [
            { id: "role-portal-au", name: "Portal Users - AU", members: [{ guid: uuidOf(6), name: "dan@firm.com.au", type: "User" }] },
            { id: "role-xpm", name: "XPM Users", members: [] },
            { id: "role-obrien", name: "O'Brien's Team", members: [] },
        ],
    };
}

/** testSeed() with `extra` more Azure AD users already in the portal (bulk0@firm.com.au, ...) and a platform service user. */
export function largeTenantSeed(extra: number): EmulatorSeed {
    const seed = testSeed();
    for (let i = 0; i < extra; i++) {
        seed.directoryUsers.push({ directoryUuid: AZURE_AD, uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, userName: `bulk${i}@firm.com.au`, displayName: `Bulk ${i}`, status: "Active" });
    }
    return { ...seed, platformServiceUsers: [{ clientId: PLATFORM_CLIENT_ID, clientSecret: PLATFORM_SECRET }] };
}
export const PLATFORM_CLIENT_ID = "platform-svc@firm";
export const PLATFORM_SECRET = "platform-s3cret-for-tests-1a2b";

/** Retries fast enough for tests, still bounded the same way. */
export const FAST_RETRIES: RetryPolicy = { maxAttempts: 4, totalTimeoutMs: 10_000, requestTimeoutMs: 1_000, baseDelayMs: 10, maxDelayMs: 50 };

export function settingsFor(emulator: Emulator, overrides: Partial<PracticeProtectSettings> = {}): PracticeProtectSettings {
    return {
        url: emulator.url,
        signIn: "oauth2-client",
        oauthAppId: "UsersAsCode",
        clientId: "svc@firm",
        clientSecret: CLIENT_SECRET,
        scope: "users-as-code",
        directory: "Azure AD - Firm",
        lookupTimeoutSeconds: 5,
        pageSize: DEFAULT_PAGE_SIZE,
        requestTimeoutSeconds: 1,
        callBudgetSeconds: 10,
        ...overrides,
    };
}

/** Starts an emulator for each test, closed after it. */
export function withEmulator(seed: () => EmulatorSeed = testSeed, quirks?: PlatformQuirks): { current: Emulator } {
    const holder = {} as { current: Emulator };
    beforeEach(async () => (holder.current = await startEmulator({ seed: seed(), quirks })));
    afterEach(async () => holder.current.close());
    return holder;
}

/** How many calls the emulator saw, by path (token calls under "/oauth2/token"). */
export function callCounts(emulator: Emulator): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of emulator.calls) {
        const path = call.path.startsWith("/oauth2/token") ? "/oauth2/token" : call.path;
        counts[path] = (counts[path] ?? 0) + 1;
    }
    return counts;
}
