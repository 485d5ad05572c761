import { PRIVILEGED_ROLE_NAMES } from "../adminRoles";
import { didYouMean } from "../suggest";
import { Rule } from "./context";

/**
 * `adoption:` states what an adopted account is in Entra now, so it means nothing without `objectId`; the
 * privileged roles it acknowledges are Microsoft's privileged roles (model/adminRoles.ts), which the preview
 * compares with the roles the account holds.
 */
export const adoptionsAreWellFormed: Rule = (ctx) => {
    const privileged = new Set(PRIVILEGED_ROLE_NAMES.map((n) => n.toLowerCase()));
    for (const [key, user] of ctx.users()) {
        const adoption = user.adoption;
        if (!adoption) continue;
        if (user.objectId === undefined) {
            ctx.error("adoption-without-objectid", ["users", key, "adoption"], `user '${key}': adoption: describes an existing account being adopted, but there is no objectId; add objectId: <the account's object id>, or remove adoption:`, "key");
        }
        const current = adoption.currentUserPrincipalName;
        if (current !== undefined && current.toLowerCase() === user.userPrincipalName.toLowerCase()) {
            ctx.warning("adoption-same-upn", ["users", key, "adoption", "currentUserPrincipalName"], `user '${key}': adoption.currentUserPrincipalName is the userPrincipalName already; remove it (it is only needed when adopting renames the account)`);
        }
        const seen = new Set<string>();
        (adoption.privilegedRoles ?? []).forEach((role, i) => {
            const path = ["users", key, "adoption", "privilegedRoles", i];
            if (!privileged.has(role.toLowerCase())) {
                ctx.error(
                    "not-a-privileged-role",
                    path,
                    `user '${key}': '${role}' is not a role Microsoft marks privileged${didYouMean(role, PRIVILEGED_ROLE_NAMES)}; list only privileged roles, by display name (the full list is in model/adminRoles.ts, from Microsoft's "Microsoft Entra built-in roles")`,
                );
            } else if (seen.has(role.toLowerCase())) ctx.warning("repeated-entry", path, `user '${key}': privileged role '${role}' is listed twice`);
            seen.add(role.toLowerCase());
        });
    }
};
