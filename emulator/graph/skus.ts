import type { Endpoint } from "./endpoint";
import { contextFragment, project, selectedProperties, type EntityType } from "./odata";
import type { GraphSku } from "./types";

const SUBSCRIBED_SKU: EntityType = {
    typeName: "Microsoft.DirectoryServices.SubscribedSku",
    properties: ["accountId", "accountName", "appliesTo", "capabilityStatus", "consumedUnits", "id", "prepaidUnits", "servicePlans", "skuId", "skuPartNumber", "subscriptionIds"],
    defaults: ["accountId", "accountName", "appliesTo", "capabilityStatus", "consumedUnits", "id", "prepaidUnits", "servicePlans", "skuId", "skuPartNumber", "subscriptionIds"],
};

function representation(sku: GraphSku, tenantId: string, tenantName: string): Record<string, unknown> {
    return {
        accountId: tenantId,
        accountName: tenantName,
        appliesTo: sku.appliesTo,
        capabilityStatus: sku.capabilityStatus,
        consumedUnits: sku.consumedUnits,
        // "<tenant id>_<sku id>", as in the reference's example
        id: `${tenantId}_${sku.skuId}`,
        prepaidUnits: { ...sku.prepaidUnits },
        servicePlans: sku.servicePlans.map((p) => ({ ...p })),
        skuId: sku.skuId,
        skuPartNumber: sku.skuPartNumber,
        subscriptionIds: [],
    };
}

export const SKU_ENDPOINTS: Endpoint[] = [
    {
        method: "GET",
        path: /^\/subscribedSkus$/,
        // "List subscribedSkus" (includes/permissions/subscribedsku-list-permissions.md), application permissions.
        permissions: ["Organization.Read.All", "Directory.Read.All", "Directory.ReadWrite.All", "Organization.ReadWrite.All"],
        handle(call) {
            // Supports only $select; not paged.
            const properties = selectedProperties(call.query, SUBSCRIBED_SKU);
            const { id, displayName } = call.state.tenant;
            return {
                body: {
                    "@odata.context": `${call.graphRoot}/$metadata#${contextFragment("subscribedSkus", call.query, properties)}`,
                    value: [...call.state.skus.values()].map((s) => project(representation(s, id, displayName), properties)),
                },
            };
        },
    },
];
