/** Sent on every call, the token call included; without them the platform may answer with an HTML page. */
export const NATIVE_CLIENT_HEADERS = {
    "X-IDAP-NATIVE-CLIENT": "true",
    "X-CENTRIFY-NATIVE-CLIENT": "true",
} as const;
