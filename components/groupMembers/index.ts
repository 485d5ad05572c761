/** Memberships of groups that exist in Entra already, through Microsoft Graph (one resource per group). */
export { ExistingGroupMembers, ExistingGroupMembersArgs, existingGroupMembersProvider } from "./existingGroupMembers";
export { existingGroupMembersImplementation, GroupMemberRef } from "./existingGroupMembersProvider";
