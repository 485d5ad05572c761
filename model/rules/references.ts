import { Rule, RuleContext } from "./context";
import { managerRef } from "../resolve";
import { didYouMean, nearest } from "../suggest";

/** Every profile a user lists exists, once. */
export const profilesExist: Rule = (ctx) => {
    const defined = Object.keys(ctx.data.profiles ?? {});
    const used = new Set<string>();
    for (const [key, user] of ctx.users()) {
        const listed = new Set<string>();
        (user.profiles ?? []).forEach((name, i) => {
            const path = ["users", key, "profiles", i];
            used.add(name);
            if (listed.has(name)) ctx.error("duplicate-profile", path, `user '${key}': profile '${name}' is listed twice`);
            listed.add(name);
            if (!defined.includes(name)) {
                const where = defined.length ? `defined profiles: ${defined.join(", ")}` : "there is no profiles: section";
                ctx.error("unknown-profile", path, `user '${key}': unknown profile '${name}'${didYouMean(name, defined)}; ${where}`);
            }
        });
    }
    for (const name of ctx.partial ? [] : defined) {
        if (!used.has(name)) ctx.warning("unused-profile", ["profiles", name], `profile '${name}' is not used by any user`, "key");
    }
};

/**
 * Group names either match a group under `groups:` exactly, or are existing Entra groups looked up at deploy
 * time. A name that differs from a managed group only in case, or is one typo away, is almost always a mistake.
 */
export const groupNamesAreConsistent: Rule = (ctx) => {
    const managed = Object.keys(ctx.data.groups ?? {});
    const byLower = new Map<string, string>();
    for (const name of managed) {
        const other = byLower.get(name.toLowerCase());
        if (other !== undefined) ctx.error("duplicate-group", ["groups", name], `group '${name}' differs from '${other}' only in case; Entra group names are case-insensitive, so keep one`, "key");
        byLower.set(name.toLowerCase(), name);
    }
    // Earlier names of renamed groups: each belongs to one group, and lists use the current name.
    const renamedTo = new Map<string, string>();
    for (const [name, group] of Object.entries(ctx.data.groups ?? {})) {
        (group.aliases ?? []).forEach((alias, i) => {
            const taken = byLower.get(alias.toLowerCase()) ?? renamedTo.get(alias.toLowerCase());
            if (taken !== undefined && taken !== name) {
                ctx.error("duplicate-group", ["groups", name, "aliases", i], `group '${name}': alias '${alias}' is already ${byLower.has(alias.toLowerCase()) ? "the name of" : "an alias of"} group '${taken}'; an old name can belong to one group only`);
            } else if (taken === undefined) renamedTo.set(alias.toLowerCase(), name);
        });
    }
    const used = new Set<string>();
    const check = (owner: string, path: (string | number)[], names: string[] | undefined) =>
        (names ?? []).forEach((name, i) => {
            const renamed = renamedTo.get(name.toLowerCase());
            if (renamed !== undefined) {
                used.add(renamed.toLowerCase());
                ctx.error("renamed-group", [...path, i], `${owner}: group '${name}' was renamed to '${renamed}' (see its aliases); write '${renamed}'`);
                return;
            }
            const exact = managed.includes(name);
            const sameButCase = byLower.get(name.toLowerCase());
            used.add((sameButCase ?? name).toLowerCase());
            if (exact) return;
            if (sameButCase !== undefined) {
                ctx.error("group-case", [...path, i], `${owner}: group '${name}' is written '${sameButCase}' under groups:; use the same spelling`);
                return;
            }
            const near = nearest(name, managed);
            if (near) {
                ctx.warning("group-near-miss", [...path, i], `${owner}: group '${name}' is not under groups:, so it must already exist in Entra; did you mean '${near}'?`);
            }
        });
    check("defaults", ["defaults", "groups"], ctx.data.defaults?.groups);
    for (const [name, profile] of Object.entries(ctx.data.profiles ?? {})) check(`profile '${name}'`, ["profiles", name, "groups"], profile.groups);
    for (const [key, user] of ctx.users()) check(`user '${key}'`, ["users", key, "groups"], user.groups);
    for (const name of ctx.partial ? [] : managed) {
        if (!used.has(name.toLowerCase())) ctx.warning("unused-group", ["groups", name], `group '${name}' is created but no user, profile or default puts anyone in it`, "key");
    }
};

/** Lists that name the same thing twice are usually a merge mistake. */
export const listsHaveNoRepeats: Rule = (ctx) => {
    const check = (owner: string, path: (string | number)[], list: readonly string[] | undefined, what: string) => {
        const seen = new Set<string>();
        (list ?? []).forEach((item, i) => {
            if (seen.has(item.toLowerCase())) ctx.warning("repeated-entry", [...path, i], `${owner}: ${what} '${item}' is listed twice`);
            seen.add(item.toLowerCase());
        });
    };
    forEachAccessBlock(ctx, (owner, path, block) => {
        check(owner, [...path, "groups"], block.groups, "group");
        check(owner, [...path, "adminRoles"], block.adminRoles, "admin role");
        check(owner, [...path, "practiceProtect", "roles"], block.practiceProtect?.roles, "portal role");
    });
};

type AccessBlock = { groups?: string[]; adminRoles?: string[]; practiceProtect?: { roles?: string[] } };

/** Visits defaults, each profile and each user: the places access can be granted. */
export function forEachAccessBlock(ctx: RuleContext, visit: (owner: string, path: (string | number)[], block: AccessBlock) => void) {
    if (ctx.data.defaults) visit("defaults", ["defaults"], ctx.data.defaults);
    for (const [name, profile] of Object.entries(ctx.data.profiles ?? {})) visit(`profile '${name}'`, ["profiles", name], profile);
    for (const [key, user] of ctx.users()) visit(`user '${key}'`, ["users", key], user);
}

/**
 * `manager` names a user in this file by key, or an Entra user outside it by objectId; not the user themself,
 * and managers by key do not go round in a circle (Entra would accept it, but an org chart cannot show it).
 */
export const managersExist: Rule = (ctx) => {
    const keys = Object.keys(ctx.data.users);
    const managerOf = new Map<string, string>();
    for (const [key, user] of ctx.users()) {
        if (user.manager == null) continue;
        const path = ["users", key, "manager"];
        const ref = managerRef(ctx.data, user.manager);
        if (!ref) {
            // A user left out for schema errors may be the manager: say nothing rather than something wrong.
            if (ctx.partial) continue;
            ctx.error("unknown-manager", path, `user '${key}': manager '${user.manager}' is neither a user in this file${didYouMean(user.manager, keys)} nor an Entra objectId (a GUID); write the manager's users.yaml key, or their objectId if they are not in users.yaml`);
        } else if ("key" in ref && ref.key === key) {
            ctx.error("self-manager", path, `user '${key}' cannot be their own manager; remove manager or name someone else`);
        } else if ("key" in ref) managerOf.set(key, ref.key);
    }
    const reported = new Set<string>();
    for (const start of managerOf.keys()) {
        const chain = [start];
        for (let next = managerOf.get(start); next !== undefined && !reported.has(start); next = managerOf.get(next)) {
            if (next === start) {
                for (const k of chain) reported.add(k);
                ctx.error("manager-cycle", ["users", start, "manager"], `user '${start}': managers go round in a circle (${[...chain, start].join(" → ")}); one of them needs a different manager`);
                break;
            }
            if (chain.includes(next)) break; // a circle that does not pass through start: reported from one of its members
            chain.push(next);
        }
    }
};
