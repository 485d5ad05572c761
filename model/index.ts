/** The pure core: users.yaml → validated, resolved model. No Pulumi here. */
export { ADMIN_ROLE_NAMES, ADMIN_ROLE_TEMPLATE_IDS, AdminRoleName, GLOBAL_ADMINISTRATOR, PRIVILEGED_ADMIN_ROLES } from "./adminRoles";
export { checkUsersYaml, CheckOptions, CheckResult } from "./check";
export { Diagnostic, formatDiagnostic, formatGitHubAnnotation, hasErrors, SourceFile } from "./diagnostics";
export { loadUsersFile } from "./load";
export { ExistingGroupRef, FirmModel, ManagedGroup, ResolvedUser } from "./resolve";
export { usersJsonSchema } from "./schema";
