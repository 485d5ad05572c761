import type * as azuread from "@pulumi/azuread";

/**
 * Every argument of `azuread.User` (@pulumi/azuread 6.9, bridging terraform-provider-azuread v3.8's
 * azuread_user). Written out as a Record over `keyof UserArgs` so that a provider upgrade adding an argument
 * does not compile until the argument is listed here, and so is guarded by `keepWhatIsNotStated`.
 */
const USER_ARGUMENTS: Record<keyof azuread.UserArgs, true> = {
    accountEnabled: true,
    ageGroup: true,
    businessPhones: true,
    city: true,
    companyName: true,
    consentProvidedForMinor: true,
    costCenter: true,
    country: true,
    department: true,
    disablePasswordExpiration: true,
    disableStrongPassword: true,
    displayName: true,
    division: true,
    employeeHireDate: true,
    employeeId: true,
    employeeType: true,
    faxNumber: true,
    forcePasswordChange: true,
    givenName: true,
    jobTitle: true,
    mail: true,
    mailNickname: true,
    managerId: true,
    mobilePhone: true,
    officeLocation: true,
    onpremisesImmutableId: true,
    otherMails: true,
    password: true,
    postalCode: true,
    preferredLanguage: true,
    showInAddressList: true,
    state: true,
    streetAddress: true,
    surname: true,
    usageLocation: true,
    userPrincipalName: true,
};

export type UserArgument = keyof azuread.UserArgs;
export const USER_ARGUMENT_NAMES = Object.keys(USER_ARGUMENTS) as UserArgument[];

/**
 * The `ignoreChanges` that leave every field the program does not state as it is in Entra.
 *
 * Why: the provider's user update (internal/services/users/user_resource.go, userResourceUpdate) sends every
 * optional field on every update, an empty one as JSON null, and resets `showInAddressList`, the password
 * policies and the manager to their defaults; so an update, including the one Pulumi makes right after an
 * import whose inputs differ, would wipe whatever the program leaves out. An ignored argument takes its value
 * from the resource's state instead (the engine copies the old input, pulumi/pulumi
 * pkg/resource/deploy/step.go, also on import; the bridge drops the attribute from the Terraform diff,
 * pulumi-terraform-bridge newIgnoreChanges), so the update sends back exactly what Entra has.
 *
 * `stated` are the arguments the program sets; `cleared` are the ones users.yaml explicitly empties (left out
 * of the arguments and not ignored, so the provider sends null). Everything else is ignored.
 */
export function keepWhatIsNotStated(stated: Partial<Record<UserArgument, unknown>>, cleared: readonly UserArgument[] = []): UserArgument[] {
    const clear = new Set(cleared);
    return USER_ARGUMENT_NAMES.filter((name) => stated[name] === undefined && !clear.has(name));
}
