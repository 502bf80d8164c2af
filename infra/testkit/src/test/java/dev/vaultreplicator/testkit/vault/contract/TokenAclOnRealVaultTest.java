package dev.vaultreplicator.testkit.vault.contract;

import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealVaultAvailable.class)
class TokenAclOnRealVaultTest extends TokenAclContract {
    TokenAclOnRealVaultTest() {
        super(VaultTargets.real());
    }
}
