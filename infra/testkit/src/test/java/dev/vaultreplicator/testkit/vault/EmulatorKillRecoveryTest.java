package dev.vaultreplicator.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vaultreplicator.testkit.process.ChildJvm;
import dev.vaultreplicator.testkit.process.FreePorts;
import dev.vaultreplicator.testkit.vault.core.Json;

/** Issue 14: the emulator's journal loses nothing it acknowledged when its process is killed mid-load. */
class EmulatorKillRecoveryTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int KEYS = 20;

    @Test
    void everyAcknowledgedWriteSurvivesSigkill(@TempDir Path dir) throws Exception {
        int port = FreePorts.allocate();
        String address = "http://127.0.0.1:" + port;
        Process emulator = ChildJvm.start(VaultEmulatorCommand.class.getName(), List.of("-Xmx128m"),
                List.of("--port", Integer.toString(port), "--root-token", "root", "--data-dir", dir.toString()),
                dir.resolve("emulator.log"));
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> send(address, "GET", "sys/health", null).statusCode() == 200);
            assertThat(send(address, "POST", "secret/config", "{\"max_versions\":1000}").statusCode()).isEqualTo(204);
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.submit(() -> write(address, writer, writing, acknowledged));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 1_500);

            emulator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } finally {
            writing.set(false);
            writers.shutdown();
            writers.awaitTermination(10, TimeUnit.SECONDS);
            emulator.destroyForcibly();
        }

        try (VaultEmulator restarted = VaultEmulator.builder().dataDir(dir).rootToken("root").start()) {
            acknowledged.forEach((keyAndVersion, value) -> {
                String[] parts = keyAndVersion.split("#");
                JsonNode read = Json.parse(send(restarted.address(), "GET",
                        "secret/data/" + parts[0] + "?version=" + parts[1], null).body());
                assertThat(read.at("/data/data/v").asText()).as(keyAndVersion).isEqualTo(value);
            });
        }
    }

    private static void write(String address, int writer, AtomicBoolean writing, Map<String, String> acknowledged) {
        for (int n = 0; writing.get(); n++) {
            String key = "load/k" + (n % KEYS);
            String value = writer + "-" + n;
            try {
                HttpResponse<String> answer = send(address, "POST", "secret/data/" + key,
                        "{\"data\":{\"v\":\"" + value + "\"}}");
                if (answer.statusCode() == 200) {
                    acknowledged.put(key + "#" + Json.parse(answer.body()).at("/data/version").asInt(), value);
                }
            } catch (RuntimeException killed) {
                return;
            }
        }
    }

    private static HttpResponse<String> send(String address, String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
                .header("X-Vault-Token", "root").timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        }
    }
}
