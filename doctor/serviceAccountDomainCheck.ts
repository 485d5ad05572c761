import type { ServiceAccountSettings } from "../components/settings";
import type { Check } from "./check";

/** A domain of the tenant as `GET /domains` lists it ("domain resource type"). */
export interface TenantDomain {
    id: string;
    isInitial: boolean;
}

/**
 * The service account lives on the tenant's initial domain (`<name>.onmicrosoft.com`, which cannot be removed or
 * federated): the program looks it up unless serviceAccountDomain says which, and then it must be that same domain.
 */
export function serviceAccountDomainCheck(serviceAccount: ServiceAccountSettings | undefined, domains: readonly TenantDomain[]): Check {
    const base = { id: "entra.serviceAccountDomain", section: "Entra ID" as const, title: "Service account domain" };
    if (!serviceAccount) return { ...base, verdict: "skip", detail: "serviceAccountAccess is not set: this stack manages no service account" };
    const initial = domains.find((d) => d.isInitial);
    if (!initial) return { ...base, verdict: "fail", detail: "the tenant lists no initial domain", advice: ["Check azuread:tenantId (or ARM_TENANT_ID) names the firm's tenant."] };
    if (serviceAccount.domain === undefined) return { ...base, verdict: "pass", detail: `practiceprotect@${initial.id} (the tenant's initial domain, looked up)` };
    if (serviceAccount.domain.toLowerCase() === initial.id.toLowerCase()) return { ...base, verdict: "pass", detail: `practiceprotect@${initial.id}: serviceAccountDomain is the tenant's initial domain` };
    const known = domains.some((d) => d.id.toLowerCase() === serviceAccount.domain!.toLowerCase());
    return {
        ...base,
        verdict: "fail",
        detail: `serviceAccountDomain is ${serviceAccount.domain}, ${known ? "a domain of the tenant but not its initial one" : "not a domain of this tenant"}; the initial domain is ${initial.id}`,
        advice: [`pulumi config set serviceAccountDomain ${initial.id} (or pulumi config rm serviceAccountDomain to look it up).`],
    };
}
