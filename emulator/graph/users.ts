import type { Endpoint, GraphCall } from "./endpoint";
import { badRequest, insufficientPrivileges } from "./errors";
import { assignedLicenses, assignLicense, licenseAssignmentStates, readAssignLicenseBody } from "./licenses";
import { contextFragment, ODATA_STRING, page, pageRequest, project, selectedProperties, unquote, type EntityType } from "./odata";
import type { GraphUser } from "./types";

/** "Get user" / "List users": User.Read.All and the higher privileged ones that include it. */
const READ_USERS = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];

const USER: EntityType = {
    typeName: "Microsoft.DirectoryServices.User",
    properties: [
        "id",
        "accountEnabled",
        "assignedLicenses",
        "businessPhones",
        "createdDateTime",
        "displayName",
        "givenName",
        "jobTitle",
        "lastPasswordChangeDateTime",
        "licenseAssignmentStates",
        "mail",
        "mailNickname",
        "mobilePhone",
        "officeLocation",
        "onPremisesSyncEnabled",
        "preferredLanguage",
        "signInSessionsValidFromDateTime",
        "surname",
        "usageLocation",
        "userPrincipalName",
        "userType",
    ],
    // What Graph returns without $select ("Get user": a default set; licences, accountEnabled, usageLocation need $select).
    defaults: ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"],
};

function representation(user: GraphUser): Record<string, unknown> {
    return {
        id: user.id,
        accountEnabled: user.accountEnabled,
        assignedLicenses: assignedLicenses(user),
        businessPhones: [],
        createdDateTime: user.createdDateTime,
        displayName: user.displayName,
        givenName: user.givenName ?? null,
        jobTitle: user.jobTitle ?? null,
        lastPasswordChangeDateTime: user.lastPasswordChangeDateTime,
        licenseAssignmentStates: licenseAssignmentStates(user),
        mail: user.mail ?? null,
        mailNickname: user.userPrincipalName.split("@")[0],
        mobilePhone: user.mobilePhone ?? null,
        officeLocation: null,
        onPremisesSyncEnabled: user.onPremisesSyncEnabled ?? null,
        preferredLanguage: null,
        signInSessionsValidFromDateTime: user.signInSessionsValidFromDateTime ?? null,
        surname: user.surname ?? null,
        usageLocation: user.usageLocation ?? null,
        userPrincipalName: user.userPrincipalName,
        userType: "Member",
    };
}

const ID_IN = new RegExp(`^\\s*id\\s+in\\s*\\(\\s*(${ODATA_STRING}(?:\\s*,\\s*${ODATA_STRING})*)\\s*\\)\\s*$`);
/** "Some limitations apply to query parameters" (Microsoft Graph known issues): an `in` clause takes 15 values by default. */
const MOST_IN_VALUES = 15;

/**
 * The users a `$filter` keeps: the program sends only `id in ('a','b')` (user resource type: id "Supports $filter (eq,
 * ne, not, in)"); anything else is a 400 here so that a new query is noticed. Ids compare ignoring case, as GUIDs do.
 */
function usersFiltered(users: GraphUser[], filter: string | null): GraphUser[] {
    if (filter === null) return users;
    const idIn = ID_IN.exec(filter);
    if (!idIn) throw badRequest(`Invalid filter clause: the Graph emulator answers only id in (...) on users; got '${filter}'.`, "BadRequest");
    const ids = [...idIn[1].matchAll(new RegExp(ODATA_STRING, "g"))].map((m) => unquote(m[1]).toLowerCase());
    // The wording is this emulator's; Graph's status and code for an over-long filter.
    if (ids.length > MOST_IN_VALUES) throw badRequest(`Too many values in the 'in' clause: ${ids.length}; at most ${MOST_IN_VALUES} are allowed without advanced query parameters.`, "Request_UnsupportedQuery");
    return users.filter((u) => ids.includes(u.id.toLowerCase()));
}

function oneUser(call: GraphCall, user: GraphUser) {
    const properties = selectedProperties(call.query, USER);
    return { "@odata.context": `${call.graphRoot}/$metadata#${contextFragment("users", call.query, properties)}/$entity`, ...project(representation(user), properties) };
}

/** Built-in role template ids ("Microsoft Entra built-in roles"). */
const ROLE = {
    globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
    privilegedAuthenticationAdministrator: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
    helpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
    passwordAdministrator: "966707d0-3269-4727-9be2-8c3a10f19b9d",
    authenticationAdministrator: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
};
/** Who may reset anyone's password, admins included ("Privileged role administrator permissions": who can reset passwords). */
const RESET_ANY = [ROLE.globalAdministrator, ROLE.privilegedAuthenticationAdministrator];
/** Who may reset a user holding no admin role. */
const RESET_NON_ADMIN = [...RESET_ANY, ROLE.userAdministrator, ROLE.helpdeskAdministrator, ROLE.passwordAdministrator, ROLE.authenticationAdministrator];

