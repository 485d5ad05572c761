import { visible } from "../hiddenCharacters";
import { Path } from "../locate";
import { describeDifference, lookAlikeKey } from "../lookAlikes";
import type { LicenseEntry } from "../schema";
import { Rule, RuleContext } from "./context";
import { forEachAccessBlock } from "./references";

/**
 * A name that looks like another name of the same kind in the file but is different text (UTS #39 confusables:
 * a Cyrillic а for a Latin a, rn for m, 0 for O) is almost always a mistake or a disguise: the reviewer reads one
 * name and the program acts on another. Each kind is compared within itself: user keys, sign-in names, display
 * names, group names (created, earlier names, and the ones users are put in), profiles, portal roles and licences.
 * Names equal but for case are left to the rules for duplicates and spelling.
 */
export const namesDoNotLookAlike: Rule = (ctx) => {
    const users = ctx.users();
    const keys = users.map(([key]) => key);
    compare(ctx, "user key", keys, (i) => ["users", keys[i]], () => "key");
    const upns = users.map(([, user]) => user.userPrincipalName);
    compare(ctx, "userPrincipalName", upns, (i) => ["users", keys[i], "userPrincipalName"]);
    const displayNames = users.map(([, user]) => user.displayName);
    compare(ctx, "displayName", displayNames, (i) => ["users", keys[i], "displayName"]);
    const profiles = Object.keys(ctx.data.profiles ?? {});
    compare(ctx, "profile", profiles, (i) => ["profiles", profiles[i]], () => "key");

    // Group, role and licence names repeat (a group in every user's list): each distinct name once, where first written.
    const groups = new Map<string, Path>();
    const roles = new Map<string, Path>();
    const licences = new Map<string, Path>();
    const add = (into: Map<string, Path>, name: string, path: () => Path) => {
        if (!into.has(name)) into.set(name, path());
    };
    const created = Object.keys(ctx.data.groups ?? {});
    for (const [name, group] of Object.entries(ctx.data.groups ?? {})) {
        add(groups, name, () => ["groups", name]);
        (group.aliases ?? []).forEach((alias, i) => add(groups, alias, () => ["groups", name, "aliases", i]));
    }
    forEachAccessBlock(ctx, (_owner, path, block) => {
        (block.groups ?? []).forEach((name, i) => add(groups, name, () => [...path, "groups", i]));
        (block.practiceProtect?.roles ?? []).forEach((name, i) => add(roles, name, () => [...path, "practiceProtect", "roles", i]));
        ((block as { licenses?: LicenseEntry[] }).licenses ?? []).forEach((licence, i) =>
            typeof licence === "string" ? add(licences, licence, () => [...path, "licenses", i]) : add(licences, licence.name, () => [...path, "licenses", i, "name"]),
        );
    });
    for (const [what, found] of [["group", groups], ["portal role", roles], ["licence", licences]] as const) {
        const names = [...found.keys()];
        const paths = [...found.values()];
        // A created group is pointed at by its key under groups:.
        compare(ctx, what, names, (i) => paths[i], (i) => (paths[i].length === 2 && paths[i][0] === "groups" && created.includes(names[i]) ? "key" : "value"));
    }
};

/** Warns at the first mention of each name that looks like an earlier, different name of the same kind. */
function compare(ctx: RuleContext, what: string, names: readonly string[], pathOf: (i: number) => Path, targetOf: (i: number) => "value" | "key" = () => "value"): void {
    // The index of the first name with each key; names already warned about (a name may be written more than once).
    const firstByKey = new Map<string, number>();
    let warned: Set<string> | undefined;
    for (let i = 0; i < names.length; i++) {
        const name = names[i];
        const key = lookAlikeKey(name);
        const first = firstByKey.get(key);
        if (first === undefined) {
            firstByKey.set(key, i);
            continue;
        }
        const other = names[first];
        if (other === name || other.toLowerCase() === name.toLowerCase() || warned?.has(name)) continue;
        (warned ??= new Set()).add(name);
        ctx.warning(
            "look-alike",
            pathOf(i),
            `${what} '${visible(name)}' looks like ${what} '${visible(other)}' (line ${ctx.lineOf(pathOf(first), targetOf(first))}) but is different text` +
                ` (${visible(describeDifference(name, other))})` +
                `; did you mean '${visible(other)}'? If both are meant, make the difference visible`,
            targetOf(i),
        );
    }
}
