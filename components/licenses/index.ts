/** Licences and sign-in revocation through Microsoft Graph, as Pulumi dynamic resources (the azuread provider has neither). */
export { UserLicenses, UserLicensesArgs, userLicensesProvider } from "./userLicenses";
export { assignLicenseFailure } from "./userLicensesProvider";
export { SignInRevocation, SignInRevocationArgs, signInRevocationProvider } from "./signInRevocation";
export { FirmLicenses, FirmLicensesArgs } from "./firmLicenses";
