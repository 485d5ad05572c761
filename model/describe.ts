import type { Path } from "./locate";

/**
 * Names the place a problem is in, the way a reviewer thinks of it: "user 'jane.citizen': mobilePhone",
 * "profile 'accountant': groups[1]", "defaults: usageLocation".
 */
export function describePath(path: Path): string {
    const [section, key, ...rest] = path;
    const owner: Record<string, string> = { users: "user", profiles: "profile", groups: "group" };
    if (typeof section === "string" && owner[section] && key !== undefined) {
        const field = fieldName(rest);
        return `${owner[section]} '${key}'${field ? `: ${field}` : ""}`;
    }
    const field = fieldName(path.slice(1));
    return `${section ?? "users.yaml"}${field ? `: ${field}` : ""}`;
}

function fieldName(path: Path): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
