/** The service account's first password, generated in the provider and kept in a Key Vault, never in the state. */
export { VaultedPassword, VaultedPasswordArgs, vaultedPasswordProvider } from "./vaultedPassword";
