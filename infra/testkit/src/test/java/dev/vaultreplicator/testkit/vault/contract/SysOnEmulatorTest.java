package dev.vaultreplicator.testkit.vault.contract;

class SysOnEmulatorTest extends SysContract {
    SysOnEmulatorTest() {
        super(VaultTargets.emulator());
    }
}
