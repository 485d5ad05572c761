import { Rule } from "./context";
import { nearest } from "../suggest";

/** Keys name the user's Pulumi resources forever, so they must be simple and unambiguous. */
export const userKeysAreStable: Rule = (ctx) => {
    const seen = new Map<string, string>();
    for (const [key] of ctx.users()) {
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(key)) {
            ctx.error("user-key", ["users", key], `user key '${key}' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. jane.citizen); it names the user's resources and must never change`, "key");
        }
        const other = seen.get(key.toLowerCase());
        if (other !== undefined) {
            ctx.error("duplicate-user-key", ["users", key], `user key '${key}' differs from '${other}' (line ${ctx.lineOf(["users", other], "key")}) only in case: use one key per person`, "key");
        } else seen.set(key.toLowerCase(), key);
    }
};

// Microsoft Entra: the part before @ may hold A-Z a-z 0-9 ' . - _ ! # ^ ~, at most 64 characters, and must
// not end with a period; the domain at most 48 characters; the whole name at most 113.
const UPN_PREFIX = /^[A-Za-z0-9'._!#^~-]{1,64}$/;
const DOMAIN = /^(?=.{1,48}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** userPrincipalName follows Entra's rules and uses one of the tenant's domains. */
export const userPrincipalNamesAreValid: Rule = (ctx) => {
    const domains = ctx.data.tenant?.domains ?? [];
    domains.forEach((domain, i) => {
        if (!DOMAIN.test(domain)) ctx.error("domain", ["tenant", "domains", i], `tenant: domains[${i}] '${domain}' is not a domain name such as examplefirm.com.au`);
    });
    for (const [key, user] of ctx.users()) {
        const path = ["users", key, "userPrincipalName"];
        const upn = user.userPrincipalName;
        const problem = upnProblem(upn);
        if (problem) {
            ctx.error("upn-syntax", path, `user '${key}': userPrincipalName '${upn}' ${problem}`);
            continue;
        }
        const domain = upn.slice(upn.indexOf("@") + 1);
        if (domains.length > 0 && !domains.some((d) => d.toLowerCase() === domain.toLowerCase())) {
            const match = nearest(domain, domains);
            ctx.error(
                "upn-domain",
                path,
                `user '${key}': userPrincipalName uses the domain '${domain}', which is not in tenant.domains (${domains.join(", ")})` +
                    (match ? `; did you mean '${upn.slice(0, upn.indexOf("@") + 1)}${match}'?` : "; add the domain to tenant.domains if it is verified in Entra"),
            );
        }
    }
};

function upnProblem(upn: string): string | undefined {
    const at = upn.indexOf("@");
    if (at < 0 || upn.indexOf("@", at + 1) >= 0) return "must have exactly one @, like jane.citizen@examplefirm.com.au";
    const prefix = upn.slice(0, at);
    const domain = upn.slice(at + 1);
    if (upn.length > 113) return `is ${upn.length} characters; Entra allows at most 113`;
    if (!UPN_PREFIX.test(prefix)) {
        const bad = [...prefix].filter((c) => !/[A-Za-z0-9'._!#^~-]/.test(c));
        return prefix.length === 0 || prefix.length > 64
            ? "must have 1-64 characters before the @"
            : `has characters Entra does not allow before the @ (${[...new Set(bad)].map((c) => `'${c}'`).join(" ")}); use letters, digits and ' . - _ ! # ^ ~`;
    }
    if (prefix.startsWith(".") || prefix.endsWith(".") || prefix.includes("..")) return "must not start or end with a period before the @, nor have two periods in a row";
    if (!DOMAIN.test(domain)) return `has '${domain}' after the @, which is not a domain name such as examplefirm.com.au`;
    return undefined;
}

/** The same sign-in name or mail alias twice would make Entra refuse the second user (names are case-insensitive). */
export const namesAreUnique: Rule = (ctx) => {
    const claims = {
        userPrincipalName: new Map<string, string[]>(),
        "mail nickname": new Map<string, string[]>(),
        objectId: new Map<string, string[]>(),
    };
    for (const [key, user] of ctx.users()) {
        const nicknameField = user.mailNickname ? "mailNickname" : "userPrincipalName";
        const values: [keyof typeof claims, string | undefined, string[]][] = [
            ["userPrincipalName", user.userPrincipalName, ["users", key, "userPrincipalName"]],
            ["mail nickname", mailNicknameOf(user), ["users", key, nicknameField]],
            ["objectId", user.objectId, ["users", key, "objectId"]],
        ];
        for (const [what, value, path] of values) {
            if (!value) continue;
            const earlier = claims[what].get(value.toLowerCase());
            if (earlier) {
                const code = { userPrincipalName: "duplicate-upn", "mail nickname": "duplicate-mail-nickname", objectId: "duplicate-object-id" }[what];
                ctx.error(code, path, `user '${key}': ${what} '${value}' is already used by user '${earlier[1]}' (line ${ctx.lineOf(earlier)}); each ${what} must be unique, ignoring case`);
            } else claims[what].set(value.toLowerCase(), path);
        }
    }
};

/** The mail alias Entra gives the user: mailNickname, or the part of the UPN before @. */
export function mailNicknameOf(user: { userPrincipalName: string; mailNickname?: string }): string {
    return user.mailNickname ?? user.userPrincipalName.split("@")[0];
}
