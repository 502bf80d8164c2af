package dev.vaultreplicator.testkit.vault.contract;

class AuditOnEmulatorTest extends AuditContract {
    AuditOnEmulatorTest() {
        super(VaultTargets.emulator());
    }
}