/**
 * PATCH /users/{id} with a passwordProfile ("Update user", example "Update the passwordProfile of a user and reset
 * their password"): app-only, the app needs User-PasswordProfile.ReadWrite.All (or User.ReadWrite.All) AND a
 * directory role that may reset this user's password: at least User Administrator for a user without an admin role,
 * Privileged Authentication Administrator (or Global Administrator) for one with any ("Who can perform sensitive
 * actions"). This emulator counts every admin role as needing the latter, where Entra lets lesser roles reset some
 * limited admins. Only passwordProfile is emulated.
 */
function updatePassword(call: GraphCall) {
    const body = call.body as { passwordProfile?: { password?: unknown; forceChangePasswordNextSignIn?: unknown } } | undefined;
    const others = Object.keys(body ?? {}).filter((k) => k !== "passwordProfile");
    if (!body || typeof body !== "object" || others.length > 0 || !body.passwordProfile) {
        throw badRequest(`The Graph emulator updates a user's passwordProfile only${others.length ? `; got ${others.join(", ")}` : ""}.`);
    }
    const { password, forceChangePasswordNextSignIn = false } = body.passwordProfile;
    if (typeof password !== "string" || typeof forceChangePasswordNextSignIn !== "boolean") throw badRequest("Invalid value specified for property 'passwordProfile' of resource 'User'.");
    const user = call.state.visibleUser(call.params[0]);
    const appRoles = call.state.rolesOf(call.caller.servicePrincipalId);
    const allowed = call.state.rolesOf(user.id).length > 0 ? RESET_ANY : RESET_NON_ADMIN;
    if (!allowed.some((r) => appRoles.includes(r))) throw insufficientPrivileges();
    // Entra's default password policy: 8 to 256 characters, three of the four kinds ("Microsoft Entra password policies").
    const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((k) => k.test(password)).length;
    if (password.length < 8 || password.length > 256 || kinds < 3) {
        throw badRequest("The specified password does not comply with password complexity requirements. Please provide a different password.");
    }
    user.passwordProfile = { password, forceChangePasswordNextSignIn };
    user.lastPasswordChangeDateTime = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    return { status: 204, body: undefined };
}

export const USER_ENDPOINTS: Endpoint[] = [
    {
        method: "GET",
        path: /^\/users$/,
        permissions: READ_USERS,
        handle(call) {
            // "List users": 100 per page by default, $top up to 999.
            const properties = selectedProperties(call.query, USER);
            const request = pageRequest(call.query, 100, 999);
            const { value, nextLink } = page(usersFiltered(call.state.listedUsers(), call.query.get("$filter")), request, call.url);
            return {
                body: {
                    "@odata.context": `${call.graphRoot}/$metadata#${contextFragment("users", call.query, properties)}`,
                    ...(nextLink ? { "@odata.nextLink": nextLink } : {}),
                    value: value.map((u) => project(representation(u), properties)),
                },
            };
        },
    },
    {
        method: "GET",
        path: /^\/users\/([^/]+)$/,
        permissions: READ_USERS,
        handle(call) {
            selectedProperties(call.query, USER); // a bad $select is refused before the user is looked up
            return { body: oneUser(call, call.state.visibleUser(call.params[0])) };
        },
    },
    {
        method: "PATCH",
        path: /^\/users\/([^/]+)$/,
        permissions: ["User-PasswordProfile.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
        handle: updatePassword,
    },
    {
        method: "POST",
        path: /^\/users\/([^/]+)\/assignLicense$/,
        // "user: assignLicense", application permissions.
        permissions: ["LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
        handle(call) {
            const request = readAssignLicenseBody(call.body);
            const user = call.state.visibleUser(call.params[0]);
            assignLicense(call.state, user, request);
            return { body: oneUser({ ...call, query: new URLSearchParams() }, user) }; // the user's default properties
        },
    },
    {
        method: "POST",
        path: /^\/users\/([^/]+)\/revokeSignInSessions$/,
        // "user: revokeSignInSessions": User.RevokeSessions.All is the least privileged application permission in the
        // current reference; earlier versions listed User.ReadWrite.All and Directory.ReadWrite.All.
        permissions: ["User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
        handle(call) {
            const user = call.state.visibleUser(call.params[0]);
            user.signInSessionsValidFromDateTime = new Date().toISOString().replace(/\.\d+Z$/, "Z");
            call.state.revocations.set(user.id, (call.state.revocations.get(user.id) ?? 0) + 1);
            return { body: { "@odata.context": `${call.graphRoot}/$metadata#Edm.Boolean`, value: true } };
        },
    },
];
