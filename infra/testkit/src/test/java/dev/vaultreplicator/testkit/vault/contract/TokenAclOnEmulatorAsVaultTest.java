package dev.vaultreplicator.testkit.vault.contract;

/** The emulator answering as HashiCorp Vault, held to Vault's documented answers where they differ from OpenBao's. */
class TokenAclOnEmulatorAsVaultTest extends TokenAclContract {
    TokenAclOnEmulatorAsVaultTest() {
        super(VaultTargets.emulatorAsVault());
    }
}
