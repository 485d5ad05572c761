/**
 * Which identity the doctor signs in as. `deploying`: the one `pulumi up` uses (deploy.yml, or a person's own
 * credentials): it must be able to make every change. `read-only`: the one previews and the drift check use
 * (preview.yml): it must be able to read everything the program reads, and should not be able to write.
 */
export const IDENTITIES = ["deploying", "read-only"] as const;
export type Identity = (typeof IDENTITIES)[number];
