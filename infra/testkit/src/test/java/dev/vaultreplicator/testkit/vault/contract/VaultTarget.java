package dev.vaultreplicator.testkit.vault.contract;

import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * A Vault the contract runs against. {@code ownsServer} says the suite may seal it or break its
 * audit devices; a Vault named by {@code VAULT_ADDR} is someone else's, so those tests skip there.
 */
record VaultTarget(String name, String address, String rootToken, boolean ownsServer, Optional<String> unsealKey,
                   String unavailableReason) {

    static VaultTarget unavailable(String name, String reason) {
        return new VaultTarget(name, null, null, false, Optional.empty(), reason);
    }

    VaultHttp http() {
        if (unavailableReason != null) {
            throw new IllegalStateException(name + " is not available: " + unavailableReason);
        }
        return new VaultHttp(address, rootToken);
    }

    void assumeOwned(String why) {
        Assumptions.assumeTrue(ownsServer, () -> name + " is not ours to " + why);
    }

    @Override
    public String toString() {
        return name;
    }
}
