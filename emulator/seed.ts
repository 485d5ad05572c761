import { readFileSync } from "node:fs";
import { parse } from "yaml";
import * as z from "zod";
import type { EmulatorSeed, SeedRole } from "./types";

const nonEmpty = z.string().min(1);

const seedSchema = z
    .object({
        oauth: z
            .object({
                appId: nonEmpty,
                clientId: nonEmpty,
                clientSecret: nonEmpty,
                scope: nonEmpty.optional(),
                allowedRest: z.array(nonEmpty).optional(),
                tokenLifetimeSeconds: z.number().positive().optional(),
            })
            .strict(),
        platformServiceUsers: z.array(z.object({ clientId: nonEmpty, clientSecret: nonEmpty }).strict()).optional(),
        directories: z.array(z.object({ uuid: nonEmpty, name: nonEmpty, displayName: nonEmpty, service: nonEmpty }).strict()),
        directoryUsers: z.array(
            z
                .object({
                    directoryUuid: nonEmpty,
                    uuid: nonEmpty,
                    userName: nonEmpty,
                    displayName: nonEmpty,
                    email: nonEmpty.optional(),
                    mobileNumber: nonEmpty.optional(),
                    hiddenForQueries: z.number().int().nonnegative().optional(),
                    status: z.enum(["Not Invited", "Invited", "Active"]).optional(),
                    enabled: z.boolean().optional(),
                })
                .strict(),
        ),
        roles: z.array(
            z
                .object({
                    id: nonEmpty,
                    name: nonEmpty,
                    description: z.string().optional(),
                    members: z.array(z.object({ guid: nonEmpty, name: nonEmpty, type: z.enum(["User", "Group", "Role"]) }).strict()).default([]),
                })
                .strict(),
        ),
    })
    .strict();

/**
 * The platform's built-in roles. Their ids are an (L) guess: "sysadmin" is what System Administrator's id is believed to be;
 * clients must look roles up by name anyway.
 */
export const BUILT_IN_ROLES: readonly SeedRole[] = [
    { id: "everybody", name: "Everybody", description: "Built-in role: every user. Lists no members.", members: [] },
    { id: "sysadmin", name: "System Administrator", description: "Built-in role: full administrative rights.", members: [] },
];

export const EVERYBODY = "Everybody";

/** Checks a seed's shape and cross-references; throws an Error naming every problem. */
export function validateSeed(input: unknown, source = "seed"): EmulatorSeed {
    const parsed = seedSchema.safeParse(input);
    if (!parsed.success) throw new Error(`${source}: invalid seed\n${z.prettifyError(parsed.error)}`);
    const seed = parsed.data;
    const problems: string[] = [];
    const duplicates = (what: string, ids: string[]) => {
        const seen = new Set<string>();
        for (const id of ids) {
            if (seen.has(id)) problems.push(`duplicate ${what} '${id}'`);
            seen.add(id);
        }
    };
    duplicates("directory uuid", seed.directories.map((d) => d.uuid));
    duplicates("directory user uuid", seed.directoryUsers.map((u) => u.uuid));
    duplicates("role id", seed.roles.map((r) => r.id));
    for (const pattern of seed.oauth.allowedRest ?? []) {
        try {
            new RegExp(pattern);
        } catch {
            problems.push(`oauth.allowedRest: '${pattern}' is not a regular expression`);
        }
    }
    const directories = new Set(seed.directories.map((d) => d.uuid));
    for (const u of seed.directoryUsers) {
        if (!directories.has(u.directoryUuid)) problems.push(`directory user '${u.userName}' names an unknown directory '${u.directoryUuid}'`);
    }
    if (problems.length > 0) throw new Error(`${source}: invalid seed\n${problems.map((p) => `✖ ${p}`).join("\n")}`);
    return seed;
}

/** Reads a YAML or JSON seed file (JSON is YAML). */
export function loadSeed(file: string): EmulatorSeed {
    let data: unknown;
    try {
        data = parse(readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`${file}: not a YAML or JSON seed: ${(e as Error).message}`);
    }
    return validateSeed(data, file);
}
