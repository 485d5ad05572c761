import { Rule } from "./context";
import { portalRolesNeedAnInvite, profilesAgree, offboardedUsersHoldNoAdminRoles, invitedUsersHaveMobiles } from "./contradictions";
import { namesAreUnique, userKeysAreStable, userPrincipalNamesAreValid } from "./identity";
import { licensedUsersHaveAUsageLocation, licenseNamesAreKnown } from "./licenses";
import { namesDoNotLookAlike } from "./lookAlikes";
import { mobileNumbersAreMobiles } from "./mobilePhone";
import { adoptionsAreWellFormed } from "./adoption";
import { existingGroupsAreConsistent } from "./existingGroups";
import { globalAdminsWithinLimit, privilegedAssignmentsWithinAdvice } from "./privileges";
import { groupNamesAreConsistent, listsHaveNoRepeats, managersExist, profilesExist } from "./references";

export { RuleContext } from "./context";

/** Every check beyond the schema, in the order a reader would want them. */
export const RULES: readonly Rule[] = [
    userKeysAreStable,
    userPrincipalNamesAreValid,
    namesAreUnique,
    mobileNumbersAreMobiles,
    profilesExist,
    groupNamesAreConsistent,
    existingGroupsAreConsistent,
    listsHaveNoRepeats,
    namesDoNotLookAlike,
    managersExist,
    globalAdminsWithinLimit,
    privilegedAssignmentsWithinAdvice,
    adoptionsAreWellFormed,
    licenseNamesAreKnown,
    licensedUsersHaveAUsageLocation,
    portalRolesNeedAnInvite,
    profilesAgree,
    offboardedUsersHoldNoAdminRoles,
    invitedUsersHaveMobiles,
];
