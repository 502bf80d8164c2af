package dev.vaultreplicator.testkit.vault.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vaultreplicator.testkit.vault.AuditDeclaration;
import dev.vaultreplicator.testkit.vault.AuditListener;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The socket audit device (vault-api.md §10; Vault's "Socket audit device" and "Audit devices"
 * pages): a probe on enable, a request and a response entry per call, strings HMAC'd, fail-closed.
 * Each test's devices are declared the way the server takes them: in OpenBao's config file (then
 * SIGHUP), or through {@code sys/audit} on Vault.
 */
abstract class AuditContract {

    private static final String HMAC = "hmac-sha256:[0-9a-f]{64}";

    final VaultTarget target;
    VaultHttp vault;
    AuditListener listener;
    String device;

    AuditContract(VaultTarget target) {
        this.target = target;
    }

    @BeforeEach
    void enable() throws Exception {
        vault = target.http();
        listener = new AuditListener();
        device = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        target.declareAuditDevices(List.of(AuditDeclaration.socket(device, listener.address())));
    }

    @AfterEach
    void disable() throws Exception {
        target.declareAuditDevices(List.of());
        listener.close();
    }

    @Test
    void onlyVaultEnablesAnAuditDeviceThroughTheApi() {
        var enabled = vault.post("sys/audit/by-api", Map.of("type", "file", "options", Map.of("file_path", "/dev/null")));

        if (target.isOpenBao()) {
            // OpenBao 2.x, seen on the real server: only the config file declares audit devices.
            assertThat(enabled.status()).isEqualTo(400);
            assertThat(enabled.errors().get(0).asText()).isEqualTo("cannot enable audit device via API; use "
                    + "declarative, config-based audit device management instead");
            assertThat(vault.get("sys/audit").data().has("by-api/")).isFalse();
        } else {
            // Vault: PUT sys/audit/:path (vault-api.md §10).
            assertThat(enabled.status()).isEqualTo(204);
            assertThat(vault.get("sys/audit").data().has("by-api/")).isTrue();
            assertThat(vault.delete("sys/audit/by-api").status()).isEqualTo(204);
        }
    }

    @Test
    void enablingWritesATestProbe() {
        await().atMost(Duration.ofSeconds(5)).until(() -> !listener.entries().isEmpty());

        JsonNode probe = listener.entries().get(0);
        assertThat(probe.get("type").asText()).isEqualTo("request");
        assertThat(probe.at("/request/path").asText()).isEqualTo("sys/audit/test");
        assertThat(probe.at("/request/operation").asText()).isEqualTo("update");
    }

    @Test
    void aWriteIsAuditedAsARequestAndAResponseWithValuesHashed() {
        String key = "contract/" + UUID.randomUUID();
        var write = vault.post("secret/data/" + key, Map.of("data", Map.of("password", "canary-value")));

        List<JsonNode> entries = await().atMost(Duration.ofSeconds(5)).until(
                () -> entriesFor("secret/data/" + key), found -> found.size() == 2);

        JsonNode request = entries.get(0);
        JsonNode response = entries.get(1);
        // Capture proves its audit stream by hearing the line of a request of its own, by this id.
        assertThat(request.at("/request/id").asText()).isEqualTo(write.json().get("request_id").asText());
        assertThat(request.get("type").asText()).isEqualTo("request");
        assertThat(response.get("type").asText()).isEqualTo("response");
        assertThat(response.at("/request/id").asText()).isEqualTo(request.at("/request/id").asText());
        assertThat(request.at("/request/operation").asText()).isEqualTo("create");
        assertThat(request.at("/request/mount_point").asText()).isEqualTo("secret/");
        assertThat(request.at("/request/mount_type").asText()).isEqualTo("kv");
        assertThat(request.at("/request/data/data/password").asText()).matches(HMAC);
        assertThat(request.at("/auth/client_token").asText()).matches(HMAC);
        assertThat(response.at("/response/data/version").asInt()).as("numbers stay plain").isEqualTo(1);
        assertThat(response.at("/response/data/destroyed").isBoolean()).isTrue();
        if (target.isOpenBao()) {
            // OpenBao 2.7.2, seen on the real server: a string that parses as an RFC 3339 time stays
            // in clear (internal/audit/hashstructure.go); the empty deletion_time does not parse.
            assertThat(response.at("/response/data/created_time").asText())
                    .isEqualTo(vault.get("secret/metadata/" + key).data().at("/versions/1/created_time").asText());
            assertThat(request.at("/auth/policy_results/granting_policies/0/name").asText()).isEqualTo("root");
        } else {
            // Vault: every string is hashed, created_time too (vault-api.md §10, published logs).
            assertThat(response.at("/response/data/created_time").asText()).matches(HMAC);
        }
        assertThat(response.at("/response/data/deletion_time").asText()).matches(HMAC);
        assertThat(response.get("time").asText()).endsWith("Z");
        assertThat(listener.entries().toString()).doesNotContain("canary-value");

        var hash = vault.post("sys/audit-hash/" + device, Map.of("input", "canary-value"));
        assertThat(hash.data().get("hash").asText()).isEqualTo(request.at("/request/data/data/password").asText());
    }

