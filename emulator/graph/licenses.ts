import { badRequest } from "./errors";
import { sameId, type GraphState } from "./state";
import type { GraphUser, LicenseAssignment } from "./types";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** user.assignedLicenses: one entry per SKU, whatever the number of assignments (direct and by groups) behind it. */
export function assignedLicenses(user: GraphUser): { skuId: string; disabledPlans: string[] }[] {
    const bySku = new Map<string, LicenseAssignment[]>();
    for (const l of user.licenses) bySku.set(l.skuId.toLowerCase(), [...(bySku.get(l.skuId.toLowerCase()) ?? []), l]);
    return [...bySku.values()].map((assignments) => ({
        skuId: assignments[0].skuId,
        // A plan is off only when every assignment of the SKU turns it off.
        disabledPlans: assignments[0].disabledPlans.filter((p) => assignments.every((a) => a.disabledPlans.some((q) => sameId(p, q)))),
    }));
}

/**
 * user.licenseAssignmentStates ("licenseAssignmentState resource type"): one per assignment; assignedByGroup is null
 * for a direct one. `error` is "None" on success: what Graph returns, where the reference says null.
 */
export function licenseAssignmentStates(user: GraphUser) {
    return user.licenses.map((l) => ({
        assignedByGroup: l.assignedByGroup,
        disabledPlans: [...l.disabledPlans],
        error: "None",
        lastUpdatedDateTime: l.lastUpdatedDateTime,
        skuId: l.skuId,
        state: "Active",
    }));
}

interface AssignLicenseBody {
    addLicenses: { skuId: string; disabledPlans: string[] }[];
    removeLicenses: string[];
}

/**
 * The request body of POST /users/{id}/assignLicense ("user: assignLicense"): both parameters are required, either
 * may be an empty collection. A malformed body is refused as Graph's OData layer refuses it, before the user is read.
 */
export function readAssignLicenseBody(body: unknown): AssignLicenseBody {
    const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const missing = ["addLicenses", "removeLicenses"].filter((name) => b[name] === undefined || b[name] === null);
    if (missing.length > 0) {
        throw badRequest(`One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: ${missing.join(", ")}.`, "BadRequest");
    }
    if (!Array.isArray(b.addLicenses) || !Array.isArray(b.removeLicenses)) throw badRequest("A collection was expected for the parameters 'addLicenses' and 'removeLicenses'.", "BadRequest");
    const guid = (value: unknown): string => {
        if (typeof value !== "string" || !GUID.test(value)) throw badRequest("Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details.", "BadRequest");
        return value;
    };
    const addLicenses = b.addLicenses.map((entry) => {
        if (typeof entry !== "object" || entry === null) throw badRequest("An object of type 'microsoft.graph.assignedLicense' was expected in 'addLicenses'.", "BadRequest");
        const { skuId, disabledPlans } = entry as Record<string, unknown>;
        if (disabledPlans !== undefined && disabledPlans !== null && !Array.isArray(disabledPlans)) throw badRequest("A collection was expected for the property 'disabledPlans'.", "BadRequest");
        return { skuId: guid(skuId), disabledPlans: ((disabledPlans as unknown[] | null | undefined) ?? []).map(guid) };
    });
    return { addLicenses, removeLicenses: b.removeLicenses.map(guid) };
}

/**
 * Applies an assignLicense request to a user, all or nothing, with the errors Graph gives (400 Request_BadRequest):
 * - an unknown SKU: "License <skuId> does not correspond to a valid company License."
 * - removing a licence the user has only through a group: "User license is inherited from a group membership and it
 *   cannot be removed directly from the user." (Microsoft's group-licensing PowerShell sample matches this text)
 * - no usage location: "License assignment cannot be done for user with invalid usage location."
 * - no free seat: "Subscription with SKU <skuId> does not have any available licenses."
 * - a disabled plan the SKU does not have: Graph refuses it; its exact wording is not published, this one is ours.
 * Removing a SKU the user does not hold changes nothing (not known to be refused).
 * Seats: a SKU's consumedUnits counts users holding it, so direct + group on one user is one seat.
 */
export function assignLicense(state: GraphState, user: GraphUser, request: AssignLicenseBody, now = new Date()): void {
    const unknownSku = (skuId: string) => badRequest(`License ${skuId} does not correspond to a valid company License.`);
    for (const skuId of request.removeLicenses) {
        if (!state.sku(skuId)) throw unknownSku(skuId);
        const held = user.licenses.filter((l) => sameId(l.skuId, skuId));
        if (held.length > 0 && held.every((l) => l.assignedByGroup !== null)) {
            throw badRequest("User license is inherited from a group membership and it cannot be removed directly from the user.");
        }
    }
    for (const add of request.addLicenses) {
        const sku = state.sku(add.skuId);
        if (!sku) throw unknownSku(add.skuId);
        const unknownPlan = add.disabledPlans.find((p) => !sku.servicePlans.some((s) => sameId(s.servicePlanId, p)));
        if (unknownPlan) throw badRequest(`Service plan ${unknownPlan} is not part of subscription SKU ${sku.skuId} (${sku.skuPartNumber}).`);
    }
    if (request.addLicenses.length > 0 && !user.usageLocation) throw badRequest("License assignment cannot be done for user with invalid usage location.");
    for (const add of request.addLicenses) {
        const sku = state.sku(add.skuId)!;
        const holds = user.licenses.some((l) => sameId(l.skuId, add.skuId)) && !request.removeLicenses.some((r) => sameId(r, add.skuId));
        if (!holds && sku.consumedUnits >= sku.prepaidUnits.enabled) throw badRequest(`Subscription with SKU ${sku.skuId} does not have any available licenses.`);
    }

    const held = (skuId: string) => user.licenses.some((l) => sameId(l.skuId, skuId));
    const stamp = now.toISOString();
    for (const skuId of request.removeLicenses) {
        const before = held(skuId);
        user.licenses = user.licenses.filter((l) => !(sameId(l.skuId, skuId) && l.assignedByGroup === null));
        if (before && !held(skuId)) state.sku(skuId)!.consumedUnits--;
    }
    for (const add of request.addLicenses) {
        const sku = state.sku(add.skuId)!;
        const before = held(add.skuId);
        const direct = user.licenses.find((l) => sameId(l.skuId, add.skuId) && l.assignedByGroup === null);
        if (direct) {
            direct.disabledPlans = [...add.disabledPlans];
            direct.lastUpdatedDateTime = stamp;
        } else {
            user.licenses.push({ skuId: sku.skuId, disabledPlans: [...add.disabledPlans], assignedByGroup: null, lastUpdatedDateTime: stamp });
        }
        if (!before) sku.consumedUnits++;
    }
}
