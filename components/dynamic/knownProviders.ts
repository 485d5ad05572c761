/**
 * Every dynamic provider this program loads through loadedProvider's forwarder, as the (module, export) pair
 * written into the state's `__provider`, now or by an earlier commit (none has been renamed since the forwarder
 * came in). The state check (stateCheck.ts) accepts a forwarder only for one of these: a pair that names
 * another module of the project, or one outside it, is refused. test/stateCheck.test.ts fails when a
 * `loadedProvider(...)` call is missing here.
 */
export const KNOWN_PROVIDERS: readonly KnownProvider[] = [
    { modulePath: "components/practiceprotect/portalUserProvider", exportName: "portalUserImplementation" },
    { modulePath: "components/practiceprotect/roleMembersProvider", exportName: "roleMembersImplementation" },
    { modulePath: "components/licenses/userLicensesProvider", exportName: "userLicensesImplementation" },
    { modulePath: "components/licenses/signInRevocationProvider", exportName: "signInRevocationImplementation" },
    { modulePath: "components/groupMembers/existingGroupMembersProvider", exportName: "existingGroupMembersImplementation" },
    { modulePath: "components/vaultedPassword/vaultedPasswordProvider", exportName: "vaultedPasswordImplementation" },
];

export interface KnownProvider {
    /** Relative to the project root, without extension, as loadedProvider takes it. */
    modulePath: string;
    exportName: string;
}
