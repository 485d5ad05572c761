/**
 * What `assignLicense` call makes a user's licences what users.yaml says, touching only what is ours. Pure: the
 * licence provider reads the user's `licenseAssignmentStates` and hands them here.
 *
 * Microsoft Graph (user resource; licenseAssignmentState resource): `assignedByGroup` is null for a licence
 * assigned to the user directly and the group's id for one inherited through group-based licensing. Only direct
 * assignments can be removed with `assignLicense`; group-assigned ones are the group's.
 */
export interface WantedLicense {
    skuId: string;
    /** Service plan ids switched off in this licence. */
    disabledPlans: readonly string[];
}

export interface AssignmentState {
    skuId: string;
    disabledPlans?: readonly string[] | null;
    /** null or absent: assigned directly. */
    assignedByGroup?: string | null;
}

export interface LicenseChange {
    /** For `addLicenses`: licences to assign, or to assign again with other disabled plans. */
    add: WantedLicense[];
    /** For `removeLicenses`: skuIds this program assigned directly before and users.yaml no longer wants. */
    remove: string[];
    /** Wanted licences the user already has only through a group: left to the group (no direct copy is added). */
    heldByGroup: string[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
const lower = (id: string) => id.toLowerCase();

/**
 * @param wanted what users.yaml wants now (empty for an offboarded user whose licences are to be removed)
 * @param current the user's licenseAssignmentStates as Graph returns them
 * @param managedBefore skuIds users.yaml wanted at the last deployment: the only ones this may remove
 */
export function licenseChange(wanted: readonly WantedLicense[], current: readonly AssignmentState[], managedBefore: readonly string[]): LicenseChange {
    const direct = new Map(current.filter((s) => !s.assignedByGroup).map((s) => [lower(s.skuId), s]));
    const viaGroup = new Set(current.filter((s) => s.assignedByGroup).map((s) => lower(s.skuId)));
    const wantedIds = new Set(wanted.map((w) => lower(w.skuId)));

    const add: WantedLicense[] = [];
    const heldByGroup: string[] = [];
    for (const w of wanted) {
        const existing = direct.get(lower(w.skuId));
        if (existing) {
            if (!sameSet((existing.disabledPlans ?? []).map(lower), w.disabledPlans.map(lower))) add.push(w);
        } else if (viaGroup.has(lower(w.skuId))) {
            heldByGroup.push(w.skuId);
        } else {
            add.push(w);
        }
    }
    const remove = [...new Set(managedBefore.map(lower))].filter((id) => !wantedIds.has(id) && direct.has(id)).map((id) => direct.get(id)!.skuId);
    return { add, remove, heldByGroup };
}
