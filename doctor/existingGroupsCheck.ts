import { whyMembersCannotBeAdded } from "../model/groupMembership";
import type { ExistingGroupRef } from "../model";
import type { Check, Probed } from "./check";

/** A group as Graph lists it (`GET /groups?$filter=displayName eq '...'`, "group resource type"). */
export interface GraphGroup {
    id: string;
    displayName: string;
    groupTypes: string[];
    mailEnabled: boolean;
    securityEnabled: boolean;
    onPremisesSyncEnabled: boolean | null;
    /** role-assignable: its members hold the directory roles assigned to it */
    isAssignableToRole?: boolean | null;
}

/**
 * Every existing group users.yaml names (not under `groups:`) exists once and can take members: the same rules the
 * program applies before declaring anything (components/existingGroups.ts), from Graph's answers by display name.
 */
export function existingGroupsCheck(groups: readonly ExistingGroupRef[], found: ReadonlyMap<string, Probed<GraphGroup[]>>): Check {
    const base = { id: "entra.groups", section: "Entra ID" as const, title: "Existing groups" };
    if (groups.length === 0) return { ...base, verdict: "pass", detail: "users.yaml names no existing group (every group it uses is created under groups:)" };
    const problems: string[] = [];
    const advice = new Set<string>();
    for (const group of groups) {
        const answer = found.get(group.name.toLowerCase());
        if (!answer || !answer.ok) {
            problems.push(`'${group.name}' (${group.where}) could not be read: ${answer && !answer.ok ? answer.error : "not looked up"}`);
            continue;
        }
        const matches = answer.value;
        if (matches.length === 0) {
            problems.push(`'${group.name}' (${group.where}) does not exist`);
            advice.add("A group that does not exist: add it under groups: in users.yaml to have it created, or correct the name to an existing group's display name.");
        } else if (matches.length > 1) {
            problems.push(`${matches.length} groups are named '${group.name}' (${group.where}; object ids ${matches.map((g) => g.id).join(", ")})`);
            advice.add("Several groups with one name: rename all but one in Entra, so the name is unambiguous.");
        } else {
            const g = matches[0];
            const why = whyMembersCannotBeAdded({ mailEnabled: g.mailEnabled, securityEnabled: g.securityEnabled, types: g.groupTypes, onpremisesSyncEnabled: g.onPremisesSyncEnabled ?? false });
            if (why) {
                problems.push(`'${group.name}' (${group.where}) ${why.split(";")[0]}`);
                advice.add(`'${group.name}' ${why}.`);
            }
        }
    }
    if (problems.length === 0) return { ...base, verdict: "pass", detail: `${groups.map((g) => `'${g.name}'`).join(", ")}: each exists once and can take members` };
    return { ...base, verdict: "fail", detail: problems.join("; "), advice: [...advice] };
}
