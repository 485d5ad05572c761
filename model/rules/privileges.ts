import { GLOBAL_ADMINISTRATOR } from "../adminRoles";
import { DEFAULT_MAX_GLOBAL_ADMINS } from "../schema";
import { Rule } from "./context";

/** Microsoft advises fewer than five Global Administrators; more than tenant.maxGlobalAdmins is refused. */
export const globalAdminsWithinLimit: Rule = (ctx) => {
    const limit = ctx.data.tenant?.maxGlobalAdmins ?? DEFAULT_MAX_GLOBAL_ADMINS;
    const holders: { key: string; path: (string | number)[] }[] = [];
    for (const [key, user] of ctx.users()) {
        if (user.enabled === false) continue;
        const own = (user.adminRoles ?? []).indexOf(GLOBAL_ADMINISTRATOR);
        if (own >= 0) {
            holders.push({ key, path: ["users", key, "adminRoles", own] });
            continue;
        }
        const viaProfile = (user.profiles ?? []).findIndex((name) => ctx.data.profiles?.[name]?.adminRoles?.includes(GLOBAL_ADMINISTRATOR));
        if (viaProfile >= 0) holders.push({ key, path: ["users", key, "profiles", viaProfile] });
    }
    const total = holders.length + ctx.externalGlobalAdmins.length;
    if (total <= limit) return;
    const names = [...holders.map((h) => h.key), ...ctx.externalGlobalAdmins].join(", ");
    const excess = holders[Math.min(limit, holders.length - 1)] ?? holders[holders.length - 1];
    const limitSource = ctx.data.tenant?.maxGlobalAdmins !== undefined ? "tenant.maxGlobalAdmins" : "the default limit";
    ctx.error(
        "too-many-global-admins",
        excess ? excess.path : ["tenant"],
        `${total} Global Administrators (${names}) but ${limitSource} is ${limit}: Microsoft advises fewer than five; give some of them a narrower role (e.g. Exchange Administrator) or raise tenant.maxGlobalAdmins`,
    );
};
