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
} as const;

export type AdminRoleName = keyof typeof ADMIN_ROLE_TEMPLATE_IDS;

export const ADMIN_ROLE_NAMES = Object.keys(ADMIN_ROLE_TEMPLATE_IDS) as AdminRoleName[];

export const GLOBAL_ADMINISTRATOR: AdminRoleName = "Global Administrator";

/** Roles that can take over the tenant: they stand out in plans and reviews. */
export const PRIVILEGED_ADMIN_ROLES: readonly AdminRoleName[] = [
    "Global Administrator",
    "Privileged Role Administrator",
    "Privileged Authentication Administrator",
];

/**
 * Built-in roles Microsoft marks PRIVILEGED, by role template id (the same in every tenant). Placeholder for the
 * full table from Microsoft's "Microsoft Entra built-in roles" reference (unifiedRoleDefinition.isPrivileged).
 */
export const PRIVILEGED_ROLE_TEMPLATE_IDS: Readonly<Record<string, string>> = Object.fromEntries(PRIVILEGED_ADMIN_ROLES.map((name) => [ADMIN_ROLE_TEMPLATE_IDS[name], name]));

/** Whether a built-in role, by display name or template id (any letter case), is privileged in Microsoft's classification. */
export function isPrivilegedRole(nameOrTemplateId: string): boolean {
    const wanted = nameOrTemplateId.toLowerCase();
    return Object.entries(PRIVILEGED_ROLE_TEMPLATE_IDS).some(([id, name]) => id === wanted || name.toLowerCase() === wanted);
}
