// The package's browser entry: the same codes without registering every language's country names (82 files),
// which validation never shows and which cost a validate run more time than the rest of i18n-iso-countries.
import { getAlpha2Codes } from "i18n-iso-countries/index";
import * as z from "zod";
import { ADMIN_ROLE_NAMES } from "./adminRoles";

/**
 * The one schema of users.yaml. The validator checks files against it and `npm run schema` turns it into
 * users.schema.json for editors, so the two cannot drift apart (a test compares them).
 * Checks that need more than one field (domains, duplicates, references, phone numbers) are rules in rules/.
 */

export const DEFAULT_MAX_GLOBAL_ADMINS = 4;

const COUNTRY_CODES = Object.keys(getAlpha2Codes()).sort() as [string, ...string[]];

const text = (description: string) => z.string().min(1).describe(description);

/**
 * A user's own value for an Entra field that users.yaml may also clear: `null` (or `~`) means "empty it in
 * Entra". Leaving the key out means "leave whatever Entra has", so clearing must be written.
 */
const clearable = <T extends z.ZodType>(schema: T) =>
    schema.nullable().optional().describe(`${schema.description ?? ""} null clears the value in Entra; leaving it out keeps Entra's value.`.trim());


const usageLocation = z
    .enum(COUNTRY_CODES)
    .describe("ISO 3166-1 alpha-2 country code (AU, NZ, GB, ...). Needed for licences; also the region for national-format mobile numbers.");

/** Where someone works and what Entra shows about it: shared by a firm (defaults) or an office (a profile). */
const workplace = {
    companyName: text("Company name, e.g. the firm's legal name."),
    officeLocation: text("Office, as Entra shows it (e.g. Sydney, Level 4)."),
    streetAddress: text("Street address of the office."),
    city: text("City."),
    state: text("State or province."),
    postalCode: text("Postcode."),
    country: text('Country or region as written in Entra (free text, e.g. "Australia"); usageLocation is the ISO code for licences.'),
};
const optionalWorkplace = {
    companyName: workplace.companyName.optional(),
    officeLocation: workplace.officeLocation.optional(),
    streetAddress: workplace.streetAddress.optional(),
    city: workplace.city.optional(),
    state: workplace.state.optional(),
    postalCode: workplace.postalCode.optional(),
    country: workplace.country.optional(),
};
const clearableWorkplace = {
    companyName: clearable(workplace.companyName),
    officeLocation: clearable(workplace.officeLocation),
    streetAddress: clearable(workplace.streetAddress),
    city: clearable(workplace.city),
    state: clearable(workplace.state),
    postalCode: clearable(workplace.postalCode),
    country: clearable(workplace.country),
};

const groupNames = z
    .array(z.string().min(1))
    .describe(
        "Group display names, compared ignoring case. Names under `groups:` are created; any other name must be an existing Entra security group whose members Graph can change (not a distribution list, a mail-enabled or dynamic-membership group, or one synced from on-premises AD).",
    );

const adminRoles = z
    .array(z.enum(ADMIN_ROLE_NAMES as [string, ...string[]]))
    .describe("Built-in Entra admin roles, by display name. Not assigned while the user is offboarded.");

const license = z
    .union([
        z.string().min(1).describe("A licence by product name (Microsoft 365 Business Premium) or part number (SPB)."),
        z
            .strictObject({
                name: z.string().min(1).describe("Product name or part number."),
                disabledPlans: z
                    .array(z.string().min(1))
                    .optional()
                    .describe(
                        "Service plans of this licence to switch off, by name (TEAMS1) or id: exactly these, every other plan of it is switched on (`[]`: every plan on). Not stated: the plans are left as they are in Entra (some may have been switched off by hand), and a newly assigned licence gets every plan.",
                    ),
            })
            .describe("A licence with some of its service plans switched off."),
    ])
    .describe("A Microsoft 365 licence.");

const licenses = z
    .array(license)
    .describe(
        "Microsoft 365 licences (seed step 5): product names or part numbers (a product name and its part number are one licence). Only licences listed here are assigned or removed; licences assigned by hand or through a group are left alone. A licence written as a plain name leaves its service plans as they are; `{ name, disabledPlans }` sets them. A licensed user needs a usageLocation.",
    );

const practiceProtect = z
    .strictObject({
        invite: z.boolean().optional().describe("Invite the user to the Practice Protect portal (an invitation e-mail, once their Entra user reaches the portal's directory). Default false."),
        roles: z.array(z.string().min(1)).optional().describe("Practice Protect portal roles, which must already exist in the portal; without the right roles a user cannot sign in. Needs invite: true."),
    })
    .describe("Practice Protect portal access.");

const tenant = z
    .strictObject({
        domains: z
            .array(z.string().min(1))
            .optional()
            .describe("Verified domains that user principal names must use. Leave out to allow any."),
        maxGlobalAdmins: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe(`Refuse more Global Administrators than this (default ${DEFAULT_MAX_GLOBAL_ADMINS}; Microsoft advises fewer than five). A full-access practiceprotect service account counts.`),
    })
    .describe("Tenant-wide guards.");

const defaults = z
    .strictObject({
        usageLocation: usageLocation.optional(),
        department: text("Department.").optional(),
        ...optionalWorkplace,
        groups: groupNames.optional(),
        licenses: licenses.optional(),
        practiceProtect: practiceProtect.optional(),
    })
    .describe(
        "Applied to every user. Lists (groups, licenses, practiceProtect.roles) merge with the profiles' and the user's own; for a single value the user's own wins, then their profiles'. jobTitle and adminRoles cannot be defaults.",
    );

