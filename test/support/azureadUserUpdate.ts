import type * as azuread from "@pulumi/azuread";
import { isDeepStrictEqual } from "node:util";

/**
 * A small model of what terraform-provider-azuread v3.8 sends to Graph when it updates a user, taken from
 * its source (internal/services/users/user_resource.go: the schema in userResource, and userResourceUpdate).
 * It is written independently of the program's guard (components/userArguments.ts) so a test can check the
 * guard against the provider's rule.
 *
 * - `always`: built into the PATCH body on every update, from the planned value; an empty value is sent as
 *   null (nullable.NoZero). `passwordPolicies` is built from disableStrongPassword and
 *   disablePasswordExpiration, so both always count.
 * - `onChange`: sent only when `d.HasChange(...)` (businessPhones, mail, onpremisesImmutableId,
 *   showInAddressList, employeeHireDate, managerId by SetManagerRef/RemoveManagerRef, password).
 * - `computed`: Optional+Computed in the schema, so when the configuration leaves it out the planned value is
 *   the one in state (nothing changes); otherwise a left-out argument plans its `default`, or empty.
 *
 * The Record over `keyof azuread.UserArgs` makes a provider upgrade that adds an argument fail to compile
 * here until someone reads the provider's source for it.
 */
export const PROVIDER_USER_SCHEMA: Record<keyof azuread.UserArgs, { sent: "always" | "onChange"; computed?: true; default?: unknown }> = {
    accountEnabled: { sent: "always", default: true },
    ageGroup: { sent: "always" },
    businessPhones: { sent: "onChange", computed: true },
    city: { sent: "always" },
    companyName: { sent: "always" },
    consentProvidedForMinor: { sent: "always" },
    costCenter: { sent: "always" },
    country: { sent: "always" },
    department: { sent: "always" },
    disablePasswordExpiration: { sent: "always", default: false },
    disableStrongPassword: { sent: "always", default: false },
    displayName: { sent: "always" },
    division: { sent: "always" },
    employeeHireDate: { sent: "onChange" },
    employeeId: { sent: "always" },
    employeeType: { sent: "always" },
    faxNumber: { sent: "always" },
    forcePasswordChange: { sent: "onChange", default: false },
    givenName: { sent: "always" },
    jobTitle: { sent: "always" },
    mail: { sent: "onChange", computed: true },
    mailNickname: { sent: "always", computed: true },
    managerId: { sent: "onChange" },
    mobilePhone: { sent: "always" },
    officeLocation: { sent: "always" },
    onpremisesImmutableId: { sent: "onChange", computed: true },
    otherMails: { sent: "always" },
    password: { sent: "onChange", computed: true },
    postalCode: { sent: "always" },
    preferredLanguage: { sent: "always" },
    showInAddressList: { sent: "onChange", default: true },
    state: { sent: "always" },
    streetAddress: { sent: "always" },
    surname: { sent: "always" },
    usageLocation: { sent: "always" },
    userPrincipalName: { sent: "always" },
};

export type EntraUserRecord = Partial<Record<keyof azuread.UserArgs, unknown>>;

const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || v === false || (Array.isArray(v) && v.length === 0);
const emptyOf = (v: unknown) => (typeof v === "boolean" ? false : Array.isArray(v) ? [] : "");

/**
 * What an update of a user whose state is `entra` (what the import read) would send for each argument,
 * given the program's registered inputs and ignoreChanges: `undefined` = not sent, `null` = sent empty.
 * Ignored arguments plan the value in state (the bridge removes them from the Terraform diff).
 */
export function simulateUserUpdate(entra: EntraUserRecord, inputs: Record<string, unknown>, ignoreChanges: readonly string[]): Partial<Record<keyof azuread.UserArgs, unknown>> {
    const sent: Partial<Record<keyof azuread.UserArgs, unknown>> = {};
    for (const [name, rule] of Object.entries(PROVIDER_USER_SCHEMA) as [keyof azuread.UserArgs, (typeof PROVIDER_USER_SCHEMA)[keyof azuread.UserArgs]][]) {
        const state = entra[name];
        let planned: unknown;
        if (ignoreChanges.includes(name)) planned = state;
        else if (inputs[name] !== undefined) planned = inputs[name];
        else if (rule.computed) planned = state;
        else if (rule.default !== undefined) planned = rule.default;
        else planned = emptyOf(state);
        const changed = !(isEmpty(planned) && isEmpty(state)) && !isDeepStrictEqual(planned, state);
        if (rule.sent === "always" || changed) sent[name] = isEmpty(planned) && typeof planned !== "boolean" ? null : planned;
    }
    return sent;
}

/** The arguments an update would change or empty: those sent with a value other than Entra's. */
export function fieldsAnUpdateWouldChange(entra: EntraUserRecord, inputs: Record<string, unknown>, ignoreChanges: readonly string[]): string[] {
    const sent = simulateUserUpdate(entra, inputs, ignoreChanges);
    return Object.entries(sent)
        .filter(([name, value]) => {
            const state = entra[name as keyof azuread.UserArgs];
            return !(isEmpty(value) && isEmpty(state)) && !isDeepStrictEqual(value, state);
        })
        .map(([name]) => name);
}
