import { didYouMean } from "../suggest";
import { Rule } from "./context";

/**
 * `existingGroups:` acknowledges groups this program does not create: a name there that is also under `groups:`
 * contradicts itself, and one nobody is put in acknowledges nothing (often a misspelt group name).
 */
export const existingGroupsAreConsistent: Rule = (ctx) => {
    const acknowledged = Object.keys(ctx.data.existingGroups ?? {});
    if (acknowledged.length === 0) return;
    const created = new Map(Object.keys(ctx.data.groups ?? {}).map((name) => [name.toLowerCase(), name]));
    const used = new Map<string, string>();
    const note = (names: readonly string[] | undefined) => (names ?? []).forEach((name) => used.set(name.toLowerCase(), name));
    note(ctx.data.defaults?.groups);
    for (const profile of Object.values(ctx.data.profiles ?? {})) note(profile.groups);
    for (const [, user] of ctx.users()) note(user.groups);

    for (const name of acknowledged) {
        const path = ["existingGroups", name];
        const same = created.get(name.toLowerCase());
        if (same !== undefined) {
            ctx.error(
                "existing-group-created",
                path,
                `group '${name}' is under existingGroups: (an Entra group this program does not create) and under groups: as '${same}' (a group it creates); keep it in one: existingGroups for a group that already exists in Entra`,
                "key",
            );
            continue;
        }
        if (ctx.partial || used.has(name.toLowerCase())) continue;
        const unacknowledged = [...used.values()].filter((g) => !created.has(g.toLowerCase()) && !acknowledged.some((a) => a.toLowerCase() === g.toLowerCase()));
        ctx.warning("unused-existing-group", path, `existing group '${name}' is under existingGroups: but no user, profile or default puts anyone in it${didYouMean(name, unacknowledged)}; remove it, or fix its name`, "key");
    }
};
