import { readFileSync } from "node:fs";
import { parse } from "yaml";
import * as z from "zod";
import type { GraphSeed } from "./types";

const nonEmpty = z.string().min(1);
const count = z.number().int().nonnegative();

const seedSchema = z
    .object({
        tenant: z.object({ id: nonEmpty, displayName: nonEmpty, initialDomain: nonEmpty, domains: z.array(nonEmpty).optional() }).strict(),
        apps: z.array(
            z
                .object({ clientId: nonEmpty, clientSecret: nonEmpty, displayName: nonEmpty.optional(), servicePrincipalId: nonEmpty.optional(), roles: z.array(nonEmpty) })
                .strict(),
        ),
        tokenLifetimeSeconds: z.number().positive().optional(),
        skus: z.array(
            z
                .object({
                    skuId: nonEmpty,
                    skuPartNumber: nonEmpty,
                    capabilityStatus: z.enum(["Enabled", "Warning", "Suspended", "Deleted", "LockedOut"]).optional(),
                    appliesTo: z.enum(["User", "Company"]).optional(),
                    prepaidUnits: z.object({ enabled: count, suspended: count.optional(), warning: count.optional(), lockedOut: count.optional() }).strict(),
                    consumedUnits: count.optional(),
                    servicePlans: z.array(
                        z
                            .object({ servicePlanId: nonEmpty, servicePlanName: nonEmpty, provisioningStatus: nonEmpty.optional(), appliesTo: z.enum(["User", "Company"]).optional() })
                            .strict(),
                    ),
                })
                .strict(),
        ),
        users: z.array(
            z
                .object({
                    id: nonEmpty,
                    userPrincipalName: nonEmpty,
                    displayName: nonEmpty,
                    givenName: nonEmpty.optional(),
                    surname: nonEmpty.optional(),
                    mail: nonEmpty.optional(),
                    jobTitle: nonEmpty.optional(),
                    mobilePhone: nonEmpty.optional(),
                    accountEnabled: z.boolean().optional(),
                    onPremisesSyncEnabled: z.boolean().optional(),
                    usageLocation: z.string().regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 code such as AU").optional(),
                    licenses: z.array(z.object({ skuId: nonEmpty, disabledPlans: z.array(nonEmpty).optional(), assignedByGroup: nonEmpty.optional() }).strict()).optional(),
                    hiddenForRequests: count.optional(),
                    createdDateTime: z.iso.datetime().optional(),
                    lastPasswordChangeDateTime: z.iso.datetime().optional(),
                })
                .strict(),
        ),
        groups: z
            .array(
                z
                    .object({
                        id: nonEmpty,
                        displayName: nonEmpty,
                        description: z.string().optional(),
                        securityEnabled: z.boolean().optional(),
                        mailEnabled: z.boolean().optional(),
                        groupTypes: z.array(nonEmpty).optional(),
                        mailNickname: nonEmpty.optional(),
                        members: z.array(nonEmpty).optional(),
                        isAssignableToRole: z.boolean().optional(),
                    })
                    .strict(),
            )
            .optional(),
        roleAssignments: z
            .array(z.object({ id: nonEmpty.optional(), principalId: nonEmpty, roleDefinitionId: nonEmpty, directoryScopeId: nonEmpty.optional() }).strict())
            .optional(),
        vaults: z
            .array(z.object({ name: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/, "a Key Vault name: 3-24 letters, digits and hyphens"), secretWriters: z.array(nonEmpty) }).strict())
            .optional(),
    })
    .strict();

/** Checks a seed's shape and cross-references; throws an Error naming every problem. */
export function validateGraphSeed(input: unknown, source = "seed"): GraphSeed {
    const parsed = seedSchema.safeParse(input);
    if (!parsed.success) throw new Error(`${source}: invalid Graph seed\n${z.prettifyError(parsed.error)}`);
    const seed = parsed.data;
    const problems: string[] = [];
    const unique = (what: string, values: string[]) => {
        const seen = new Set<string>();
        for (const v of values.map((v) => v.toLowerCase())) {
            if (seen.has(v)) problems.push(`duplicate ${what} '${v}'`);
            seen.add(v);
        }
    };
    unique("app clientId", seed.apps.map((a) => a.clientId));
    unique("skuId", seed.skus.map((s) => s.skuId));
    unique("user id", seed.users.map((u) => u.id));
    unique("userPrincipalName", seed.users.map((u) => u.userPrincipalName));
    unique("group id", (seed.groups ?? []).map((g) => g.id));

    unique("vault name", (seed.vaults ?? []).map((v) => v.name));
    const apps = new Set(seed.apps.map((a) => a.clientId.toLowerCase()));
    for (const v of seed.vaults ?? []) for (const w of v.secretWriters) if (!apps.has(w.toLowerCase())) problems.push(`vault '${v.name}': secret writer '${w}' is not a seeded app`);
    const skus = new Map(seed.skus.map((s) => [s.skuId.toLowerCase(), s]));
    const groups = new Set((seed.groups ?? []).map((g) => g.id.toLowerCase()));
    const userIds = new Set(seed.users.map((u) => u.id.toLowerCase()));
    for (const g of seed.groups ?? []) for (const m of g.members ?? []) if (!userIds.has(m.toLowerCase())) problems.push(`group '${g.displayName}': member '${m}' is not a seeded user`);
    // "group resource type", isAssignableToRole: securityEnabled must be true and groupTypes cannot contain DynamicMembership.
    for (const g of seed.groups ?? []) {
        if (g.isAssignableToRole && (g.securityEnabled === false || (g.groupTypes ?? []).includes("DynamicMembership"))) {
            problems.push(`group '${g.displayName}': a role-assignable group must be security-enabled and cannot have dynamic membership`);
        }
    }
    const holders = new Map<string, number>();
    for (const u of seed.users) {
        const held = new Set<string>();
        for (const l of u.licenses ?? []) {
            const sku = skus.get(l.skuId.toLowerCase());
            if (!sku) {
                problems.push(`user '${u.userPrincipalName}' holds unknown skuId '${l.skuId}'`);
                continue;
            }
            const plans = new Set(sku.servicePlans.map((p) => p.servicePlanId.toLowerCase()));
            for (const p of l.disabledPlans ?? []) if (!plans.has(p.toLowerCase())) problems.push(`user '${u.userPrincipalName}': disabled plan '${p}' is not a plan of ${sku.skuPartNumber}`);
            if (l.assignedByGroup && !groups.has(l.assignedByGroup.toLowerCase())) problems.push(`user '${u.userPrincipalName}': assignedByGroup '${l.assignedByGroup}' is not a seeded group`);
            held.add(sku.skuId.toLowerCase());
        }
        for (const s of held) holders.set(s, (holders.get(s) ?? 0) + 1);
    }
    for (const s of seed.skus) {
        const held = holders.get(s.skuId.toLowerCase()) ?? 0;
        if (s.consumedUnits !== undefined && s.consumedUnits < held) problems.push(`${s.skuPartNumber}: consumedUnits ${s.consumedUnits} is fewer than the ${held} seeded users holding it`);
    }
    if (problems.length > 0) throw new Error(`${source}: invalid Graph seed\n${problems.map((p) => `✖ ${p}`).join("\n")}`);
    return seed;
}

/** Reads a YAML or JSON seed file (JSON is YAML). */
export function loadGraphSeed(file: string): GraphSeed {
    let data: unknown;
    try {
        data = parse(readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`${file}: not a YAML or JSON seed: ${(e as Error).message}`);
    }
    return validateGraphSeed(data, file);
}
