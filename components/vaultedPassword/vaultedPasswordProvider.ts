import type * as pulumi from "@pulumi/pulumi";
import { KeyVaultError, keyVaultUrl, setKeyVaultSecret } from "../../graph/keyVaultSecrets";
import { graphErrorOf } from "../../graph/licenses";
import { readPasswordDates, resetPassword } from "../../graph/passwords";
import { graphProviderSession, NotVisibleError } from "../dynamic/graphSession";
import { withoutUndefined } from "../dynamic/wire";
import { newPassword } from "../initialPassword";

export interface VaultedPasswordInputs {
    userId: string;
    /** For messages only. */
    userPrincipalName: string;
    /** The Key Vault's name (https://<vaultName>.vault.azure.net). */
    vaultName: string;
    secretName: string;
}

/** What the state keeps: where the password is, and when it was set. Never the password. */
export interface VaultedPasswordOutputs extends VaultedPasswordInputs {
    /** The Key Vault secret version holding it ({vault}/secrets/{name}/{version}); absent when `kept` is set. */
    secretVersionId?: string;
    /** When it was set on the user (ISO 8601). */
    passwordSetAt?: string;
    /** Why no password was set: the user's own password had already replaced the first one. */
    kept?: string;
}

/**
 * How long after an account's creation a password change still counts as the creation itself: Entra records the
 * password it was created with a moment after the account.
 */
const CREATION_SLACK_MS = 10 * 60 * 1000;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A first password that never reaches the state (`pulumi-nodejs:dynamic/entra:VaultedPassword`). The azuread provider
 * needs a password to create a user (terraform-provider-azuread v3.8.0, internal/services/users/user_resource.go,
 * userResourceCreate: "`password` is required when creating a new user") and keeps it in the state, where anyone
 * who can read the stack (previews, the drift check) can decrypt it. Once the user exists, this resource generates
 * a new password here, in the provider process, stores it in the Key Vault first and then sets it on the user,
 * to be changed at first sign-in: the password in the state no longer works, and the state holds only the secret's
 * version id and the time. An account whose password was changed after its creation (someone signed in already)
 * is left as it is.
 */
export const vaultedPasswordImplementation: pulumi.dynamic.ResourceProvider<VaultedPasswordInputs, VaultedPasswordOutputs> = {
    async configure(req) {
        graphProviderSession().configure(req.config);
    },

    async check(_olds, news) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (typeof news.userId !== "string" || !GUID.test(news.userId)) failures.push({ property: "userId", reason: "userId must be the user's object id" });
        if (typeof news.vaultName !== "string" || !/^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/.test(news.vaultName)) failures.push({ property: "vaultName", reason: "vaultName must be a Key Vault name (3-24 letters, digits and hyphens)" });
        if (typeof news.secretName !== "string" || !/^[0-9A-Za-z-]{1,127}$/.test(news.secretName)) failures.push({ property: "secretName", reason: "secretName must be 1-127 letters, digits and hyphens" });
        return { inputs: news, failures };
    },

    async diff(_id, olds, news) {
        const replaces = (["userId", "vaultName", "secretName"] as const).filter((k) => olds[k] !== news[k]);
        return { changes: replaces.length > 0 || olds.userPrincipalName !== news.userPrincipalName, replaces, deleteBeforeReplace: false };
    },

    async create(inputs) {
        const session = graphProviderSession();
        const { client, credential } = session.connection();
        const who = inputs.userPrincipalName;
        let dates;
        try {
            dates = await session.whenVisible(() => readPasswordDates(client, inputs.userId), who);
        } catch (e) {
            if (e instanceof NotVisibleError) throw e;
            throw graphRefused(`read ${who}`, e);
        }
        const changed = Date.parse(dates.lastPasswordChangeDateTime) - Date.parse(dates.createdDateTime);
        if (changed > CREATION_SLACK_MS) {
            const kept = `the password of ${who} was changed on ${dates.lastPasswordChangeDateTime}, after the account was created: it was neither reset nor stored in ${inputs.vaultName}`;
            return { id: inputs.userId, outs: withoutUndefined({ ...inputs, kept }) };
        }

        // Into the vault first: a password that is set on the user is always in the vault.
        const password = newPassword();
        let stored;
        try {
            stored = await setKeyVaultSecret(credential, keyVaultUrl(inputs.vaultName, process.env), inputs.secretName, password, {
                contentType: "text/plain",
                tags: { user: inputs.userPrincipalName },
            });
        } catch (e) {
            if (!(e instanceof KeyVaultError)) throw e;
            const fix = e.status === 403 ? " The deploying identity needs Key Vault Secrets Officer (Microsoft.KeyVault/vaults/secrets/setSecret/action) on the vault." : "";
            throw new Error(`${e.message}.${fix} Nothing was changed on ${who}; run pulumi up again.`);
        }
        try {
            await resetPassword(client, inputs.userId, password);
        } catch (e) {
            throw graphRefused(`set the new password of ${who} (stored as ${stored.id}, which is not in use)`, e);
        }
        return { id: inputs.userId, outs: withoutUndefined({ ...inputs, secretVersionId: stored.id, passwordSetAt: new Date().toISOString() }) };
    },

    async update(_id, olds, news) {
        // Only the user principal name (for messages) can change in place.
        return { outs: withoutUndefined({ ...olds, ...news }) };
    },

    async delete() {
        // The password and the vault's secret stay: the account keeps working, the secret keeps its versions.
    },
};

function graphRefused(action: string, e: unknown): Error {
    const { statusCode, code, message } = graphErrorOf(e);
    const fix =
        statusCode === 403
            ? " The deploying identity needs User.ReadWrite.All and a directory role that may reset this account's password: User Administrator before it holds an admin role, Privileged Authentication Administrator after (docs/ci-and-permissions.md, Sensitive updates)."
            : "";
    return new Error(`Microsoft Graph refused to ${action} (HTTP ${statusCode ?? "?"}${code ? ` ${code}` : ""}): ${message.replace(/\.$/, "")}.${fix} Run pulumi up again.`);
}
