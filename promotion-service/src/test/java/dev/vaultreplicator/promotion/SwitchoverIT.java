package dev.vaultreplicator.promotion;

import static dev.vaultreplicator.promotion.PromotionStack.OPERATOR;
import static dev.vaultreplicator.promotion.PromotionStack.VIEWER;
import static dev.vaultreplicator.promotion.PromotionStack.WAIT;
import static dev.vaultreplicator.promotion.PromotionStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.testing.VaultKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Planned switchovers on the real stack: promoted once the target has caught up, timed out, cancelled, refused input. */
class SwitchoverIT extends PromotionStackBase {

  /** On OpenBao, the authority: the watermark is only as good as the replication it waits for. */
  @Override
  VaultKind vaultKind() {
    return VaultKind.OPENBAO;
  }

  @Test
  void shouldPromoteOnceTheTargetHasAppliedEverythingCommittedBeforeTheWatermark() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");
    stack.primary.write("app/db", "{\"v\":\"2\"}");

    HttpResponse<String> accepted = stack.post(service, "/v1/switchovers",
        "{\"region\":\"west\",\"reason\":\"maintenance of east\"}", OPERATOR);
    String id = json(accepted).path("id").asText();
    JsonNode done = awaitState(service, id, "PROMOTED");

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    assertThat(done.path("epoch").asLong()).isEqualTo(2);
    assertThat(Instant.parse(done.path("watermark").asText())).isAfterOrEqualTo(
        Instant.parse(json(accepted).path("requested_at").asText()));
    assertThat(done.path("writes_until_epoch").asDouble()).isPositive();
    assertThat(done.path("message").asText()).contains("epoch 2 names west primary");
    assertThat(json(stack.get(service, "/v1/epoch", VIEWER)).path("primary_region").asText()).isEqualTo("west");
    assertThat(stack.standby("west").read("secret/data/app/db").at("/data/v").asText())
        .as("committed before the watermark, so on the new primary").isEqualTo("2");
    assertThat(steps(service)).containsSubsequence("SWITCHOVER requested", "SWITCHOVER waiting",
        "PROMOTION ALLOWED", "SWITCHOVER promoted");
  }

  /**
   * Clients write to east until the operator asks for the switchover, as after draining traffic.
   * With stop_writes east is sealed once west has caught up, and west is promoted only once it
   * has applied everything east committed before the seal: every write east acknowledged is on
   * west, and east takes no more.
   */
  @Test
  void shouldSealTheOldPrimaryFirstWithStopWritesAndLoseNoWriteItAcknowledged() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");
    List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    ScheduledExecutorService clients = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger next = new AtomicInteger();
    clients.scheduleWithFixedDelay(() -> {
      int n = next.getAndIncrement();
      stack.primary.write("load/k" + n, "{\"n\":\"" + n + "\"}");
      acknowledged.add(n);
    }, 0, 20, TimeUnit.MILLISECONDS);
    await().atMost(WAIT).until(() -> acknowledged.size() >= 20);
    clients.shutdown();
    assertThat(clients.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    HttpResponse<String> accepted = stack.post(service, "/v1/switchovers",
        "{\"region\":\"west\",\"reason\":\"maintenance of east\",\"stop_writes\":true}", OPERATOR);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    JsonNode done = awaitState(service, json(accepted).path("id").asText(), "PROMOTED");

    assertThat(done.path("epoch").asLong()).isEqualTo(2);
    assertThat(done.path("stop_writes").asBoolean()).isTrue();
    assertThat(done.at("/sealed/region").asText()).isEqualTo("east");
    assertThat(done.path("watermark").asText()).isEqualTo(done.at("/sealed/at").asText());
    assertThat(done.path("writes_until_epoch").asDouble()).isZero();
    assertThat(done.path("message").asText()).contains("nothing was lost", "Unseal east");
    assertThatThrownBy(() -> stack.primary.write("load/after", "{\"n\":\"late\"}")).as("east takes no more writes")
        .hasMessageContaining("503");
    for (int n : acknowledged) {
      assertThat(stack.standby("west").read("secret/data/load/k" + n).at("/data/n").asText())
          .as("load/k%d, acknowledged by east", n).isEqualTo(String.valueOf(n));
    }
    assertThat(steps(service)).containsSubsequence("SWITCHOVER requested", "SWITCHOVER waiting",
        "SWITCHOVER sealed", "PROMOTION ALLOWED", "SWITCHOVER promoted");
    System.out.printf("stop_writes: %d writes acknowledged; east sealed %d ms after the request, west promoted %d ms "
        + "after the seal%n", acknowledged.size(),
        Duration.between(Instant.parse(done.path("requested_at").asText()), Instant.parse(done.at("/sealed/at").asText()))
            .toMillis(),
        Duration.between(Instant.parse(done.at("/sealed/at").asText()), Instant.parse(done.path("since").asText()))
            .toMillis());
  }

  /** The service's token for east may read everything but not seal: the switchover ends refused, east untouched. */
  @Test
  void shouldRefuseStopWritesWhenItsTokenMayNotSealThePrimaryAndChangeNothing() throws Exception {
    stack.startApply("west");
    stack.primary.call("PUT", "sys/policies/acl/inspect",
        "{\"policy\":\"path \\\"*\\\" { capabilities = [\\\"read\\\", \\\"list\\\"] }\"}");
    PromotionService service = stack.startService(Map.of("vault.east.token", stack.primary.createToken("inspect")));
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");

    HttpResponse<String> accepted = stack.post(service, "/v1/switchovers",
        "{\"region\":\"west\",\"reason\":\"maintenance of east\",\"stop_writes\":true}", OPERATOR);
    JsonNode refused = awaitState(service, json(accepted).path("id").asText(), "REFUSED");
    stack.primary.write("app/db", "{\"v\":\"2\"}");

    assertThat(refused.path("message").asText()).startsWith("stop_writes: could not seal east: ")
        .contains("the token may not seal this Vault", "nothing changed, the old primary still takes writes");
    assertThat(refused.path("sealed").isNull()).isTrue();
    assertThat(json(stack.get(service, "/v1/epoch", VIEWER)).path("epoch").asLong()).isEqualTo(1);
    assertThat(steps(service)).containsSubsequence("SWITCHOVER requested", "SWITCHOVER waiting", "SWITCHOVER refused")
        .doesNotContain("SWITCHOVER sealed", "PROMOTION ALLOWED");
  }

  @Test
  void shouldTimeOutAndLeaveTheOldPrimaryWhileTheTargetCannotCatchUp() throws Exception {
    PromotionService service = serviceOfAStalledStandby();

    String id = json(stack.post(service, "/v1/switchovers",
        "{\"region\":\"west\",\"reason\":\"maintenance\",\"timeout\":\"2s\"}", OPERATOR)).path("id").asText();
    JsonNode timedOut = awaitState(service, id, "TIMED_OUT");

    assertThat(timedOut.path("message").asText()).startsWith("timed out after 2s waiting for west to apply "
        + "everything committed before").endsWith("the old primary stays");
    assertThat(json(stack.get(service, "/v1/epoch", VIEWER)).path("epoch").asLong()).isEqualTo(1);
    assertThat(steps(service)).containsSubsequence("SWITCHOVER requested", "SWITCHOVER waiting",
        "SWITCHOVER timed_out").doesNotContain("PROMOTION ALLOWED");
  }

  @Test
  void shouldCancelAPendingSwitchoverAndAllowOnlyOneAtATime() throws Exception {
    PromotionService service = serviceOfAStalledStandby();
    String body = "{\"region\":\"west\",\"reason\":\"maintenance\",\"timeout\":\"10m\"}";

    String id = json(stack.post(service, "/v1/switchovers", body, OPERATOR)).path("id").asText();
    JsonNode waiting = awaitState(service, id, "WAITING");
    HttpResponse<String> second = stack.post(service, "/v1/switchovers", body, OPERATOR);
    HttpResponse<String> cancelled = delete(service, "/v1/switchovers/" + id);
    HttpResponse<String> again = delete(service, "/v1/switchovers/" + id);

    assertThat(waiting.path("waiting_for").asText()).startsWith("west to apply everything committed before");
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(json(second).path("error").asText()).contains(id, "is pending");
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(json(cancelled).path("state").asText()).isEqualTo("CANCELLED");
    assertThat(json(cancelled).path("message").asText()).isEqualTo("cancelled by olga; the old primary stays");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(delete(service, "/v1/switchovers/no-such-id").statusCode()).isEqualTo(404);
    assertThat(json(stack.get(service, "/v1/epoch", VIEWER)).path("epoch").asLong()).isEqualTo(1);
    assertThat(steps(service)).containsSubsequence("SWITCHOVER requested", "SWITCHOVER cancelled");
  }

  @Test
  void shouldRefuseBadInputNamingTheFieldAndChangeNothing() throws Exception {
    PromotionService service = stack.startService(Map.of());
    Map<String, String> refusals = Map.of(
        "not json", "body: not a JSON object",
        "{\"reason\":\"x\"}", "region: required",
        "{\"region\":\"south\",\"reason\":\"x\"}", "region: 'south' is not a standby region",
        "{\"region\":\"west\"}", "reason: required",
        "{\"region\":\"west\",\"reason\":\"x\",\"scheduled_at\":\"2020-01-01T00:00:00Z\"}",
        "scheduled_at: 2020-01-01T00:00:00Z is in the past",
        "{\"region\":\"west\",\"reason\":\"x\",\"scheduled_at\":\"tomorrow\"}", "scheduled_at: not an RFC 3339 time",
        "{\"region\":\"west\",\"reason\":\"x\",\"timeout\":\"-1s\"}", "timeout: must be a positive duration",
        "{\"region\":\"west\",\"reason\":\"x\",\"timeout\":\"0s\"}", "timeout: must be more than 0",
        "{\"region\":\"west\",\"reason\":\"x\",\"stop_writes\":\"yes\"}", "stop_writes: must be true or false",
        "{\"region\":\"west\",\"reason\":\"x\",\"when\":\"now\"}", "when: unknown field");

    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      HttpResponse<String> answer = stack.post(service, "/v1/switchovers", refusal.getKey(), OPERATOR);
      assertThat(answer.statusCode()).as(refusal.getKey()).isEqualTo(400);
      assertThat(json(answer).path("error").asText()).as(refusal.getKey()).startsWith(refusal.getValue());
    }
    assertThat(stack.post(service, "/v1/switchovers", "{\"region\":\"west\",\"reason\":\"x\"}", VIEWER).statusCode())
        .isEqualTo(403);
    PromotionService blind = stack.startServiceWithoutVaultOf("east", Map.of());
    HttpResponse<String> cannotSeal = stack.post(blind, "/v1/switchovers",
        "{\"region\":\"west\",\"reason\":\"x\",\"stop_writes\":true}", OPERATOR);
    assertThat(cannotSeal.statusCode()).isEqualTo(400);
    assertThat(json(cannotSeal).path("error").asText())
        .isEqualTo("stop_writes: vault.east.address is not configured, so this service cannot seal east");
    assertThat(json(stack.get(blind, "/v1/switchovers", VIEWER)).path("switchovers")).isEmpty();
    assertThat(json(stack.get(service, "/v1/switchovers", VIEWER)).path("switchovers")).isEmpty();
    assertThat(stack.get(service, "/v1/switchovers/no-such-id", VIEWER).statusCode()).isEqualTo(404);
  }

  /** West was fit, then its apply stopped and the primary took a write: it cannot catch up. */
  private PromotionService serviceOfAStalledStandby() throws Exception {
    Apply apply = stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");
    apply.close();
    stack.primary.write("app/db", "{\"v\":\"2\"}");
    return service;
  }

  private JsonNode awaitState(PromotionService service, String id, String state) {
    return await().atMost(WAIT).until(() -> json(stack.get(service, "/v1/switchovers/" + id, VIEWER)),
        switchover -> switchover.path("state").asText().equals(state));
  }

  /** "SWITCHOVER <step>" or "PROMOTION <outcome>", in the audit chain's order. */
  private List<String> steps(PromotionService service) throws Exception {
    List<String> steps = new ArrayList<>();
    for (JsonNode entry : json(stack.get(service, "/v1/audit", VIEWER)).path("entries")) {
      JsonNode decision = entry.path("decision");
      String action = decision.path("action").asText();
      steps.add(action + " " + (action.equals("SWITCHOVER") ? decision.path("step").asText()
          : decision.path("outcome").asText()));
    }
    return steps;
  }

  private HttpResponse<String> delete(PromotionService service, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
        + path)).DELETE().header("Authorization", "Bearer " + OPERATOR).build(), HttpResponse.BodyHandlers.ofString());
  }
}
