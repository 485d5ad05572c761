/** Practice Protect portal resources, as Pulumi dynamic resources backed by the API client in practiceprotect/. */
export { PortalUser, PortalUserArgs, portalUserProvider } from "./portalUser";
export { RoleMembers, RoleMembersArgs, roleMembersProvider } from "./roleMembers";
export { PracticeProtectPortal, PracticeProtectPortalArgs } from "./portal";
