import { randomUUID } from "node:crypto";

/**
 * A Graph error answer. Graph's envelope ("Microsoft Graph error responses and resource types", concepts/errors.md):
 * {"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}} with the HTTP status.
 */
export class GraphError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        readonly headers: Record<string, string> = {},
    ) {
        super(message);
    }
}

export function errorBody(error: GraphError, requestId: string, clientRequestId: string): unknown {
    return {
        error: {
            code: error.code,
            message: error.message,
            innerError: { date: new Date().toISOString().slice(0, 19), "request-id": requestId, "client-request-id": clientRequestId },
        },
    };
}

export const newRequestId = () => randomUUID();

/** Graph's answer for an id or UPN that names no user (or one not visible yet). */
export const resourceNotFound = (id: string) =>
    new GraphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

/** Directory writes and reads refused for want of a permission in the token's roles. */
export const insufficientPrivileges = () => new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

export const badRequest = (message: string, code = "Request_BadRequest") => new GraphError(400, code, message);
