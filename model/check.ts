import { byPosition, Diagnostic, hasErrors, SourceFile } from "./diagnostics";
import { locate } from "./locate";
import { parseUsersYaml } from "./parse";
import { FirmModel, resolveFirm } from "./resolve";
import { RULES, RuleContext } from "./rules";
import { diagnosticsFromIssues } from "./schemaIssues";
import { UsersFile, usersFileSchema } from "./schema";

export interface CheckOptions {
    /** Global Administrators from outside users.yaml (the service account with access: full) count towards the limit. */
    externalGlobalAdmins?: readonly string[];
}

export interface CheckResult {
    /** Present only when there are no errors: nothing is built from a file with errors. */
    model?: FirmModel;
    /** Every problem at once, in file order. */
    diagnostics: Diagnostic[];
}

/** users.yaml text → validated, resolved model. Pure: no file system, no Pulumi. */
export function checkUsersYaml(source: SourceFile, options: CheckOptions = {}): CheckResult {
    const parsed = parseUsersYaml(source);
    const diagnostics = [...parsed.diagnostics];
    if (!parsed.document || parsed.data === undefined) return { diagnostics: diagnostics.sort(byPosition) };

    const data = parsed.data ?? {};
    let valid: UsersFile | undefined;
    const result = usersFileSchema.safeParse(data, { reportInput: true });
    if (result.success) {
        valid = result.data;
    } else {
        diagnostics.push(...diagnosticsFromIssues(result.error.issues, usersFileSchema, parsed.document, source.text));
        // Keep checking the users that are well-formed, so that one mistake does not hide the others.
        valid = withoutBrokenUsers(data, result.error.issues.map((i) => i.path));
    }

    if (!valid) return { diagnostics: diagnostics.sort(byPosition) };
    const ctx = new RuleContext(valid, parsed.document, source, options.externalGlobalAdmins, !result.success);
    for (const rule of RULES) rule(ctx);
    diagnostics.push(...ctx.diagnostics);
    diagnostics.sort(byPosition);
    if (hasErrors(diagnostics)) return { diagnostics };
    const document = parsed.document;
    const file = valid;
    // Only the first few places are located: locating is a walk of the document, and a group in a tenth of
    // 5,000 users would otherwise cost a walk each.
    const whereIs = (group: string) => {
        const paths = mentions(file, group);
        return { positions: paths.slice(0, SHOWN_POSITIONS).map((path) => source.location(locate(document, path))), count: paths.length };
    };
    const where = (path: readonly (string | number)[]) => source.location(locate(document, path));
    return { model: resolveFirm(valid, whereIs, ctx.normaliseMobile, where), diagnostics };
}

/** How many places a deploy-time error about a group names (the rest are counted). */
const SHOWN_POSITIONS = 5;

/** The paths of every place a group name is written: defaults, then profiles, then users. */
function mentions(file: UsersFile, group: string): (string | number)[][] {
    const same = (g: string) => g.toLowerCase() === group.toLowerCase();
    const blocks: [(string | number)[], string[] | undefined][] = [
        [["defaults", "groups"], file.defaults?.groups],
        ...Object.entries(file.profiles ?? {}).map(([n, p]): [(string | number)[], string[] | undefined] => [["profiles", n, "groups"], p.groups]),
        ...Object.entries(file.users).map(([k, u]): [(string | number)[], string[] | undefined] => [["users", k, "groups"], u.groups]),
    ];
    return blocks.flatMap(([path, groups]) => (groups ?? []).flatMap((g, i) => (same(g) ? [[...path, i]] : [])));
}

/** The file minus the users that have schema errors, if that is then valid; otherwise undefined. */
function withoutBrokenUsers(data: unknown, issuePaths: PropertyKey[][]): UsersFile | undefined {
    if (!issuePaths.every((p) => p[0] === "users" && p.length >= 2)) return undefined;
    const broken = new Set(issuePaths.map((p) => p[1]));
    const file = data as { users: Record<string, unknown> };
    const users = Object.fromEntries(Object.entries(file.users).filter(([key]) => !broken.has(key)));
    const retry = usersFileSchema.safeParse({ ...file, users });
    return retry.success ? retry.data : undefined;
}
