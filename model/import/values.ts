import * as countries from "i18n-iso-countries";
import english from "i18n-iso-countries/langs/en.json";

/** Values from the export, made fit for users.yaml: country codes and user keys. */

countries.registerLocale(english as countries.LocaleData);

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COUNTRY_CODES = new Set(Object.keys(countries.getAlpha2Codes()));

/** "AU", "au", "AUS", "Australia", "UK" → AU/AU/AU/AU/GB; undefined when it is not a country. */
export function countryCode(written: string): string | undefined {
    const value = written.trim();
    if (/^[A-Za-z]{2}$/.test(value) && COUNTRY_CODES.has(value.toUpperCase())) return value.toUpperCase();
    if (/^[A-Za-z]{3}$/.test(value)) {
        const alpha2 = countries.alpha3ToAlpha2(value.toUpperCase());
        if (alpha2) return alpha2;
    }
    const byName = countries.getSimpleAlpha2Code(value, "en");
    return byName && COUNTRY_CODES.has(byName) ? byName : undefined;
}

/**
 * A users.yaml key from a mail nickname: lower case, accents dropped ("zoë" → zoe), characters the key
 * rule does not allow removed ("o'neil" → oneil), starting with a letter or digit, at most 64 characters.
 */
export function keyFromNickname(nickname: string): string {
    const key = nickname
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, "")
        .replace(/^[._-]+/, "")
        .slice(0, 64);
    return key || "user";
}

/** base, base-2, base-3, ... : the first that `free` accepts, kept within 64 characters. */
export function firstFree(base: string, free: (candidate: string) => boolean): string {
    if (free(base)) return base;
    for (let n = 2; ; n++) {
        const suffix = `-${n}`;
        const candidate = base.slice(0, 64 - suffix.length) + suffix;
        if (free(candidate)) return candidate;
    }
}

export const isTrue = (value: string) => /^(true|yes|1)$/i.test(value);
export const isFalse = (value: string) => /^(false|no|0)$/i.test(value);

