package dev.vaultreplicator.testkit.vault.contract;

class KvV2OnEmulatorTest extends KvV2Contract {
    KvV2OnEmulatorTest() {
        super(VaultTargets.emulator());
    }
}
