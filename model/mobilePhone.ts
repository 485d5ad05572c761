import { CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";

export type MobileResult = { e164: string } | { problem: string };

/**
 * Normalises a mobile number to E.164 (+61412345678), reading national formats ("0412 345 678") in the
 * user's usageLocation. Practice Protect sends SMS codes to it, so it must be a mobile number, not a landline.
 */
export function normaliseMobile(written: string, region: string | undefined): MobileResult {
    const international = written.trim().startsWith("+");
    if (!international && !region) {
        return { problem: `'${written}' is in national format but the user has no usageLocation to say which country: write it as +<country code> ... or set usageLocation` };
    }
    const parsed = parsePhoneNumberFromString(written, international ? undefined : (region as CountryCode));
    if (!parsed) return { problem: `'${written}' is not a phone number${international ? "" : ` in ${region}`}; write it like "0412 345 678" or "+61 412 345 678"` };
    if (!parsed.isValid()) {
        return { problem: `'${written}' is not a valid ${parsed.country ?? (international ? "" : region)} phone number (wrong length or prefix)`.replace("valid  phone", "valid phone") };
    }
    const type = parsed.getType();
    if (type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") {
        const kind = type ? type.toLowerCase().replace(/_/g, " ") : "not a mobile";
        return { problem: `'${written}' is a ${parsed.country} ${kind} number, not a mobile: Practice Protect sends SMS codes to it, so give the user's mobile number` };
    }
    return { e164: parsed.number };
}
