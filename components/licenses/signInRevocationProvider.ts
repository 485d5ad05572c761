import type * as pulumi from "@pulumi/pulumi";
import { graphErrorOf, revokeSignInSessions } from "../../graph/licenses";
import { withoutUndefined } from "../dynamic/wire";
import { graphProviderSession } from "../dynamic/graphSession";

export interface SignInRevocationInputs {
    userId: string;
    userPrincipalName: string;
}

export interface SignInRevocationOutputs extends SignInRevocationInputs {
    /** When the sessions were revoked (ISO 8601). */
    revokedAt: string;
}

/**
 * Offboarding: blocking sign-in (accountEnabled false) leaves sessions that already have tokens working until
 * they expire, an hour or more; Graph's revokeSignInSessions ends them. Exists while the user is offboarded: it
 * revokes once, when created (offboarding), and does nothing when deleted (re-enabling) or refreshed.
 */
export const signInRevocationImplementation: pulumi.dynamic.ResourceProvider<SignInRevocationInputs, SignInRevocationOutputs> = {
    async configure(req) {
        graphProviderSession().configure(req.config);
    },

    async check(_olds, news) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (typeof news.userId !== "string" || news.userId === "") failures.push({ property: "userId", reason: "userId must be the user's object id" });
        return { inputs: news, failures };
    },

    async diff(_id, olds, news) {
        const replaces = olds.userId !== news.userId ? ["userId"] : [];
        return { changes: replaces.length > 0 || olds.userPrincipalName !== news.userPrincipalName, replaces, deleteBeforeReplace: false };
    },

    async create(inputs) {
        try {
            await revokeSignInSessions(graphProviderSession().client(), inputs.userId);
        } catch (e) {
            const { statusCode, code, message } = graphErrorOf(e);
            throw new Error(`Microsoft Graph refused to revoke the sign-in sessions of ${inputs.userPrincipalName} (HTTP ${statusCode ?? "?"}${code ? ` ${code}` : ""}): ${message}. Sign-in is blocked, but sessions already open keep working until they expire; run pulumi up again.`);
        }
        return { id: inputs.userId, outs: withoutUndefined({ ...inputs, revokedAt: new Date().toISOString() }) };
    },

    async update(_id, olds, news) {
        return { outs: withoutUndefined({ ...olds, ...news }) };
    },

    async delete() {
        // Re-enabled: nothing to undo.
    },
};

