import { lookupLicense } from "../licenseSkus";

/**
 * The export's licence columns, read into users.yaml `licenses:`. The Microsoft 365 admin center's "Licenses"
 * column lists a user's products separated by "+" ("Microsoft 365 Business Premium+Microsoft Teams Exploratory");
 * exports made with older tools write `tenant:PARTNUMBER` instead, and "License assignment details" then says
 * how each came ("tenant:SPB: Direct", or inherited from a group). Only names the table of common licences
 * knows are written, as their product names; the rest are reported, never guessed.
 */
export interface ImportedLicenses {
    /** Product names to write. */
    names: string[];
    /** Names the table does not know: reported, not written. */
    unmatched: string[];
    /** Licences the user has through group-based licensing: the group keeps them; not written. */
    viaGroup: string[];
}

const tokens = (cell: string) =>
    cell
        .split("+")
        .map((t) => t.trim())
        .filter(Boolean);
/** `harbourfinch:O365_BUSINESS_PREMIUM` → `O365_BUSINESS_PREMIUM`; a product name has no such prefix. */
const withoutTenant = (token: string) => token.replace(/^[^\s:]+:(?=[^\s:]+$)/, "");

export function importedLicenses(licensesCell: string, detailsCell: string): ImportedLicenses {
    const viaGroupParts = new Set<string>();
    for (const detail of tokens(detailsCell)) {
        // "tenant:PART: Direct" or "tenant:PART: Inherited (...)": anything but Direct is not the user's own.
        const m = /^(?:[^\s:]+:)?([^\s:]+):\s*(.+)$/.exec(detail);
        if (m && !/^direct\b/i.test(m[2])) viaGroupParts.add(m[1].toLowerCase());
    }
    const result: ImportedLicenses = { names: [], unmatched: [], viaGroup: [] };
    for (const token of tokens(licensesCell)) {
        const name = withoutTenant(token);
        const found = lookupLicense(name);
        if (found.kind === "unknown") {
            result.unmatched.push(name);
            continue;
        }
        if (viaGroupParts.has(found.sku.partNumber.toLowerCase())) result.viaGroup.push(found.sku.productName);
        else if (!result.names.includes(found.sku.productName)) result.names.push(found.sku.productName);
    }
    return result;
}
