import type { CountryCode, PhoneNumber } from "libphonenumber-js/max";

/**
 * libphonenumber-js with its full metadata is the largest library validation loads (about a fifth of a small
 * file's `npm run validate`, issue 12), so it is loaded at the first number read: a file without mobile numbers
 * never pays for it.
 */
let phoneLibrary: typeof import("libphonenumber-js/max") | undefined;
const parsePhoneNumberFromString = (text: string, region: CountryCode | undefined): PhoneNumber | undefined =>
    (phoneLibrary ??= require("libphonenumber-js/max") as typeof import("libphonenumber-js/max")).parsePhoneNumberFromString(text, region);

export type MobileResult = { e164: string } | { problem: string; /** A valid number that is not a mobile (a desk phone). */ landline?: true };

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
    // undefined for a number that is not valid: with the full ("max") metadata, isValid() is exactly
    // getType() !== undefined (libphonenumber-js isValid.js), so asking both matched every number twice.
    const type = parsed.getType();
    if (type === undefined) {
        const country = parsed.country ?? (international ? `+${parsed.countryCallingCode}` : region);
        return { problem: `'${written}' is not a valid ${country} phone number (wrong length or prefix)` };
    }
    if (type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") {
        const kind = type.toLowerCase().replace(/_/g, "-");
        return { problem: `'${written}' is a ${kind} number in ${parsed.country}, not a mobile: Practice Protect sends SMS codes to it, so give the user's mobile number`, landline: true };
    }
    return { e164: parsed.number };
}

export type MobileNormaliser = typeof normaliseMobile;

/**
 * normaliseMobile remembering its answers for one check of one file: the rules and the resolver both ask,
 * and matching against the phone metadata is the costliest step of validation.
 */
export function memoisedMobileNormaliser(): MobileNormaliser {
    const answers = new Map<string, MobileResult>();
    return (written, region) => {
        const key = `${region ?? ""}|${written}`;
        let result = answers.get(key);
        if (!result) answers.set(key, (result = normaliseMobile(written, region)));
        return result;
    };
}
