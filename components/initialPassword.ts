import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * A generated first password that meets Entra's complexity rules (three of four character classes, 8-256
 * characters). The result is a secret. Only punctuation that survives copy and paste into a sign-in box
 * and a shell is used.
 */
export function initialPassword(name: string, opts: pulumi.CustomResourceOptions): random.RandomPassword {
    return new random.RandomPassword(
        name,
        { length: 20, minUpper: 2, minLower: 2, minNumeric: 2, minSpecial: 2, special: true, overrideSpecial: "!#%*-_=+?" },
        opts,
    );
}

/** The user resource never resets a password after creation: people change it at first sign-in. */
export const KEEP_PASSWORD_AFTER_CREATE = ["password", "forcePasswordChange"];
