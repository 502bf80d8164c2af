package dev.vaultreplicator.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vaultreplicator.testkit.vault.core.Json;

/** What only the emulator promises: a data directory that survives a restart, and safe concurrent writes. */
class VaultEmulatorTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void aRestartOnTheSameDataDirectoryKeepsSecretsPoliciesTokensAndTheUnsealKey(@TempDir Path dir) throws Exception {
        String token;
        String unsealKey;
        try (VaultEmulator first = VaultEmulator.builder().dataDir(dir).rootToken("root").start()) {
            send(first, "POST", "secret/data/app", "root", "{\"data\":{\"v\":\"1\"}}");
            send(first, "POST", "secret/data/app", "root", "{\"data\":{\"v\":\"2\"}}");
            send(first, "POST", "sys/policies/acl/reader", "root",
                    "{\"policy\":\"path \\\"secret/data/*\\\" { capabilities = [\\\"read\\\"] }\"}");
            token = send(first, "POST", "auth/token/create", "root", "{\"policies\":[\"reader\"]}")
                    .at("/auth/client_token").asText();
            unsealKey = first.unsealKey();
        }

        try (VaultEmulator second = VaultEmulator.builder().dataDir(dir).rootToken("root").start()) {
            JsonNode read = send(second, "GET", "secret/data/app", token, null);

            assertThat(read.at("/data/data/v").asText()).isEqualTo("2");
            assertThat(read.at("/data/metadata/version").asInt()).isEqualTo(2);
            assertThat(second.unsealKey()).isEqualTo(unsealKey);
        }
    }

    @Test
    void theJournalAndItsCompactionsKeepEveryKindOfChange(@TempDir Path dir) throws Exception {
        JsonNode before;
        try (VaultEmulator first = VaultEmulator.builder().dataDir(dir).rootToken("root").journalLimit(2_000).start()) {
            send(first, "POST", "sys/mounts/legacy", "root", "{\"type\":\"kv\"}");
            send(first, "POST", "sys/mounts/gone", "root", "{\"type\":\"kv-v2\"}");
            send(first, "DELETE", "sys/mounts/gone", "root", null);
            for (int i = 1; i <= 60; i++) {
                send(first, "POST", "secret/data/app/k" + (i % 7), "root", "{\"data\":{\"v\":\"" + i + "\"}}");
                send(first, "POST", "legacy/k" + (i % 5), "root", "{\"v\":\"" + i + "\"}");
            }
            send(first, "POST", "secret/metadata/app/k1", "root", "{\"max_versions\":3,\"custom_metadata\":{\"o\":\"p\"}}");
            send(first, "POST", "secret/delete/app/k2", "root", "{\"versions\":[9]}");
            send(first, "POST", "secret/destroy/app/k3", "root", "{\"versions\":[10]}");
            send(first, "DELETE", "secret/metadata/app/k4", "root", null);
            send(first, "DELETE", "legacy/k0", "root", null);
            send(first, "POST", "secret/config", "root", "{\"max_versions\":20}");
            send(first, "POST", "sys/policies/acl/kept", "root", "{\"policy\":\"path \\\"a\\\" { capabilities = [\\\"read\\\"] }\"}");
            send(first, "POST", "sys/policies/acl/dropped", "root", "{\"policy\":\"path \\\"a\\\" { capabilities = [\\\"read\\\"] }\"}");
            send(first, "DELETE", "sys/policies/acl/dropped", "root", null);
            before = everything(first);
        }
        assertThat(dir.toFile().list()).as("compacted at least once: no first-generation journal left")
                .doesNotContain("vault-journal-1.jsonl");

        try (VaultEmulator second = VaultEmulator.builder().dataDir(dir).rootToken("root").start()) {
            assertThat(everything(second)).isEqualTo(before);
        }
    }

    @Test
    void aCrashDuringACompactionLosesNothing(@TempDir Path dir, @TempDir Path crashed) throws Exception {
        try (VaultEmulator first = VaultEmulator.builder().dataDir(dir).rootToken("root").start()) {
            send(first, "POST", "secret/data/a", "root", "{\"data\":{\"v\":\"a\"}}");
            send(first, "POST", "secret/data/b", "root", "{\"data\":{\"v\":\"b\"}}");
        }
        // What a kill leaves while the snapshot of generation 2 is being written: the snapshot of
        // generation 1, its journal with the change to a, and the new journal with the change to b.
        List<String> changes = Files.readAllLines(dir.resolve("vault-journal-1.jsonl"));
        Files.copy(dir.resolve("vault-state.json"), crashed.resolve("vault-state.json"));
        Files.writeString(crashed.resolve("vault-journal-1.jsonl"), changes.get(0) + "\n");
        Files.writeString(crashed.resolve("vault-journal-2.jsonl"), changes.get(1) + "\n");

        try (VaultEmulator restarted = VaultEmulator.builder().dataDir(crashed).rootToken("root").start()) {
            assertThat(send(restarted, "GET", "secret/data/a", "root", null).at("/data/data/v").asText()).isEqualTo("a");
            assertThat(send(restarted, "GET", "secret/data/b", "root", null).at("/data/data/v").asText()).isEqualTo("b");
        }
    }

    /** What a restart must keep, read over HTTP. */
    private static JsonNode everything(VaultEmulator vault) {
        var all = Json.object();
        for (int i = 0; i < 7; i++) {
            all.set("secret/app/k" + i, send(vault, "GET", "secret/metadata/app/k" + i, "root", null).path("data"));
            all.set("secret/app/k" + i + "/data", send(vault, "GET", "secret/data/app/k" + i, "root", null).path("data"));
        }
        for (int i = 0; i < 5; i++) {
            all.set("legacy/k" + i, send(vault, "GET", "legacy/k" + i, "root", null).path("data"));
        }
        all.set("config", send(vault, "GET", "secret/config", "root", null).path("data"));
        all.set("policies", send(vault, "GET", "sys/policies/acl?list=true", "root", null).path("data"));
        all.set("kept", send(vault, "GET", "sys/policies/acl/kept", "root", null).path("data"));
        all.set("mounts", Json.tree(send(vault, "GET", "sys/mounts", "root", null).path("data").properties().stream()
                .map(java.util.Map.Entry::getKey).sorted().toList()));
        return all;
    }

    @Test
    void concurrentWritesToOneKeyEachGetTheirOwnVersion() throws Exception {
        try (VaultEmulator vault = VaultEmulator.start()) {
            Set<Integer> versions = ConcurrentHashMap.newKeySet();
            ExecutorService writers = Executors.newFixedThreadPool(8);
            for (int i = 0; i < 400; i++) {
                writers.submit(() -> versions.add(send(vault, "POST", "secret/data/hot", vault.rootToken(),
                        "{\"data\":{\"v\":\"x\"}}").at("/data/version").asInt()));
            }
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            assertThat(versions).hasSize(400).contains(1, 400);
            assertThat(send(vault, "GET", "secret/metadata/hot", vault.rootToken(), null)
                    .at("/data/current_version").asInt()).isEqualTo(400);
        }
    }

    private static JsonNode send(VaultEmulator vault, String method, String path, String token, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(vault.address() + "/v1/" + path))
                    .header("X-Vault-Token", token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .build();
            return Json.MAPPER.readTree(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }
}