const profile = z
    .strictObject({
        usageLocation: usageLocation.optional(),
        department: text("Department.").optional(),
        jobTitle: text("Job title.").optional(),
        ...optionalWorkplace,
        groups: groupNames.optional(),
        adminRoles: adminRoles.optional(),
        licenses: licenses.optional(),
        practiceProtect: practiceProtect.optional(),
    })
    .describe("A named bundle of access (\"find a similar user and copy their roles\", made explicit), given to every user who lists it. Two profiles of one user that set different single values are an error.");

const group = z
    .strictObject({
        description: text("Group description.").optional(),
        aliases: z
            .array(z.string().min(1))
            .optional()
            .describe("Names this group had before: renaming it keeps the same Entra group and its members (updated in place). Write the old name here when you change the key."),
    })
    .describe("A security group this program creates. It holds exactly the members users.yaml gives it: people added by hand are removed.");

const existingGroup = z
    .strictObject({
        grantsRoles: z
            .literal(true)
            .optional()
            .describe(
                "This existing group is role-assignable (isAssignableToRole) and its members hold the directory roles assigned to it. Putting people in such a group is refused unless this says so; each membership change then shows as a privileged change in the review, and `pulumi preview` shows the roles the group carries.",
            ),
    })
    .describe("An Entra group this program does not create, named in users.yaml, with what the reviewer acknowledges about it.");

/**
 * What an adopted account is in Entra now, written by whoever adopts it: `pulumi preview` and `pulumi up` read the
 * account and refuse to adopt it when what they read is not what is written here.
 */
const adoption = z
    .strictObject({
        currentUserPrincipalName: z
            .string()
            .min(1)
            .optional()
            .describe("The sign-in name the account has in Entra now, when users.yaml gives it a different one: adopting then renames it. Without this, an account whose UPN differs from userPrincipalName is refused."),
        privilegedRoles: z
            .array(z.string().min(1))
            .optional()
            .describe("Privileged directory roles (Microsoft's classification) the account holds now, by display name. Without them listed here, adopting an account that holds a privileged role is refused."),
    })
    .describe("With objectId: what the adopted account is in Entra now, acknowledged by the reviewer.");

const user = z
    .strictObject({
        userPrincipalName: text("Sign-in name, e.g. jane.citizen@examplefirm.com.au; its domain must be one of tenant.domains when those are set. Can change (the same user is updated in place); the user's key cannot."),
        displayName: text("Name shown in Office 365 and the portal."),
        givenName: clearable(text("First name.")),
        surname: clearable(text("Last name.")),
        mailNickname: text("Mail alias; defaults to the part of userPrincipalName before @, so a new userPrincipalName changes it unless it is written here.").optional(),
        mobilePhone: clearable(
            z
                .string()
                .min(1)
                .describe('Mobile number, quoted: "0412 345 678" or "+61 412 345 678". Stored in international (E.164) format; Practice Protect uses it for SMS MFA.'),
        ),
        jobTitle: clearable(text("Job title.")),
        department: clearable(text("Department.")),
        ...clearableWorkplace,
        employeeId: clearable(z.string().min(1).max(16, "has at most 16 characters in Entra").describe("Employee number (at most 16 characters, as Entra allows).")),
        businessPhones: z
            .array(z.string().min(1))
            .max(1, "holds one number in Entra; keep the main desk phone")
            .optional()
            .describe('The desk phone, quoted, as Entra shows it: ["+61 2 9000 1234"]. Entra keeps one number. Kept as written.'),
        faxNumber: clearable(text("Fax number, as Entra shows it.")),
        manager: clearable(
            z
                .string()
                .min(1)
                .describe("The user's manager: another user's key in this file, or the objectId of an Entra user outside it."),
        ),
        usageLocation: usageLocation.optional(),
        profiles: z.array(z.string().min(1)).optional().describe("Profiles (from `profiles:`) whose access this user gets."),
        groups: groupNames.optional(),
        adminRoles: adminRoles.optional(),
        licenses: licenses.optional(),
        enabled: z.boolean().optional().describe("false = offboarded: sign-in blocked and sessions revoked, admin roles and Practice Protect access removed; the account, mailbox, groups and (by default) licences are kept. Default true."),
        objectId: z
            .guid()
            .optional()
            .describe("Adopt this existing Entra user (Pulumi import) instead of creating one: no password is set, and only the fields written here change."),
        adoption: adoption.optional(),
        practiceProtect: practiceProtect.optional(),
    })
    .describe("One person. The key is the stable name of the user's resources: never change it (a new key is a new person).");

export const usersFileSchema = z
    .strictObject({
        tenant: tenant.optional(),
        defaults: defaults.optional(),
        profiles: z.record(z.string(), profile).optional().describe("Named profiles, which users list under their own profiles:."),
        groups: z.record(z.string(), group).optional().describe("Security groups this program creates, by display name; any other group name in the file must already exist in Entra."),
        existingGroups: z
            .record(z.string(), existingGroup)
            .optional()
            .describe("Existing Entra groups (not created here) that need an acknowledgement, by display name: e.g. a role-assignable group, `grantsRoles: true`."),
        users: z.record(z.string(), user).describe("The firm's people, by stable key: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. jane.citizen)."),
    })
    .describe("Users as code for a Practice Protect firm.");

export type UsersFile = z.infer<typeof usersFileSchema>;
export type UserEntry = z.infer<typeof user>;
export type ProfileEntry = z.infer<typeof profile>;
export type PracticeProtectEntry = z.infer<typeof practiceProtect>;
export type LicenseEntry = z.infer<typeof license>;

/** users.schema.json: the same schema in JSON Schema draft 7, the dialect editors' YAML plugins know best. */
export function usersJsonSchema(): object {
    return {
        $id: "https://practiceprotect-users.local/users.schema.json",
        title: "users.yaml",
        ...z.toJSONSchema(usersFileSchema, { target: "draft-7" }),
    };
}
