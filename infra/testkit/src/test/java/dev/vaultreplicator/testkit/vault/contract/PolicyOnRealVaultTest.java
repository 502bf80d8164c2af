package dev.vaultreplicator.testkit.vault.contract;

import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealVaultAvailable.class)
class PolicyOnRealVaultTest extends PolicyContract {
    PolicyOnRealVaultTest() {
        super(VaultTargets.real());
    }
}
