package dev.vaultreplicator.promotion;

import static dev.vaultreplicator.promotion.PromotionStack.BREAKGLASS;
import static dev.vaultreplicator.promotion.PromotionStack.OPERATOR;
import static dev.vaultreplicator.promotion.PromotionStack.VIEWER;
import static dev.vaultreplicator.promotion.PromotionStack.WAIT;
import static dev.vaultreplicator.promotion.PromotionStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.testing.VaultKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What keeps a tired operator and a flapping signal from doing harm: the recovery block, the
 * health hold, the veto hook, drills.
 */
class SafeguardsIT extends PromotionStackBase {

  /** Once, on OpenBao: nothing here depends on how the Vault behaves, only on the service. */
  @Override
  VaultKind vaultKind() {
    return VaultKind.OPENBAO;
  }

  @Test
  void shouldRefuseAPromotionWithinTheRecoveryBlockForcedOrNotUnlessItIsAcknowledged() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of(PromotionConfig.REGIONS, "west,north",
        PromotionConfig.RECOVERY_BLOCK, "1h"));
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");
    HttpResponse<String> first = stack.post(service, "/v1/promotions",
        "{\"region\":\"west\",\"reason\":\"east is down\"}", OPERATOR);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);

    HttpResponse<String> forced = stack.post(service, "/v1/promotions",
        "{\"region\":\"north\",\"reason\":\"west is down too\",\"force\":true}", BREAKGLASS);
    HttpResponse<String> acknowledged = stack.post(service, "/v1/promotions",
        "{\"region\":\"north\",\"reason\":\"west is down too\",\"force\":true,"
            + "\"recovery_block_ack\":\"west lost its zone minutes after taking over\"}", BREAKGLASS);

    assertThat(forced.statusCode()).as(forced.body()).isEqualTo(409);
    assertThat(json(forced).path("message").asText()).startsWith("north is not promoted within the recovery block")
        .contains("recovery_block_ack");
    assertThat(acknowledged.statusCode()).as(acknowledged.body()).isEqualTo(201);
    assertThat(json(acknowledged).path("epoch").asLong()).isEqualTo(3);
    JsonNode audit = json(stack.get(service, "/v1/audit", VIEWER));
    assertThat(audit.path("verifies").asBoolean()).isTrue();
    JsonNode last = audit.path("entries").get(audit.path("entries").size() - 1);
    assertThat(last.toString()).contains("acknowledged by bree", "west lost its zone minutes after taking over");
  }

  @Test
  void shouldChangeTheHeldHealthAnswerOnlyOnceTheNewConditionHasHeld() throws Exception {
    Apply apply = stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    String held = "/health/standby/west?hold=3s";
    await().atMost(WAIT).until(() -> stack.get(service, held, null).statusCode() == 200);

    apply.close();
    stack.primary.write("app/db", "{\"v\":\"2\"}");
    HttpResponse<String> unfitButHeld = await().atMost(WAIT).until(() -> stack.get(service, held, null),
        response -> response.body().contains("\"condition_fit\":false"));
    Instant conditionSeen = Instant.now();
    await().atMost(WAIT).until(() -> stack.get(service, held, null).statusCode() == 503);
    Duration held503After = Duration.between(conditionSeen, Instant.now());

    assertThat(unfitButHeld.statusCode()).as(unfitButHeld.body()).isEqualTo(200);
    assertThat(json(unfitButHeld).at("/hold/answer_changes_at").asText()).isNotEmpty();
    assertThat(held503After).isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
    assertThat(stack.get(service, "/health/standby/west", null).statusCode()).isEqualTo(503);
    assertThat(json(stack.get(service, "/health/standby/west?hold=-1s", null)).path("error").asText())
        .startsWith("hold: expected a number and a unit");
    assertThat(stack.get(service, "/health/standby/west?hold=2h", null).statusCode()).isEqualTo(400);
  }

  @Test
  void shouldRefuseWhatTheVetoHookRefusesOrLeavesUnansweredUnlessForced() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.setExecutor(Executors.newCachedThreadPool());
    hook.createContext("/freeze", exchange -> answer(exchange, 403, "change freeze until Friday"));
    hook.createContext("/slow", exchange -> {
      awaitQuietly(release);
      answer(exchange, 204, "");
    });
    hook.createContext("/ok", exchange -> {
      asked.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      answer(exchange, 204, "");
    });
    hook.start();
    try {
      stack.startApply("west");
      String base = "http://127.0.0.1:" + hook.getAddress().getPort();
      PromotionService freeze = stack.startService(Map.of(PromotionConfig.VETO_URL, base + "/freeze"));
      PromotionService slow = stack.startService(Map.of(PromotionConfig.VETO_URL, base + "/slow",
          PromotionConfig.VETO_TIMEOUT, "500ms"));
      PromotionService ok = stack.startService(Map.of(PromotionConfig.VETO_URL, base + "/ok"));
      stack.primary.write("app/db", "{\"v\":\"1\"}");
      stack.awaitFit(ok, "west");
      String dryRun = "{\"region\":\"west\",\"reason\":\"rehearsal\",\"dry_run\":true}";

      HttpResponse<String> frozen = stack.post(freeze, "/v1/promotions", dryRun, OPERATOR);
      HttpResponse<String> unanswered = stack.post(slow, "/v1/promotions", dryRun, OPERATOR);
      HttpResponse<String> allowed = stack.post(ok, "/v1/promotions", dryRun, OPERATOR);
      HttpResponse<String> forced = stack.post(freeze, "/v1/promotions",
          "{\"region\":\"west\",\"reason\":\"east is gone\",\"dry_run\":true,\"force\":true}", BREAKGLASS);

      assertThat(frozen.statusCode()).as(frozen.body()).isEqualTo(409);
      assertThat(json(frozen).path("message").asText())
          .isEqualTo("west is vetoed: the veto hook answered 403: \"change freeze until Friday\"");
      assertThat(unanswered.statusCode()).as(unanswered.body()).isEqualTo(409);
      assertThat(json(unanswered).path("message").asText()).contains("did not answer within 500ms");
      assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
      assertThat(asked).hasSize(1);
      assertThat(asked.get(0)).contains("\"region\":\"west\"", "\"requested_by\":\"olga\"", "\"dry_run\":true")
          .doesNotContain(OPERATOR);
      assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
      assertThat(json(forced).path("message").asText()).contains("forced past the veto");
      assertThat(json(stack.get(ok, "/v1/audit", VIEWER)).path("entries").findValuesAsText("outcome"))
          .containsExactly("REFUSED", "REFUSED", "ALLOWED", "ALLOWED");
    } finally {
      release.countDown();
      hook.stop(0);
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void shouldDrillEveryRegionOnTheScheduleAndShowTheLastDrillAsMetrics() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of(PromotionConfig.DRILL_INTERVAL, "1s",
        PromotionConfig.METRICS_PUBLIC, "true"));
    stack.primary.write("app/db", "{\"v\":\"1\"}");

    await().atMost(WAIT).untilAsserted(() -> assertThat(stack.get(service, "/metrics", null).body())
        .contains("vault_promotion_last_drill_passed{region=\"west\"} 1.0"));
    String metrics = stack.get(service, "/metrics", null).body();
    JsonNode audit = json(stack.get(service, "/v1/audit", VIEWER));

    JsonNode newest = json(stack.get(service, "/v1/audit?last=1", VIEWER));
    JsonNode lastDrill = stack.regionStatus(service, "west").path("last_drill");

    assertThat(metrics).containsPattern("vault_promotion_last_drill_timestamp_seconds\\{region=\"west\"} 1\\.[0-9.]+E9");
    assertThat(audit.path("entries").findValuesAsText("requested_by")).contains("drill-schedule");
    assertThat(audit.path("verifies").asBoolean()).isTrue();
    assertThat(newest.path("entries")).hasSize(1);
    assertThat(newest.path("count").asInt()).isGreaterThanOrEqualTo(audit.path("entries").size());
    assertThat(newest.path("verifies").asBoolean()).isTrue();
    assertThat(lastDrill.path("passed").asBoolean()).isTrue();
    assertThat(Instant.parse(lastDrill.path("at").asText())).isAfter(Instant.now().minusSeconds(60));
    for (String bad : List.of("0", "-3", "ten", "10001")) {
      HttpResponse<String> refused = stack.get(service, "/v1/audit?last=" + bad, VIEWER);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(json(refused).path("error").asText()).as(bad).startsWith("last: '" + bad + "' is not a number");
    }
  }
}
