package dev.vaultreplicator.testkit.vault.contract;

import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealVaultAvailable.class)
class KvV1OnRealVaultTest extends KvV1Contract {
    KvV1OnRealVaultTest() {
        super(VaultTargets.real());
    }
}
