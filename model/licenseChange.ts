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
    /**
     * Service plan ids switched off in this licence: exactly these. Absent when users.yaml does not state them:
     * a licence the user holds keeps the plans it has, and a new one is assigned with none off (Graph's default).
     */
    disabledPlans?: readonly string[];
}

/** A licence as `addLicenses` takes it: Graph's assignedLicense, whose disabledPlans is the whole set switched off. */
export interface LicenseToAssign {
    skuId: string;
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
    add: LicenseToAssign[];
    /** For `removeLicenses`: skuIds this program assigned directly before and users.yaml no longer wants. */
    remove: string[];
    /** Wanted licences the user already has only through a group: left to the group (no direct copy is added). */
    heldByGroup: string[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
const lower = (id: string) => id.toLowerCase();

/**
 * An `addLicenses` entry for a licence the user already holds replaces its disabled plans with the ones sent
 * (Graph's assignLicense: an assignedLicense's `disabledPlans` is the collection of plans disabled; scripts that
 * switch one more plan off first merge in the user's current ones, pnp/script-samples
 * scripts/graph-disable-user-license). So a licence held directly is sent again only when users.yaml states its
 * disabled plans and they differ; one whose plans users.yaml does not state is never sent again.
 *
 * @param wanted what users.yaml wants now (empty for an offboarded user whose licences are to be removed)
 * @param current the user's licenseAssignmentStates as Graph returns them
 * @param managedBefore skuIds users.yaml wanted at the last deployment: the only ones this may remove
 */
export function licenseChange(wanted: readonly WantedLicense[], current: readonly AssignmentState[], managedBefore: readonly string[]): LicenseChange {
    const direct = new Map(current.filter((s) => !s.assignedByGroup).map((s) => [lower(s.skuId), s]));
    const viaGroup = new Set(current.filter((s) => s.assignedByGroup).map((s) => lower(s.skuId)));
    const wantedIds = new Set(wanted.map((w) => lower(w.skuId)));

    const add: LicenseToAssign[] = [];
    const heldByGroup: string[] = [];
    for (const w of wanted) {
        const existing = direct.get(lower(w.skuId));
        if (existing) {
            if (w.disabledPlans !== undefined && !sameSet((existing.disabledPlans ?? []).map(lower), w.disabledPlans.map(lower))) add.push({ skuId: w.skuId, disabledPlans: w.disabledPlans });
        } else if (viaGroup.has(lower(w.skuId))) {
            heldByGroup.push(w.skuId);
        } else {
            add.push({ skuId: w.skuId, disabledPlans: w.disabledPlans ?? [] });
        }
    }
    const remove = [...new Set(managedBefore.map(lower))].filter((id) => !wantedIds.has(id) && direct.has(id)).map((id) => direct.get(id)!.skuId);
    return { add, remove, heldByGroup };
}
