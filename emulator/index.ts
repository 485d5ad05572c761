/**
 * A local Practice Protect API emulator: a CyberArk Identity tenant on loopback that behaves as
 * ../shared/practice-protect-api.md (beside this project) describes, its section "Seen in real callers" first:
 * it accepts what CyberArk's SDKs and long-running integrations send and is strict where the platform is.
 * Choices on (M)/(L) facts are noted where they are made; PlatformQuirks plays the alternatives.
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
    PlatformQuirks,
    PortalStatus,
    Role,
    RoleMember,
    SeedDirectoryUser,
} from "./types";
