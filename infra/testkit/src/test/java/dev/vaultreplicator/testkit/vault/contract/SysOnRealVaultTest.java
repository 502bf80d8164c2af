package dev.vaultreplicator.testkit.vault.contract;

import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealVaultAvailable.class)
class SysOnRealVaultTest extends SysContract {
    SysOnRealVaultTest() {
        super(VaultTargets.real());
    }
}
