import { generateKeyPairSync, randomBytes, sign, X509Certificate } from "node:crypto";

/**
 * A throw-away TLS identity for one emulator run: a self-signed certificate for 127.0.0.1 and localhost, made in
 * memory at start, so no key is ever written to the repository.
 *
 * Why HTTPS at all: @microsoft/microsoft-graph-client 3.x only treats `https://` URLs as Graph or custom hosts
 * (GraphRequestUtil.isValidEndpoint): over http it strips the Authorization header and mis-parses the absolute
 * @odata.nextLink that PageIterator follows. Real Graph is HTTPS only, so the emulator is too.
 */
export interface TlsIdentity {
    /** PEM; trust it as a CA to talk to the emulator */
    certificate: string;
    /** PEM (PKCS#8) */
    key: string;
}

export function selfSignedIdentity(commonName = "Microsoft Graph emulator", now = Date.now()): TlsIdentity {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const ecdsaWithSha256 = seq(oid("1.2.840.10045.4.3.2"));
    const name = seq(set(seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(commonName, "utf8")))));
    const serial = randomBytes(16);
    serial[0] &= 0x7f; // a positive INTEGER
    const subjectAltName = seq(
        oid("2.5.29.17"),
        tlv(0x04, seq(tlv(0x82, Buffer.from("localhost")), tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x87, ipv6Loopback()))),
    );
    const tbs = seq(
        tlv(0xa0, integer(Buffer.from([2]))), // v3
        integer(serial),
        ecdsaWithSha256,
        name,
        seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 365 * 86_400_000))),
        name,
        publicKey.export({ type: "spki", format: "der" }),
        tlv(0xa3, seq(subjectAltName)),
    );
    const signature = sign("sha256", tbs, privateKey); // DER-encoded ECDSA signature, as X.509 wants
    const der = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
    const certificate = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").trimEnd()}\n-----END CERTIFICATE-----\n`;
    new X509Certificate(certificate); // fails loudly if the encoding above is ever wrong
    return { certificate, key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

// Minimal DER (ITU-T X.690) encoding: just what one certificate needs.
function tlv(tag: number, content: Buffer): Buffer {
    const length = content.length;
    let header: number[];
    if (length < 0x80) header = [tag, length];
    else {
        const bytes: number[] = [];
        for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
        header = [tag, 0x80 | bytes.length, ...bytes];
    }
    return Buffer.concat([Buffer.from(header), content]);
}
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
/**
 * A DER INTEGER from unsigned big-endian bytes, in its minimal form: leading zero bytes dropped, one added back
 * when the top bit is set. OpenSSL 3.x refuses a non-minimal INTEGER ("illegal padding"), which a random serial
 * starting with 0x00 would otherwise be one time in 512.
 */
function integer(value: Buffer): Buffer {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    const bytes = value.subarray(start);
    return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
    const [first, second, ...rest] = dotted.split(".").map(Number);
    const bytes = [first * 40 + second];
    for (const arc of rest) {
        const chunk = [arc & 0x7f];
        for (let n = arc >> 7; n > 0; n >>= 7) chunk.unshift((n & 0x7f) | 0x80);
        bytes.push(...chunk);
    }
    return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
    const text = date.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z"; // YYMMDDHHMMSSZ
    return tlv(0x17, Buffer.from(text));
}

function ipv6Loopback(): Buffer {
    const ip = Buffer.alloc(16);
    ip[15] = 1;
    return ip;
}
