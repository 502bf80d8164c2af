package dev.vaultreplicator.testkit.vault.contract;

class PolicyOnEmulatorTest extends PolicyContract {
    PolicyOnEmulatorTest() {
        super(VaultTargets.emulator());
    }
}
