package dev.vaultreplicator.testkit.vault.contract;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Assumptions;

import dev.vaultreplicator.testkit.vault.AuditDeclaration;
import dev.vaultreplicator.testkit.vault.core.Flavour;

/**
 * A Vault the contract runs against, and which server it answers as. {@code ownsServer} says the
 * suite may seal it or break its audit devices; a Vault named by {@code VAULT_ADDR} is someone
 * else's, so those tests skip there. {@code auditDevices} makes the test's audit devices exactly
 * the given ones, the way this server takes them: declared (OpenBao) or through {@code sys/audit}.
 */
record VaultTarget(String name, Flavour flavour, String address, String rootToken, boolean ownsServer,
                   Optional<String> unsealKey, Consumer<List<AuditDeclaration>> auditDevices,
                   String unavailableReason) {

    static VaultTarget unavailable(String name, String reason) {
        return new VaultTarget(name, Flavour.OPENBAO, null, null, false, Optional.empty(), devices -> { }, reason);
    }

    VaultHttp http() {
        if (unavailableReason != null) {
            throw new IllegalStateException(name + " is not available: " + unavailableReason);
        }
        return new VaultHttp(address, rootToken);
    }

    void declareAuditDevices(List<AuditDeclaration> devices) {
        auditDevices.accept(devices);
    }

    boolean isOpenBao() {
        return flavour == Flavour.OPENBAO;
    }

    void assumeOwned(String why) {
        Assumptions.assumeTrue(ownsServer, () -> name + " is not ours to " + why);
    }

    @Override
    public String toString() {
        return name;
    }
}
