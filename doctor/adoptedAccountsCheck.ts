import type { ResolvedUser } from "../model";
import { checkAdoptedAccount, type ReadAccount } from "../model/adoptedAccounts";
import { describeRoles, type HeldRole } from "../model/directoryRoles";
import type { Check } from "./check";

/**
 * The accounts users.yaml adopts by objectId, against what Entra holds: the same rules `pulumi preview` and
 * `pulumi up` apply before declaring anything (model/adoptedAccounts.ts). An account that is missing, has another
 * sign-in name or holds a privileged role users.yaml does not acknowledge fails; the detail also names the accounts
 * that hold a privileged role or are renamed with users.yaml's acknowledgement, for the reviewer.
 */
export function adoptedAccountsCheck(users: readonly ResolvedUser[], accounts: ReadonlyMap<string, ReadAccount>, rolesOf: (objectId: string) => HeldRole[]): Check {
    const base = { id: "entra.adoptedAccounts", section: "Entra ID" as const, title: "Adopted accounts" };
    const adopted = users.filter((u) => u.objectId !== undefined);
    if (adopted.length === 0) return { ...base, verdict: "pass", detail: "users.yaml adopts no existing account (no objectId)" };
    const errors: string[] = [];
    const warnings: string[] = [];
    const notes: string[] = [];
    for (const user of adopted) {
        const account = accounts.get(user.objectId!.toLowerCase());
        const roles = account ? rolesOf(user.objectId!) : [];
        const verdict = checkAdoptedAccount(user, account, roles);
        errors.push(...verdict.errors);
        warnings.push(...verdict.warnings);
        if (verdict.errors.length > 0 || !account) continue;
        const privileged = roles.filter((r) => r.privileged);
        const renamed = account.userPrincipalName.toLowerCase() !== user.userPrincipalName.toLowerCase();
        if (privileged.length || renamed) {
            notes.push(`${user.key} (acknowledged): ${[...(renamed ? [`is ${account.userPrincipalName} in Entra`] : []), ...(privileged.length ? [`holds ${describeRoles(privileged)}`] : [])].join(", ")}`);
        }
    }
    const strip = (line: string) => line.replace(/^\S+: (error|warning): /, "");
    if (errors.length) return { ...base, verdict: "fail", detail: [...errors.map(strip), ...notes].join("; "), advice: errors.map((e) => e.replace(/^(\S+): error: /, "$1: ")) };
    if (warnings.length) return { ...base, verdict: "warn", detail: [...warnings.map(strip), ...notes].join("; "), advice: warnings.map((w) => w.replace(/^(\S+): warning: /, "$1: ")) };
    return { ...base, verdict: "pass", detail: `${adopted.length} adopted ${adopted.length === 1 ? "account is" : "accounts are"} what users.yaml says${notes.length ? `; ${notes.join("; ")}` : ""}` };
}
