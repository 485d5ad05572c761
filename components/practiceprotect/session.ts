import { Directory, PortalUser as PortalAccount, PracticeProtectClient } from "../../practiceprotect/client";
import { PracticeProtectSettings, readPracticeProtectSettings, SETTING_NAMES } from "../../practiceprotect/settings";

/**
 * What the provider process keeps between calls: the settings `configure` was given, one client (so one
 * token for the whole deployment) and caches. It lives on `globalThis` because each dynamic provider is
 * serialized on its own, and both the PortalUser and the RoleMembers provider must share it. Nothing here
 * is ever written to state or captured in a serialized closure: settings arrive at run time.
 */
export class ProviderSession {
    private configured: Record<string, string | undefined> = {};
    private current?: { key: string; settings: PracticeProtectSettings; client: PracticeProtectClient };
    private directory?: Promise<Directory | { uuid: string }>;
    private listing?: Promise<Map<string, PortalAccount>>;
    /** Portal user ids learnt this run (invites, look-ups), by lower-cased user name. */
    readonly knownUsers = new Map<string, string>();

    configure(config: { get(key: string): string | undefined }): void {
        this.configured = Object.fromEntries(Object.values(SETTING_NAMES).map((name) => [`practiceprotect:${name}`, config.get(`practiceprotect:${name}`)]));
    }

    /** Settings as of now: stack config from `configure`, else the environment (read per call, so they can rotate). */
    settings(): PracticeProtectSettings {
        return readPracticeProtectSettings((key) => this.configured[key], process.env);
    }

    client(): { client: PracticeProtectClient; settings: PracticeProtectSettings } {
        const settings = this.settings();
        // Any setting the client uses: a change (a rotated secret, a longer timeout) gets a new client.
        const key = JSON.stringify([settings.url, settings.signIn, settings.oauthAppId, settings.clientId, settings.clientSecret, settings.scope ?? "", settings.pageSize, settings.requestTimeoutSeconds, settings.callBudgetSeconds]);
        if (this.current?.key !== key) {
            this.current = { key, settings, client: new PracticeProtectClient(settings) };
            this.directory = undefined;
            this.listing = undefined;
        }
        return { client: this.current.client, settings: this.current.settings };
    }

    /** The directory source's uuid: looked up once, or taken as given when the setting is already a uuid. */
    async directoryUuid(): Promise<string> {
        const { client, settings } = this.client();
        const isUuid = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(settings.directory);
        this.directory ??= isUuid ? Promise.resolve({ uuid: settings.directory }) : client.findDirectory(settings.directory);
        return (await this.directory.catch((e) => ((this.directory = undefined), Promise.reject(e)))).uuid;
    }

    /** After an invite or a removal: the next read lists the portal again. */
    portalChanged(): void {
        this.listing = undefined;
    }

    /** Every portal user, listed once per process and shared by every read (one paged listing, not one call per user). */
    async portalUsers(): Promise<Map<string, PortalAccount>> {
        const { client } = this.client();
        this.listing ??= client.listPortalUsers().then((users) => new Map(users.map((u) => [u.userName.toLowerCase(), u])));
        const users = await this.listing.catch((e) => ((this.listing = undefined), Promise.reject(e)));
        for (const [name, user] of users) this.knownUsers.set(name, user.uuid);
        return users;
    }
}

/**
 * The process's one session. A string key, not a captured Symbol: Pulumi's closure serializer cannot
 * carry a symbol value into the provider process.
 */
export function providerSession(): ProviderSession {
    const holder = globalThis as unknown as { __practiceProtectUsersSession?: ProviderSession };
    return (holder.__practiceProtectUsersSession ??= new ProviderSession());
}
