import { byPosition, Diagnostic, hasErrors, SourceFile } from "./diagnostics";
import { locate, Path } from "./locate";
import { parseUsersYaml } from "./parse";
import { FirmModel, resolveFirm } from "./resolve";
import { RULES, RuleContext } from "./rules";
import { diagnosticsFromIssues } from "./schemaIssues";
import { UsersFile, usersFileSchema } from "./schema";

export interface CheckOptions {
    /** Global Administrators from outside users.yaml (the service account with access: full) count towards the limit. */
    externalGlobalAdmins?: readonly string[];
    /**
     * false: check only, without resolving the model (npm run validate and the importer, which report
     * problems: resolving finds none of its own, and costs about 100 ms of a 5,000-person file's check).
     */
    model?: boolean;
}

export interface CheckResult {
    /** The file as the schema read it: present only when there are no errors. */
    file?: UsersFile;
    /** Present only when there are no errors (and a model was asked for): nothing is built from a file with errors. */
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
    if (options.model === false) return { file: valid, diagnostics };
    const document = parsed.document;
    // Only the first few places are located: locating is a walk of the document, and a group in a tenth of
    // 5,000 users would otherwise cost a walk each.
    let groupMentions: Map<string, Path[]> | undefined;
    const whereIs = (group: string) => {
        const paths = (groupMentions ??= mentionsByGroup(valid)).get(group.toLowerCase()) ?? [];
        return { positions: paths.slice(0, SHOWN_POSITIONS).map((path) => source.location(locate(document, path))), count: paths.length };
    };
    // Each person's inherited licences are located at the same defaults or profile entry: once for all of them.
    const located = new Map<string, string>();
    const where = (path: Path) => {
        const key = path.join("\u0000");
        let location = located.get(key);
        if (location === undefined) located.set(key, (location = source.location(locate(document, path))));
        return location;
    };
    return { file: valid, model: resolveFirm(valid, whereIs, ctx.normaliseMobile, where), diagnostics };
}

/** How many places a deploy-time error about a group names (the rest are counted). */
const SHOWN_POSITIONS = 5;

/** The paths of every place each group name is written (by lower-case name): defaults, then profiles, then users. */
function mentionsByGroup(file: UsersFile): Map<string, Path[]> {
    const byGroup = new Map<string, Path[]>();
    const add = (path: Path, groups: string[] | undefined) =>
        (groups ?? []).forEach((group, i) => {
            const name = group.toLowerCase();
            const paths = byGroup.get(name) ?? [];
            if (paths.length === 0) byGroup.set(name, paths);
            paths.push([...path, i]);
        });
    add(["defaults", "groups"], file.defaults?.groups);
    for (const [name, profile] of Object.entries(file.profiles ?? {})) add(["profiles", name, "groups"], profile.groups);
    for (const [key, user] of Object.entries(file.users)) add(["users", key, "groups"], user.groups);
    return byGroup;
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
