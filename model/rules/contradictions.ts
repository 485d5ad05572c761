import { INHERITED_FIELDS, invitedToPortal, profilesOf } from "../resolve";
import { Rule } from "./context";

/** Portal roles written on a user who is not invited would silently do nothing. */
export const portalRolesNeedAnInvite: Rule = (ctx) => {
    for (const [key, user] of ctx.users()) {
        const roles = user.practiceProtect?.roles ?? [];
        if (roles.length === 0 || invitedToPortal(ctx.data, user)) continue;
        const why = user.practiceProtect?.invite === false ? "practiceProtect.invite is false" : "neither defaults, the user's profiles nor the user set practiceProtect.invite: true";
        ctx.error("roles-without-invite", ["users", key, "practiceProtect", "roles"], `user '${key}': portal roles are listed but the user is not invited (${why}); set practiceProtect.invite: true or remove the roles`);
    }
};

/** Two profiles setting different single values leave the winner to list order: make the user decide. */
export const profilesAgree: Rule = (ctx) => {
    for (const [key, user] of ctx.users()) {
        const profiles = profilesOf(ctx.data, user);
        for (const field of INHERITED_FIELDS) {
            if (user[field] !== undefined) continue;
            const values = new Set(profiles.map((p) => p[field]).filter((v) => v !== undefined));
            if (values.size > 1) {
                ctx.error("profiles-disagree", ["users", key, "profiles"], `user '${key}': profiles ${user.profiles!.join(", ")} set different ${field} values (${[...values].join(" vs ")}); set ${field} on the user to choose`);
            }
        }
        const invites = new Set(profiles.map((p) => p.practiceProtect?.invite).filter((v) => v !== undefined));
        if (user.practiceProtect?.invite === undefined && invites.size > 1) {
            ctx.error("profiles-disagree", ["users", key, "profiles"], `user '${key}': one profile invites to Practice Protect and another does not; set practiceProtect.invite on the user to choose`);
        }
    }
};

/** Offboarded users keep their account but lose admin roles: say so where the roles are still written. */
export const offboardedUsersHoldNoAdminRoles: Rule = (ctx) => {
    for (const [key, user] of ctx.users()) {
        if (user.enabled !== false || !user.adminRoles?.length) continue;
        ctx.warning("offboarded-admin", ["users", key, "adminRoles"], `user '${key}' is offboarded (enabled: false), so these admin roles are not assigned; remove them to make that explicit`);
    }
};

/** Practice Protect sends SMS codes to the Entra mobile number (the seed's step 7): invited users need one. */
export const invitedUsersHaveMobiles: Rule = (ctx) => {
    for (const [key, user] of ctx.users()) {
        if (user.mobilePhone != null || user.enabled === false || !invitedToPortal(ctx.data, user)) continue;
        ctx.warning("no-mobile", ["users", key], `user '${key}' is invited to Practice Protect but has no mobilePhone, so SMS codes (the MFA backup) cannot reach them`, "key");
    }
};
