package dev.vaultreplicator.testkit.vault.contract;

class TokenAclOnEmulatorTest extends TokenAclContract {
    TokenAclOnEmulatorTest() {
        super(VaultTargets.emulator());
    }
}
