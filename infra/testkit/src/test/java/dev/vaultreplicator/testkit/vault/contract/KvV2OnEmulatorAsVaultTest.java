package dev.vaultreplicator.testkit.vault.contract;

/** The emulator answering as HashiCorp Vault, held to Vault's documented answers where they differ from OpenBao's. */
class KvV2OnEmulatorAsVaultTest extends KvV2Contract {
    KvV2OnEmulatorAsVaultTest() {
        super(VaultTargets.emulatorAsVault());
    }
}