    @Test
    void aDeniedRequestIsAuditedWithItsError() {
        var created = vault.post("auth/token/create", Map.of("policies", List.of("default"), "ttl", "1h"));
        VaultHttp weak = vault.as(created.json().at("/auth/client_token").asText());
        String key = "contract/" + UUID.randomUUID();

        assertThat(weak.get("secret/data/" + key).status()).isEqualTo(403);

        List<JsonNode> entries = await().atMost(Duration.ofSeconds(5)).until(
                () -> entriesFor("secret/data/" + key), found -> found.size() == 2);
        assertThat(entries.get(0).get("error").asText()).contains("permission denied");
        assertThat(entries.get(0).at("/auth/policy_results/allowed").asBoolean()).isFalse();
    }

    @Test
    void whenEveryAuditDeviceFailsTheRequestFailsAndNothingChanges() throws Exception {
        target.assumeOwned("break audit devices on");
        var others = vault.get("sys/audit").data();
        org.junit.jupiter.api.Assumptions.assumeTrue(others.size() == 1, "another audit device would still succeed");
        listener.close();
        // A write into a connection the peer just closed can still succeed; the device notices the
        // reset on a later write. Once a request fails, the device has no connection left.
        await().atMost(Duration.ofSeconds(10)).until(() -> vault.get("secret/data/probe").status() == 500);
        String key = "contract/" + UUID.randomUUID();

        var write = vault.post("secret/data/" + key, Map.of("data", Map.of("v", "1")));

        listener.reopen();
        var read = vault.get("secret/data/" + key);

        assertThat(write.status()).isEqualTo(500);
        assertThat(read.status()).as("the write did not run").isEqualTo(404);
    }

    @Test
    void aFileDeviceBesideTheSocketKeepsVaultAnsweringWhileTheSocketIsDown() throws Exception {
        target.assumeOwned("write audit files on");
        Path file = Files.createTempDirectory("audit-contract").resolve("audit.log");
        String fileDevice = device + "-file";
        target.declareAuditDevices(List.of(AuditDeclaration.socket(device, listener.address()),
                AuditDeclaration.file(fileDevice, file)));
        try {
            listener.close();
            String key = "contract/" + UUID.randomUUID();

            var write = vault.post("secret/data/" + key, Map.of("data", Map.of("password", "canary-value")));

            assertThat(write.status()).isEqualTo(200);
            assertThat(vault.get("sys/audit").data().path(fileDevice + "/").path("type").asText()).isEqualTo("file");
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).anyMatch(line -> line.contains("\"secret/data/" + key + "\""));
            assertThat(lines).noneMatch(line -> line.contains("canary-value"));
        } finally {
            listener.reopen();
        }
    }

    private List<JsonNode> entriesFor(String path) {
        return listener.entries().stream().filter(e -> path.equals(e.at("/request/path").asText())).toList();
    }
}
