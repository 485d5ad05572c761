import { visible } from "../hiddenCharacters";
import { Path } from "../locate";
import { describeDifference, lookAlikeKey } from "../lookAlikes";
import { Rule, RuleContext } from "./context";
import { forEachAccessBlock } from "./references";

interface Mention {
    name: string;
    path: Path;
    target: "value" | "key";
}

/**
 * A name that looks like another name of the same kind in the file but is different text (UTS #39 confusables:
 * a Cyrillic а for a Latin a, rn for m, 0 for O) is almost always a mistake or a disguise: the reviewer reads one
 * name and the program acts on another. Each kind is compared within itself: user keys, sign-in names, display
 * names, group names (created, earlier names, and the ones users are put in), profiles, portal roles and licences.
 * Names equal but for case are left to the rules for duplicates and spelling.
 */
export const namesDoNotLookAlike: Rule = (ctx) => {
    const users = ctx.users();
    compare(ctx, "user key", users.map(([key]) => ({ name: key, path: ["users", key], target: "key" })));
    compare(ctx, "userPrincipalName", users.map(([key, user]) => ({ name: user.userPrincipalName, path: ["users", key, "userPrincipalName"], target: "value" })));
    compare(ctx, "displayName", users.map(([key, user]) => ({ name: user.displayName, path: ["users", key, "displayName"], target: "value" })));
    compare(ctx, "profile", Object.keys(ctx.data.profiles ?? {}).map((name) => ({ name, path: ["profiles", name], target: "key" })));

    const groups: Mention[] = [];
    const roles: Mention[] = [];
    const licences: Mention[] = [];
    for (const [name, group] of Object.entries(ctx.data.groups ?? {})) {
        groups.push({ name, path: ["groups", name], target: "key" });
        (group.aliases ?? []).forEach((alias, i) => groups.push({ name: alias, path: ["groups", name, "aliases", i], target: "value" }));
    }
    forEachAccessBlock(ctx, (_owner, path, block) => {
        (block.groups ?? []).forEach((name, i) => groups.push({ name, path: [...path, "groups", i], target: "value" }));
        (block.practiceProtect?.roles ?? []).forEach((name, i) => roles.push({ name, path: [...path, "practiceProtect", "roles", i], target: "value" }));
    });
    const withLicences = [
        ...(ctx.data.defaults ? [["defaults"] as Path] : []).map((path) => [path, ctx.data.defaults?.licenses] as const),
        ...Object.entries(ctx.data.profiles ?? {}).map(([name, p]) => [["profiles", name] as Path, p.licenses] as const),
        ...users.map(([key, u]) => [["users", key] as Path, u.licenses] as const),
    ];
    for (const [path, list] of withLicences) {
        (list ?? []).forEach((licence, i) =>
            licences.push(typeof licence === "string" ? { name: licence, path: [...path, "licenses", i], target: "value" } : { name: licence.name, path: [...path, "licenses", i, "name"], target: "value" }),
        );
    }
    compare(ctx, "group", groups);
    compare(ctx, "portal role", roles);
    compare(ctx, "licence", licences);
};

/** Warns at the first mention of each name that looks like an earlier, different name of the same kind. */
function compare(ctx: RuleContext, what: string, mentions: readonly Mention[]): void {
    // The first mention of each skeleton; a name mentioned again (a group in many lists) is compared once.
    const firstByKey = new Map<string, Mention>();
    const compared = new Set<string>();
    for (const mention of mentions) {
        if (compared.has(mention.name)) continue;
        compared.add(mention.name);
        const key = lookAlikeKey(mention.name);
        const first = firstByKey.get(key);
        if (!first) {
            firstByKey.set(key, mention);
            continue;
        }
        if (first.name.toLowerCase() === mention.name.toLowerCase()) continue;
        ctx.warning(
            "look-alike",
            mention.path,
            `${what} '${visible(mention.name)}' looks like ${what} '${visible(first.name)}' (line ${ctx.lineOf(first.path, first.target)}) but is different text` +
                ` (${visible(describeDifference(mention.name, first.name))})` +
                `; did you mean '${visible(first.name)}'? If both are meant, make the difference visible`,
            mention.target,
        );
    }
}
