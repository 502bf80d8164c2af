package dev.vaultreplicator.testkit.vault.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code sys/health}, {@code sys/mounts}, {@code sys/seal} and {@code sys/unseal} (vault-api.md §7 to §9). */
abstract class SysContract {

    final VaultTarget target;
    VaultHttp vault;

    SysContract(VaultTarget target) {
        this.target = target;
    }

    @BeforeEach
    void connect() {
        vault = target.http();
    }

    @Test
    void healthIsUnauthenticatedAndBare() {
        var health = vault.as(null).get("sys/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("initialized").asBoolean()).isTrue();
        assertThat(health.json().get("sealed").asBoolean()).isFalse();
        assertThat(health.json().get("standby").asBoolean()).isFalse();
        assertThat(health.json().get("server_time_utc").asLong()).isPositive();
        assertThat(health.json().has("request_id")).as("no envelope").isFalse();
    }

    @Test
    void healthAnswersWithTheRequestedCode() {
        assertThat(vault.get("sys/health?activecode=299").status()).isEqualTo(299);
        assertThat(vault.get("sys/health?activecode=abc").status()).isEqualTo(400);
        assertThat(vault.call("HEAD", "sys/health", null).status()).isEqualTo(200);
    }

    @Test
    void mountsListSecretAsKvVersion2() {
        var mounts = vault.get("sys/mounts");

        assertThat(mounts.data().at("/secret~1/type").asText()).isEqualTo("kv");
        assertThat(mounts.data().at("/secret~1/options/version").asText()).isEqualTo("2");
        assertThat(mounts.json().at("/secret~1/type").asText()).as("injected at the top level").isEqualTo("kv");
    }

    @Test
    void aMountPathCanBeTakenOnlyOnce() {
        String path = "contract-m-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(vault.post("sys/mounts/" + path, Map.of("type", "kv-v2")).status()).isEqualTo(204);

        var again = vault.post("sys/mounts/" + path, Map.of("type", "kv-v2"));
        var described = vault.get("sys/mounts/" + path);

        // OpenBao 2.7.2, seen on the real server: 400; Vault: 409 (vault-api.md §3).
        assertThat(again.status()).isEqualTo(target.isOpenBao() ? 400 : 409);
        assertThat(again.errors().get(0).asText()).isEqualTo("path is already in use at " + path + "/");
        assertThat(described.data().at("/options/version").asText()).isEqualTo("2");
        assertThat(vault.delete("sys/mounts/" + path).status()).isEqualTo(204);
    }

    @Test
    void sealedVaultAnswers503UntilUnsealed() {
        target.assumeOwned("seal");
        String key = target.unsealKey().orElseThrow();

        assertThat(vault.post("sys/seal", null).status()).isEqualTo(204);
        try {
            var read = vault.get("secret/data/anything");
            var health = vault.get("sys/health");
            var status = vault.get("sys/seal-status");

            assertThat(read.status()).isEqualTo(503);
            assertThat(read.errors().get(0).asText()).isEqualTo("Vault is sealed");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("sealed").asBoolean()).isTrue();
            assertThat(status.json().get("sealed").asBoolean()).isTrue();
        } finally {
            var unsealed = vault.post("sys/unseal", Map.of("key", key));
            assertThat(unsealed.json().get("sealed").asBoolean()).isFalse();
        }
        assertThat(vault.get("sys/health").status()).isEqualTo(200);
    }

    @Test
    void unsealNeedsAKey() {
        var missing = vault.post("sys/unseal", Map.of());

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errors().get(0).asText())
                .isEqualTo("'key' must be specified in request body as JSON, or 'reset' set to true");
    }
}
