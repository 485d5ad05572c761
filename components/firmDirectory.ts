import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { FirmModel, ResolvedUser } from "../model";
import { managerRef } from "../model/resolve";
import { isSensitiveUpdate, roleAssignableGroupsOf } from "../model/sensitiveUpdates";
import { generatedPassword, KEEP_PASSWORD_AFTER_CREATE } from "./initialPassword";
import { keepWhatIsNotStated } from "./userArguments";

export interface FirmDirectoryArgs {
    model: FirmModel;
    /** Delete an Entra user when they leave users.yaml; otherwise Pulumi only stops managing them. */
    deleteRemovedUsers: boolean;
}

/** One person's Entra user, as the rest of the program refers to it. */
export interface EntraPerson {
    user: azuread.User;
    userPrincipalName: pulumi.Output<string>;
    objectId: pulumi.Output<string>;
    /** Created by this program (not adopted by objectId): Graph may not show it for a moment after creation. */
    created: boolean;
    /** The password a created user got (a secret), for handing over; undefined for adopted users, who keep theirs. */
    initialPassword?: pulumi.Output<string>;
}

/** What the plan shows per person that no resource input carries, as users.yaml writes it. */
export interface PersonSummary {
    groups: string[];
    manager?: string;
    sensitiveUpdates: boolean;
}

/**
 * Everyone in users.yaml as an Entra user (`firm:entra:Directory`), one resource per person, named from the
 * users.yaml key so renaming a person or changing their UPN updates them in place. A created user gets exactly
 * what users.yaml states and a generated first password; an adopted one (objectId) is imported. Either way,
 * fields users.yaml does not state are left as they are in Entra. Groups and admin roles: see FirmAccess.
 */
export class FirmDirectory extends pulumi.ComponentResource {
    /** Every person by users.yaml key. */
    public readonly people: Record<string, EntraPerson> = {};

    constructor(name: string, args: FirmDirectoryArgs, opts?: pulumi.ComponentResourceOptions) {
        const summaries: Record<string, PersonSummary> = Object.fromEntries(
            args.model.users.map((u) => [u.key, { groups: u.groups, manager: u.manager, sensitiveUpdates: isSensitiveUpdate(u, undefined, roleAssignableGroupsOf(u, args.model).length > 0) }]),
        );
        super("firm:entra:Directory", name, { people: summaries }, opts);

        // Managers first, so a manager named by key has an object id to give (validation refuses circles).
        const byKey = new Map(args.model.users.map((u) => [u.key, u]));
        const build = (user: ResolvedUser): EntraPerson => {
            const done = this.people[user.key];
            if (done) return done;
            const ref = user.manager === undefined ? undefined : managerRef({ users: Object.fromEntries(byKey) }, user.manager);
            const managerId = ref === undefined ? undefined : "objectId" in ref ? ref.objectId : build(byKey.get(ref.key)!).objectId;
            return (this.people[user.key] = this.declareUser(user, managerId, args.deleteRemovedUsers));
        };
        for (const user of args.model.users) build(user);
        this.registerOutputs({});
    }

    private declareUser(user: ResolvedUser, managerId: pulumi.Input<string> | undefined, deleteWhenRemoved: boolean): EntraPerson {
        const adopted = user.objectId !== undefined;
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
            managerId,
            usageLocation: user.usageLocation,
            accountEnabled: user.enabled,
            password: adopted ? undefined : generatedPassword(),
            forcePasswordChange: adopted ? undefined : true,
        };
        const entraUser = new azuread.User(user.key, userArgs, {
            parent: this,
            import: adopted ? `/users/${user.objectId}` : undefined,
            retainOnDelete: !deleteWhenRemoved,
            ignoreChanges: [...new Set([...KEEP_PASSWORD_AFTER_CREATE, ...keepWhatIsNotStated(userArgs, user.cleared.map((f) => (f === "manager" ? "managerId" : f)))])],
        });
        return {
            user: entraUser,
            userPrincipalName: entraUser.userPrincipalName,
            objectId: entraUser.objectId,
            created: !adopted,
            // The password it was created with: the user resource keeps it (ignoreChanges) and holds it as a secret.
            initialPassword: adopted ? undefined : pulumi.secret(entraUser.password),
        };
    }
}
