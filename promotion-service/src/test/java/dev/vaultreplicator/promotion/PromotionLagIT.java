package dev.vaultreplicator.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.apply.TestApply;
import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.metrics.MetricsServer;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testing.TestCapture;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testkit.kafka.KafkaCluster;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lag the service reports, on the real stack: a primary with capture, a standby with apply. */
class PromotionLagIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path brokerDir;
  static KafkaCluster kafka;

  @TempDir
  Path workDir;

  private final Keyring keyring = Keyring.generate("it-key");
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> running = new ArrayList<>();
  private final String prefix = "promotion-it-" + System.nanoTime();
  private TestVault primary;
  private TestVault standby;
  private Capture capture;

  @BeforeAll
  static void startKafka() {
    kafka = KafkaCluster.forTests(brokerDir);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @BeforeEach
  void startPipeline() throws Exception {
    primary = new TestVault(started(VaultEmulator.start()));
    standby = new TestVault(started(VaultEmulator.start()));
    capture = started(TestCapture.start(TestCapture.settings(kafka.bootstrapServers(), prefix, primary), primary,
        keyring, new SimpleMeterRegistry()));
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable each : running) {
      each.close();
    }
  }

  @Test
  void shouldHoldAStandbyWhileApplyIsStoppedAndLetItThroughOnceItDrained() throws Exception {
    Apply apply = startApply();
    PromotionService service = startService();
    primary.write("app/db", "{\"v\":\"1\"}");
    awaitStandby(service, 200, "PASS");

    apply.close();
    for (int v = 2; v <= 5; v++) {
      primary.write("app/db", "{\"v\":\"" + v + "\"}");
    }

    JsonNode held = awaitStandby(service, 503, "FAIL");
    assertThat(held.at("/checks/0/reason").asText()).contains("not yet applied");
    JsonNode west = regionStatus(service, "west");
    assertThat(west.path("state").asText()).isEqualTo("KNOWN");
    assertThat(west.path("pending_events").asLong()).isGreaterThanOrEqualTo(4);

    startApply();
    awaitStandby(service, 200, "PASS");
    assertThat(regionStatus(service, "west").path("pending_events").asLong()).isZero();
    assertThat(get(service, "/metrics").body()).contains("vault_replication_pending_events{region=\"west\"} 0.0");
  }

  @Test
  void shouldDrainToZeroLagWhileSilenceGrowsWhenThePrimaryIsGone() throws Exception {
    startApply();
    PromotionService service = startService();
    primary.write("app/db", "{\"v\":\"1\"}");
    awaitStandby(service, 200, "PASS");

    capture.close();

    // Fit to promote, with a warning that says the primary has been silent.
    JsonNode warned = awaitStandby(service, 200, "WARN");
    assertThat(warned.at("/checks/0/reason").asText()).contains("silent");
    JsonNode west = regionStatus(service, "west");
    assertThat(west.path("lag_seconds").asDouble()).isZero();
    double silence = west.path("primary_silence_seconds").asDouble();
    await().atMost(WAIT).until(() -> regionStatus(service, "west").path("primary_silence_seconds").asDouble()
        > silence + 1);

    // A restarted service knows the same from the compacted topics.
    PromotionService restarted = startService();
    await().atMost(WAIT).until(() -> get(restarted, "/health/ready").statusCode() == 200);
    JsonNode again = regionStatus(restarted, "west");
    assertThat(again.path("state").asText()).isEqualTo("KNOWN");
    assertThat(again.path("lag_seconds").asDouble()).isZero();
    assertThat(again.path("captured_through").asText()).isEqualTo(west.path("captured_through").asText());
  }

  @Test
  void shouldSayUnknownNotZeroForARegionWhoseApplyNeverRan() throws Exception {
    PromotionService service = startService();
    primary.write("app/db", "{\"v\":\"1\"}");

    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode west = regionStatus(service, "west");
      assertThat(west.path("state").asText()).isEqualTo("UNKNOWN");
      assertThat(west.path("reason").asText()).contains("west has applied no heartbeat");
      assertThat(west.path("lag_seconds").isNull()).isTrue();
    });
    HttpResponse<String> health = get(service, "/health/standby/west");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(get(service, "/health/standby/nowhere").statusCode()).isEqualTo(404);
    assertThat(get(service, "/health/standby/west?max_lag=soon").statusCode()).isEqualTo(400);
  }

  // ---- fixture -------------------------------------------------------------------------------

  private Apply startApply() throws Exception {
    Apply apply = TestApply.start(TestApply.settings(kafka.bootstrapServers(), prefix, "west", standby,
        workDir.resolve("state")), keyring, new SimpleMeterRegistry());
    running.add(0, apply);
    return apply;
  }

  private PromotionService startService() {
    PromotionService service = PromotionService.start(PromotionConfig.from(Map.of(
        PromotionConfig.REGIONS, "west",
        PromotionConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
        PromotionConfig.TOPIC_PREFIX, prefix,
        PromotionConfig.HTTP_PORT, "0",
        PromotionConfig.MAX_LAG, "2s")), MetricsServer.newRegistry());
    running.add(0, service);
    return service;
  }

  private JsonNode awaitStandby(PromotionService service, int status, String check) {
    return await().atMost(WAIT).until(() -> {
      HttpResponse<String> response = get(service, "/health/standby/west");
      JsonNode body = JSON.readTree(response.body());
      return response.statusCode() == status && body.at("/checks/0/status").asText().equals(check) ? body : null;
    }, body -> body != null);
  }

  private JsonNode regionStatus(PromotionService service, String region) throws Exception {
    for (JsonNode each : JSON.readTree(get(service, "/v1/status").body()).path("regions")) {
      if (each.path("region").asText().equals(region)) {
        return each;
      }
    }
    throw new AssertionError("no region " + region + " in /v1/status");
  }

  private HttpResponse<String> get(PromotionService service, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private <T extends AutoCloseable> T started(T component) {
    running.add(0, component);
    return component;
  }
}
