/**
 * The licences firms commonly buy, so that users.yaml can name them and validation and the offline plan work
 * without a tenant. From Microsoft's "Product names and service plan identifiers for licensing"
 * (learn.microsoft.com/entra/identity/users/licensing-service-plan-reference; MicrosoftDocs/entra-docs,
 * docs/identity/users/licensing-service-plan-reference.md, updated October 2025): the product name shown in the
 * admin centres, the String ID (Graph's `skuPartNumber`) and the GUID (Graph's `skuId`). A name not in this
 * table is resolved against the tenant's own subscriptions (`GET /subscribedSkus`) when deploying.
 */
export interface LicenseSku {
    productName: string;
    /** Graph's skuPartNumber (the "String ID"). */
    partNumber: string;
    /** Graph's skuId. */
    skuId: string;
    /** Names the product was sold under before, which exports and older procedures still use. */
    formerNames?: readonly string[];
}

export const LICENSE_SKUS: readonly LicenseSku[] = [
    { productName: "Microsoft 365 Business Basic", partNumber: "O365_BUSINESS_ESSENTIALS", skuId: "3b555118-da6a-4418-894f-7df1e2096870", formerNames: ["Office 365 Business Essentials"] },
    { productName: "Microsoft 365 Business Standard", partNumber: "O365_BUSINESS_PREMIUM", skuId: "f245ecc8-75af-4f8e-b61f-27d8114de5f3", formerNames: ["Office 365 Business Premium"] },
    { productName: "Microsoft 365 Business Premium", partNumber: "SPB", skuId: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", formerNames: ["Microsoft 365 Business"] },
    { productName: "Microsoft 365 Apps for business", partNumber: "O365_BUSINESS", skuId: "cdd28e44-67e3-425e-be4c-737fab2899d3", formerNames: ["Office 365 Business"] },
    { productName: "Microsoft 365 E3", partNumber: "SPE_E3", skuId: "05e9a617-0261-4cee-bb44-138d3ef5d965" },
    { productName: "Microsoft 365 E5", partNumber: "SPE_E5", skuId: "06ebc4ee-1bb5-47dd-8120-11324bc54e06" },
    { productName: "Microsoft 365 F3", partNumber: "SPE_F1", skuId: "66b55226-6b4f-492c-910c-a3b7a3c9d993" },
    { productName: "Office 365 E1", partNumber: "STANDARDPACK", skuId: "18181a46-0d4e-45cd-891e-60aabd171b4e" },
    { productName: "Office 365 E3", partNumber: "ENTERPRISEPACK", skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900" },
    { productName: "Office 365 E5", partNumber: "ENTERPRISEPREMIUM", skuId: "c7df2760-2c81-4ef7-b578-5b5392b571df" },
    { productName: "Office 365 F3", partNumber: "DESKLESSPACK", skuId: "4b585984-651b-448a-9e53-3b10f069cf7f" },
    { productName: "Exchange Online (Plan 1)", partNumber: "EXCHANGESTANDARD", skuId: "4b9405b0-7788-4568-add1-99614e613b69" },
    { productName: "Exchange Online (Plan 2)", partNumber: "EXCHANGEENTERPRISE", skuId: "19ec0d23-8335-4cbd-94ac-6050e30712fa" },
    { productName: "Exchange Online Kiosk", partNumber: "EXCHANGEDESKLESS", skuId: "80b2d799-d2ba-4d2a-8842-fb0d0f3a4b82" },
    { productName: "Exchange Online Archiving for Exchange Online", partNumber: "EXCHANGEARCHIVE_ADDON", skuId: "ee02fd1b-340e-4a4b-b355-4a514e4c8943" },
    { productName: "Microsoft Entra ID P1", partNumber: "AAD_PREMIUM", skuId: "078d2b04-f1bd-4111-bbd4-b4b1b354cef4", formerNames: ["Azure Active Directory Premium P1"] },
    { productName: "Microsoft Entra ID P2", partNumber: "AAD_PREMIUM_P2", skuId: "84a661c4-e949-4bd2-a560-ed7766fcaf2b", formerNames: ["Azure Active Directory Premium P2"] },
    { productName: "Enterprise Mobility + Security E3", partNumber: "EMS", skuId: "efccb6f7-5641-4e0e-bd10-b4976e1bf68e" },
    { productName: "Power BI Pro", partNumber: "POWER_BI_PRO", skuId: "f8a1db68-be16-40ed-86d5-cb42ce701560" },
    { productName: "Microsoft 365 Audio Conferencing", partNumber: "MCOMEETADV", skuId: "0c266dff-15dd-4b49-8397-2bb16070ed52" },
    { productName: "Copilot for Microsoft 365", partNumber: "Microsoft_365_Copilot", skuId: "639dec6b-bb19-468b-871c-c5c441c4b0cb" },
];

const normalise = (name: string) => name.trim().replace(/\s+/g, " ").toLowerCase();

const byName = new Map<string, { sku: LicenseSku; former: boolean }>();
for (const sku of LICENSE_SKUS) {
    byName.set(normalise(sku.productName), { sku, former: false });
    byName.set(normalise(sku.partNumber), { sku, former: false });
    for (const name of sku.formerNames ?? []) byName.set(normalise(name), { sku, former: true });
}

/** How users.yaml's licence name reads against the table: a current name or part number, a former name, or unknown. */
export type LicenseLookup = { kind: "known"; sku: LicenseSku } | { kind: "former"; sku: LicenseSku } | { kind: "unknown" };

/** Looks a licence up by product name, part number or former name, ignoring case and repeated spaces. */
export function lookupLicense(name: string): LicenseLookup {
    const found = byName.get(normalise(name));
    if (!found) return { kind: "unknown" };
    return { kind: found.former ? "former" : "known", sku: found.sku };
}

/** Every name the table accepts, for did-you-mean suggestions. */
export function licenseNames(): string[] {
    return LICENSE_SKUS.flatMap((s) => [s.productName, s.partNumber]);
}

/**
 * The one key a licence is compared by: the skuId when the table knows the name, else the name itself (lower-case),
 * so that "SPB" and "Microsoft 365 Business Premium" in two places of users.yaml are one licence.
 */
export function licenseKey(name: string): string {
    const found = lookupLicense(name);
    return found.kind === "unknown" ? `name:${normalise(name)}` : found.sku.skuId;
}
