/**
 * A local Microsoft Graph for one tenant: the client-credentials token endpoint and the Graph v1.0 calls the
 * licence capability and the read-only preflight make, with Graph's shapes, permissions and errors (each endpoint
 * names the reference page it follows), a call log, and faults set at run time. HTTPS on loopback with a
 * certificate made at start (see tls.ts for why).
 */
export { emulatorGraphClient } from "./client";
export { emulatorCredential } from "./credential";
export type { GraphFaults } from "./faults";
export { loadGraphSeed, validateGraphSeed } from "./seed";
export { startGraphEmulator } from "./server";
export type { GraphEmulator, GraphEmulatorOptions } from "./server";
export type { GraphState, RoleAssignment } from "./state";
export { emulatorFetch } from "./transport";
export type { CallRecord, Fault, GraphSeed, GraphSku, GraphUser, LicenseAssignment, SeedApp, SeedGroup, SeedRoleAssignment, SeedSku, SeedUser } from "./types";
