/**
 * A realistic users.yaml for `n` people, in the shipped users.yaml's shape: defaults (an existing group, a
 * licence, a portal role), three profiles, created and existing groups, a few admins, some leavers.
 */
export function generateUsersYaml(n: number): string {
    const lines = [
        "tenant:",
        "  domains: [benchfirm.com.au]",
        "  maxGlobalAdmins: 4",
        "defaults:",
        "  usageLocation: AU",
        "  groups: [All Staff]",
        "  licenses: [Microsoft 365 Business Premium]",
        "  practiceProtect: { invite: true, roles: [Portal Users - AU] }",
        "profiles:",
        "  accountant: { department: Tax, groups: [Accountants], practiceProtect: { roles: [XPM Users] } }",
        "  bookkeeper: { department: Bookkeeping, groups: [Bookkeepers], practiceProtect: { roles: [Xero Users] } }",
        "  admin-staff: { department: Operations, groups: [Reception] }",
        "groups:",
        "  Accountants: { description: Tax and accounting staff }",
        "  Bookkeepers: { description: Bookkeeping staff }",
        "  Reception: { description: Front desk }",
        "users:",
    ];
    const profiles = ["accountant", "bookkeeper", "admin-staff"];
    for (let i = 0; i < n; i++) {
        const key = `user${String(i).padStart(5, "0")}`;
        lines.push(
            `  ${key}:`,
            `    userPrincipalName: ${key}@benchfirm.com.au`,
            `    displayName: Person ${i}`,
            `    givenName: Person`,
            `    surname: Number${i}`,
            `    mobilePhone: "0412 ${String(Math.floor(i / 1000)).padStart(3, "0")} ${String(i % 1000).padStart(3, "0")}"`,
            `    jobTitle: Staff`,
            `    profiles: [${profiles[i % 3]}]`,
        );
        if (i % 10 === 0) lines.push("    groups: [Partners]");
        if (i === 0) lines.push("    adminRoles: [Global Administrator]");
        if (i % 25 === 24) lines.push("    enabled: false");
    }
    return `${lines.join("\n")}\n`;
}
