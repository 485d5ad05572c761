import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_ROLE_TEMPLATE_IDS, ResolvedUser } from "../model";
import { isSensitiveUpdate } from "../model/sensitiveUpdates";
import { initialPassword, KEEP_PASSWORD_AFTER_CREATE } from "./initialPassword";
import type { ExistingGroup } from "./existingGroups";
import { ExistingRoleAssignments, roleAssignmentImportId, roleAssignmentKey } from "./existingRoleAssignments";
import { keepWhatIsNotStated } from "./userArguments";

export interface FirmUserArgs {
    /** The user as resolved from users.yaml (defaults and profiles merged). */
    user: ResolvedUser;
    /** The existing groups users.yaml refers to, by lower-cased display name: a GroupMember each. */
    existingGroups: ReadonlyMap<string, ExistingGroup>;
    /** Groups this program creates (lower-cased): their members are set on the group, not here. */
    createdGroups: ReadonlySet<string>;
    /** Admin role assignments adopted users already hold: imported rather than created. */
    existingRoleAssignments: ExistingRoleAssignments;
    /** The manager's object id, when users.yaml names one (`manager`). */
    managerObjectId?: pulumi.Input<string>;
    /** Delete the Entra user when it leaves users.yaml; otherwise Pulumi only stops managing it. */
    deleteWhenRemoved: boolean;
}

/**
 * One person in Entra ID: the user (created, or adopted by import when users.yaml gives an objectId; either
 * way, fields users.yaml does not state are left as they are in Entra), a
 * generated first password for created users, a membership per existing group (the groups this program
 * creates list their members themselves) and an assignment per admin role.
 * Every child is named from the users.yaml key, never from a name that can change, so renaming a user or
 * changing their UPN updates them in place.
 */
export class FirmUser extends pulumi.ComponentResource {
    public readonly userPrincipalName: pulumi.Output<string>;
    public readonly objectId: pulumi.Output<string>;
    /** The generated first password (a secret); undefined for adopted users, who keep theirs. */
    public readonly initialPassword?: pulumi.Output<string>;

    constructor(name: string, args: FirmUserArgs, opts?: pulumi.ComponentResourceOptions) {
        // The manager as users.yaml writes it (a key or an objectId) and the groups, recorded on the component for
        // the plan (a created group's members are on the group, by object id).
        super("firm:entra:User", name, { manager: args.user.manager, groups: args.user.groups, sensitiveUpdates: isSensitiveUpdate(args.user) }, opts);
        const { user } = args;
        const adopted = user.objectId !== undefined;
        const password = adopted ? undefined : initialPassword(`${name}-initial-password`, { parent: this });

        const userArgs: azuread.UserArgs = {
            userPrincipalName: user.userPrincipalName,
            // An adopted user keeps the alias Entra has unless users.yaml writes one; a created user gets the
            // default (the part of the UPN before @) explicitly, so the plan shows it.
            mailNickname: adopted && !user.mailNicknameStated ? undefined : user.mailNickname,
            displayName: user.displayName,
            givenName: user.givenName,
            surname: user.surname,
            mobilePhone: user.mobilePhone,
            jobTitle: user.jobTitle,
            department: user.department,
            companyName: user.companyName,
            officeLocation: user.officeLocation,
            streetAddress: user.streetAddress,
            city: user.city,
            state: user.state,
            postalCode: user.postalCode,
            country: user.country,
            employeeId: user.employeeId,
            businessPhones: user.businessPhones,
            faxNumber: user.faxNumber,
            managerId: args.managerObjectId,
            usageLocation: user.usageLocation,
            accountEnabled: user.enabled,
            password: password?.result,
            forcePasswordChange: password ? true : undefined,
        };
        const entraUser = new azuread.User(name, userArgs, {
            parent: this,
            import: adopted ? `/users/${user.objectId}` : undefined,
            retainOnDelete: !args.deleteWhenRemoved,
            ignoreChanges: [...new Set([...KEEP_PASSWORD_AFTER_CREATE, ...keepWhatIsNotStated(userArgs, user.cleared.map((f) => (f === "manager" ? "managerId" : f)))])],
        });

        const objectId = user.objectId?.toLowerCase();
        for (const groupName of user.groups) {
            if (args.createdGroups.has(groupName.toLowerCase())) continue;
            const group = args.existingGroups.get(groupName.toLowerCase());
            if (group === undefined) throw new Error(`FirmUser ${name}: group '${groupName}' was not looked up (the caller must look up every existing group the user is in)`);
            // An adopted user already in an existing group: the provider's create would refuse ("already exists
            // - to be managed via Terraform this resource needs to be imported", group_member_resource.go), so
            // the membership is imported by the provider's id, {groupObjectId}/member/{memberObjectId}.
            const already = objectId !== undefined && group.members.has(objectId);
            // Named with Entra's spelling of the group, so changing the letter case in users.yaml keeps the same
            // resource; the alias is the name it had when named with users.yaml's spelling.
            const resourceName = `${name}-in-${group.displayName}`;
            new azuread.GroupMember(
                resourceName,
                { groupObjectId: group.objectId, memberObjectId: entraUser.objectId },
                {
                    parent: this,
                    import: already ? `${group.objectId}/member/${user.objectId}` : undefined,
                    aliases: groupName === group.displayName ? undefined : [{ name: `${name}-in-${groupName}` }],
                },
            );
        }
        for (const role of user.adminRoles) {
            const roleId = ADMIN_ROLE_TEMPLATE_IDS[role];
            const existing = objectId === undefined ? undefined : args.existingRoleAssignments.get(roleAssignmentKey(objectId, roleId));
            new azuread.DirectoryRoleAssignment(
                `${name}-as-${role}`,
                { roleId, principalObjectId: entraUser.objectId },
                { parent: this, import: existing === undefined ? undefined : roleAssignmentImportId(existing) },
            );
        }

        this.userPrincipalName = entraUser.userPrincipalName;
        this.objectId = entraUser.objectId;
        this.initialPassword = password?.result;
        this.registerOutputs({ userPrincipalName: this.userPrincipalName, objectId: this.objectId });
    }
}
