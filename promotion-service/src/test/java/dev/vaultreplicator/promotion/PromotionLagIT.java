package dev.vaultreplicator.promotion;

import static dev.vaultreplicator.promotion.PromotionStack.VIEWER;
import static dev.vaultreplicator.promotion.PromotionStack.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultreplicator.apply.Apply;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The lag the service reports, on the real stack: a primary with capture, a standby with apply. */
class PromotionLagIT extends PromotionStackIT {

  /**
   * The Grafana dashboard and the alert rules (infra/deploy) query only series that capture, apply
   * and the service export: a renamed meter would otherwise leave an empty panel or an alert that
   * can never fire.
   */
  @Test
  void shouldExportEveryMetricTheDashboardAndTheAlertRulesQuery() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitStandby(service, "west", 200, "PASS");

    Set<String> exported = new TreeSet<>();
    List<String> scrapes = new ArrayList<>(List.of(stack.captureMetrics.scrape(),
        stack.get(service, "/metrics", null).body()));
    stack.applyMetrics.values().forEach(registry -> scrapes.add(registry.scrape()));
    Matcher sample = Pattern.compile("(?m)^([a-z_:][a-z0-9_:]*)[{ ]").matcher(String.join("\n", scrapes));
    while (sample.find()) {
      exported.add(sample.group(1));
    }
    Set<String> queried = new TreeSet<>();
    for (Path file : List.of(Path.of("../infra/deploy/grafana/vault-replicator.json"),
        Path.of("../infra/deploy/prometheus/vault-replicator-rules.yml"))) {
      Matcher name = Pattern.compile("\\b(vault_[a-z0-9_]+)\\b").matcher(Files.readString(file));
      while (name.find()) {
        queried.add(name.group(1));
      }
    }

    assertThat(queried).hasSizeGreaterThan(10);
    assertThat(exported).containsAll(queried);
  }

  @Test
  void shouldHoldAStandbyWhileApplyIsStoppedAndLetItThroughOnceItDrained() throws Exception {
    Apply apply = stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitStandby(service, "west", 200, "PASS");

    apply.close();
    for (int v = 2; v <= 5; v++) {
      stack.primary.write("app/db", "{\"v\":\"" + v + "\"}");
    }

    JsonNode held = stack.awaitStandby(service, "west", 503, "FAIL");
    assertThat(held.at("/checks/0/reason").asText()).contains("not yet applied");
    JsonNode west = stack.regionStatus(service, "west");
    assertThat(west.path("state").asText()).isEqualTo("KNOWN");
    assertThat(west.path("pending_events").asLong()).isGreaterThanOrEqualTo(4);

    stack.startApply("west");
    stack.awaitStandby(service, "west", 200, "PASS");
    // /v1/status may be up to a second old (PromotionApi.STATUS_MAX_AGE); the health answer above is not.
    await().atMost(WAIT).until(() -> stack.regionStatus(service, "west").path("pending_events").asLong() == 0);
    assertThat(stack.get(service, "/metrics", null).body())
        .contains("vault_replication_pending_events{region=\"west\"} 0.0");
  }

  @Test
  void shouldListenOnTheConfiguredAddressOnly() throws Exception {
    PromotionService service = stack.startService(Map.of(PromotionConfig.HTTP_HOST, "127.0.0.1"));
    assertThat(stack.get(service, "/health/live", null).statusCode()).isEqualTo(200);
    // Linux answers all of 127/8 on loopback: a listener on every interface would take this connection too.
    try (Socket elsewhere = new Socket()) {
      assertThatThrownBy(() -> elsewhere.connect(new InetSocketAddress("127.0.0.2", service.port()), 2_000))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void shouldDrainToZeroLagWhileSilenceGrowsWhenThePrimaryIsGone() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitStandby(service, "west", 200, "PASS");

    stack.capture.close();

    // Fit to promote, with a warning that says the primary has been silent.
    JsonNode warned = stack.awaitStandby(service, "west", 200, "WARN");
    assertThat(warned.at("/checks/0/reason").asText()).contains("silent");
    JsonNode west = stack.regionStatus(service, "west");
    assertThat(west.path("lag_seconds").asDouble()).isZero();
    double silence = west.path("primary_silence_seconds").asDouble();
    await().atMost(WAIT).until(() -> stack.regionStatus(service, "west").path("primary_silence_seconds").asDouble()
        > silence + 1);

    // A restarted service knows the same from the compacted topics.
    PromotionService restarted = stack.startService(Map.of());
    await().atMost(WAIT).until(() -> stack.get(restarted, "/health/ready", null).statusCode() == 200);
    JsonNode again = stack.regionStatus(restarted, "west");
    assertThat(again.path("state").asText()).isEqualTo("KNOWN");
    assertThat(again.path("lag_seconds").asDouble()).isZero();
    assertThat(again.path("captured_through").asText()).isEqualTo(west.path("captured_through").asText());
  }

  @Test
  void shouldSayUnknownNotZeroForARegionWhoseApplyNeverRan() throws Exception {
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");

    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode west = stack.regionStatus(service, "west");
      assertThat(west.path("state").asText()).isEqualTo("UNKNOWN");
      assertThat(west.path("reason").asText()).contains("west has applied no heartbeat");
      assertThat(west.path("lag_seconds").isNull()).isTrue();
    });
    assertThat(stack.get(service, "/health/standby/west", null).statusCode()).isEqualTo(503);
    assertThat(stack.get(service, "/health/standby/nowhere", null).statusCode()).isEqualTo(404);
    assertThat(stack.get(service, "/health/standby/west?max_lag=soon", null).statusCode()).isEqualTo(400);
    assertThat(stack.get(service, "/v1/status", null).statusCode()).isEqualTo(401);
    assertThat(stack.get(service, "/v1/status", "not-a-token").statusCode()).isEqualTo(401);
    assertThat(stack.get(service, "/v1/status", VIEWER).statusCode()).isEqualTo(200);
    assertThat(stack.get(service, "/v1/openapi.json", null).body()).contains("\"openapi\": \"3.0.3\"");
  }
}
