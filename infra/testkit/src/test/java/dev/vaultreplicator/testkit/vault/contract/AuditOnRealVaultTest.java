package dev.vaultreplicator.testkit.vault.contract;

import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealVaultAvailable.class)
class AuditOnRealVaultTest extends AuditContract {
    AuditOnRealVaultTest() {
        super(VaultTargets.real());
    }
}
