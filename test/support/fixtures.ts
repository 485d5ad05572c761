import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Writes a users.yaml to a fresh temporary folder and returns its path. */
export function writeUsersYaml(text: string, name = "users.yaml"): string {
    const path = join(mkdtempSync(join(tmpdir(), "users-yaml-")), name);
    writeFileSync(path, text);
    return path;
}

/** A small valid firm: two created users, one adopted, one offboarded; one created and one existing group. */
export const SMALL_FIRM = `tenant:
  domains: [examplefirm.com.au]
defaults:
  usageLocation: AU
  groups: [All Staff]
  practiceProtect: { invite: true, roles: [Portal Users - AU] }
profiles:
  accountant:
    department: Tax
    groups: [Accountants]
    practiceProtect: { roles: [XPM Users] }
groups:
  Accountants: { description: Tax and accounting staff }
users:
  jane.citizen:
    userPrincipalName: jane.citizen@examplefirm.com.au
    displayName: Jane Citizen
    givenName: Jane
    surname: Citizen
    mobilePhone: "0412 345 678"
    jobTitle: Senior Accountant
    profiles: [accountant]
    adminRoles: [Exchange Administrator]
  bob.lee:
    userPrincipalName: bob.lee@examplefirm.com.au
    displayName: Bob Lee
    mobilePhone: "+64 21 123 4567"
    usageLocation: NZ
  ann.adopted:
    userPrincipalName: ann@examplefirm.com.au
    displayName: Ann Adopted
    mobilePhone: "0423 456 789"
    objectId: 11111111-2222-3333-4444-555555555555
  pete.leaver:
    userPrincipalName: pete@examplefirm.com.au
    displayName: Pete Leaver
    mobilePhone: "0434 567 890"
    adminRoles: [Global Administrator]
    enabled: false
`;
