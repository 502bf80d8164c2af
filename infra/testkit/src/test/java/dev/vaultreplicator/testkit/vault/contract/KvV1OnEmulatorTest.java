package dev.vaultreplicator.testkit.vault.contract;

class KvV1OnEmulatorTest extends KvV1Contract {
    KvV1OnEmulatorTest() {
        super(VaultTargets.emulator());
    }
}
