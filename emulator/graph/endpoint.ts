import type { GraphState } from "./state";
import type { Caller } from "./tokens";

/** A Graph call as an endpoint sees it: authenticated, body parsed. */
export interface GraphCall {
    state: GraphState;
    caller: Caller;
    url: URL;
    query: URLSearchParams;
    body: unknown;
    /** e.g. https://127.0.0.1:PORT/v1.0, for @odata.context and nextLinks */
    graphRoot: string;
    /** path parameters, decoded */
    params: string[];
}

export interface Endpoint {
    method: "GET" | "POST" | "PATCH" | "DELETE";
    /** matched against the path after /v1.0, case-insensitively; groups are the params */
    path: RegExp;
    /** the application permissions of which the caller needs one (from the endpoint's Graph reference page) */
    permissions: readonly string[];
    handle(call: GraphCall): { status?: number; body: unknown };
}
