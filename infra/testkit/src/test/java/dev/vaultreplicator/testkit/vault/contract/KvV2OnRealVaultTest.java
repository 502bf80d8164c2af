package dev.vaultreplicator.testkit.vault.contract;

import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealVaultAvailable.class)
class KvV2OnRealVaultTest extends KvV2Contract {
    KvV2OnRealVaultTest() {
        super(VaultTargets.real());
    }
}
