/**
 * Built-in Microsoft Entra roles that users.yaml may assign, by display name, with their role template ids
 * (the same in every tenant; Microsoft's "Microsoft Entra built-in roles" permissions reference).
 * `azuread.DirectoryRoleAssignment` accepts a template id as `roleId` for built-in roles.
 */
export const ADMIN_ROLE_TEMPLATE_IDS = {
    "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
    "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
    "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
    "Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    "Exchange Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
    "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
    "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
    "Password Administrator": "966707d0-3269-4727-9be2-8c3a10f19b9d",
    "Authentication Administrator": "c4e39bd9-1100-46d3-8c65-fb160da0071f",
    "Billing Administrator": "b0f54661-2d74-4c50-afa3-1ec803f12efe",
    "License Administrator": "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
    "Groups Administrator": "fdd7a751-b60b-444a-984c-02652fe8fa1c",
    "SharePoint Administrator": "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    "Teams Administrator": "69091246-20e8-4a56-aa4d-066075b2a7a8",
    "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
    "Security Reader": "5d6b6bb7-de71-4623-b4af-96380a352509",
    "Compliance Administrator": "17315797-102d-40b4-93e0-432062caca18",
    "Conditional Access Administrator": "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
    "Intune Administrator": "3a2c62db-5318-420d-8d74-23affee5d9d5",
    "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
    "Reports Reader": "4a5d8f65-41da-4de4-8968-e035b65339cf",
    "Service Support Administrator": "f023fd81-a637-4b56-95fd-791ac0226033",
    "Hybrid Identity Administrator": "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
} as const;

export type AdminRoleName = keyof typeof ADMIN_ROLE_TEMPLATE_IDS;

export const ADMIN_ROLE_NAMES = Object.keys(ADMIN_ROLE_TEMPLATE_IDS) as AdminRoleName[];

export const GLOBAL_ADMINISTRATOR: AdminRoleName = "Global Administrator";

/**
 * Every built-in role Microsoft marks PRIVILEGED, by role template id (the same in every tenant), with its display
 * name: the "All roles" table of Microsoft's "Microsoft Entra built-in roles" reference (MicrosoftDocs/entra-docs,
 * docs/identity/role-based-access-control/permissions-reference.md, ms.date 01/20/2026), where a privileged role
 * carries the PRIVILEGED label; Graph's unifiedRoleDefinition.isPrivileged says the same
 * (privileged-roles-permissions.md). Roles users.yaml cannot assign are here too: an adopted account, or a
 * role-assignable group, can hold them.
 */
export const PRIVILEGED_ROLE_TEMPLATE_IDS: Readonly<Record<string, string>> = {
    "db506228-d27e-4b7d-95e5-295956d6615f": "Agent ID Administrator",
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
    "cf1c38e5-3621-4004-a7cb-879624dced7c": "Application Developer",
    "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe": "Attribute Provisioning Administrator",
    "422218e4-db15-4ef9-bbe0-8afb41546d79": "Attribute Provisioning Reader",
    "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
    "25a516ed-2fa0-40ea-a2d0-12923a21473a": "Authentication Extensibility Administrator",
    "aaf43236-0c0d-4d5f-883a-6955382ac081": "B2C IEF Keyset Administrator",
    "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
    "7698a772-787b-4ac8-901f-60d6b08affd2": "Cloud Device Administrator",
    "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
    "9360feb5-f418-4baa-8175-e2a00bac4301": "Directory Writers",
    "8329153b-31d0-4727-b945-745eb3bc5f31": "Domain Name Administrator",
    "be2f45a1-457d-42af-a067-6ec1fa63bc45": "External Identity Provider Administrator",
    "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
    "f2ef992c-3afb-46b9-b7cf-a126ee74c451": "Global Reader",
    "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
    "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2": "Hybrid Identity Administrator",
    "3a2c62db-5318-420d-8d74-23affee5d9d5": "Intune Administrator",
    "59d46f88-662b-457b-bceb-5c3809e5908f": "Lifecycle Workflows Administrator",
    "4ba39ca4-527c-499a-b93d-d9b492c50246": "Partner Tier1 Support",
    "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8": "Partner Tier2 Support",
    "966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
    "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
    "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
    "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
    "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f": "Security Operator",
    "5d6b6bb7-de71-4623-b4af-96380a352509": "Security Reader",
    "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
};

/** Lower-cased template id and display name, each to the display name. */
const PRIVILEGED_BY_ID_OR_NAME = new Map(Object.entries(PRIVILEGED_ROLE_TEMPLATE_IDS).flatMap(([id, name]) => [[id, name] as const, [name.toLowerCase(), name] as const]));

/** Whether a built-in role, by display name or template id (any letter case), is privileged in Microsoft's classification. */
export function isPrivilegedRole(nameOrTemplateId: string): boolean {
    return PRIVILEGED_BY_ID_OR_NAME.has(nameOrTemplateId.toLowerCase());
}

/** The display names of the privileged roles (Microsoft's spelling), for did-you-mean and messages. */
export const PRIVILEGED_ROLE_NAMES: readonly string[] = Object.values(PRIVILEGED_ROLE_TEMPLATE_IDS);

/** The roles users.yaml can assign that Microsoft marks privileged: they stand out in plans and reviews. */
export const PRIVILEGED_ADMIN_ROLES: readonly AdminRoleName[] = (Object.keys(ADMIN_ROLE_TEMPLATE_IDS) as AdminRoleName[]).filter(isPrivilegedRole);

/**
 * Microsoft's best practice for privileged roles: "Limit the number of privileged role assignments to less than 10"
 * (privileged-roles-permissions.md, "Best practices for using privileged roles"); more is a warning.
 */
export const PRIVILEGED_ASSIGNMENTS_ADVISED_BELOW = 10;
