/**
 * A local Practice Protect API emulator: a CyberArk Identity tenant on loopback that behaves as
 * /work/shared/practice-protect-api.md describes (choices on (M)/(L) facts are noted where they are made).
 */
export { loadSeed, validateSeed } from "./seed";
export { startEmulator } from "./server";
export type {
    CallRecord,
    DirectoryUser,
    Emulator,
    EmulatorOptions,
    EmulatorSeed,
    EmulatorState,
    Fault,
    Invite,
    PortalStatus,
    Role,
    RoleMember,
    SeedDirectoryUser,
} from "./types";
