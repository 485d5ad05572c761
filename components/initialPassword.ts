import * as pulumi from "@pulumi/pulumi";
import { randomInt } from "node:crypto";

const CLASSES = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#%*-_=+?"];

/**
 * A first password for a user this program creates, as a secret: 20 characters from a cryptographic source, at
 * least two of each class (Entra wants three of four classes, 8-256 characters), without look-alikes (0/O, 1/l/I)
 * and only punctuation that survives copy and paste into a sign-in box and a shell.
 *
 * It is made in the program, not by a resource: the user resource keeps the one it was created with (see
 * KEEP_PASSWORD_AFTER_CREATE) and holds it, encrypted, as its `password` output, so a new value on every run
 * changes nothing, and no per-person password resource (nor the random provider plugin) is needed.
 */
export function generatedPassword(length = 20): pulumi.Output<string> {
    return pulumi.secret(newPassword(length));
}

/** The same password as plain text, for code that never hands it to Pulumi (components/vaultedPassword/). */
export function newPassword(length = 20): string {
    const pick = (chars: string) => chars[randomInt(chars.length)];
    const chars = [...CLASSES.flatMap((c) => [pick(c), pick(c)])];
    const all = CLASSES.join("");
    while (chars.length < length) chars.push(pick(all));
    for (let i = chars.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    return chars.join("");
}

/** The user resource never resets a password after creation: people change it at first sign-in. */
export const KEEP_PASSWORD_AFTER_CREATE = ["password", "forcePasswordChange"];
