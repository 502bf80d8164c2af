package dev.vaultreplicator.promotion;

import static dev.vaultreplicator.promotion.PromotionStack.BREAKGLASS;
import static dev.vaultreplicator.promotion.PromotionStack.OPERATOR;
import static dev.vaultreplicator.promotion.PromotionStack.VIEWER;
import static dev.vaultreplicator.promotion.PromotionStack.WAIT;
import static dev.vaultreplicator.promotion.PromotionStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.promotion.epoch.ControlLog;
import dev.vaultreplicator.promotion.log.PartitionLog;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The promotion gate on the real stack: refusal while stale, the epoch, fencing, races, audit. */
class PromotionGateIT extends PromotionStackIT {

  private static final String PROMOTE_WEST = "{\"region\":\"west\",\"reason\":\"east is down\"}";

  @Test
  void shouldRefuseAStaleStandbyThenPromoteItOnceDrainedAndFenceTheOldPrimary() throws Exception {
    Apply apply = stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitStandby(service, "west", 200, "PASS");
    apply.close();
    stack.primary.write("app/db", "{\"v\":\"2\"}");
    stack.awaitStandby(service, "west", 503, "FAIL");

    JsonNode readiness = json(stack.get(service, "/v1/readiness/west", VIEWER));
    HttpResponse<String> refused = stack.post(service, "/v1/promotions", PROMOTE_WEST, OPERATOR);

    assertThat(readiness.path("fit").asBoolean()).isFalse();
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(json(refused).path("outcome").asText()).isEqualTo("REFUSED");
    assertThat(json(refused).path("message").asText()).startsWith("west is not fit to promote: replication-lag");
    assertThat(json(refused).at("/checks/0/name").asText()).isEqualTo("replication-lag");
    assertThat(json(refused).at("/checks/0/status").asText()).isEqualTo("FAIL");
    JsonNode audit = json(stack.get(service, "/v1/audit", VIEWER));
    assertThat(audit.path("verifies").asBoolean()).isTrue();
    assertThat(audit.at("/entries/0/decision/outcome").asText()).isEqualTo("REFUSED");
    assertThat(audit.at("/entries/0/decision/requested_by").asText()).isEqualTo("olga");

    stack.startApply("west");
    stack.awaitStandby(service, "west", 200, "PASS");
    stack.awaitFit(service, "west");
    HttpResponse<String> promoted = stack.post(service, "/v1/promotions", PROMOTE_WEST, OPERATOR);

    assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(201);
    assertThat(json(promoted).path("epoch").asLong()).isEqualTo(2);
    JsonNode epoch = json(stack.get(service, "/v1/epoch", VIEWER));
    assertThat(epoch.path("epoch").asLong()).isEqualTo(2);
    assertThat(epoch.path("primary_region").asText()).isEqualTo("west");
    assertThat(json(stack.get(service, "/v1/promotions/" + json(promoted).path("id").asText(), VIEWER))
        .path("outcome").asText()).isEqualTo("ALLOWED");
    // The old primary's capture no longer publishes: it counts what it was told and drops it.
    stack.primary.write("app/after", "{\"v\":\"1\"}");
    await().atMost(WAIT).until(() -> stack.captureMetrics.find("vault.capture.fenced.changes").counter() != null
        && stack.captureMetrics.find("vault.capture.fenced.changes").counter().count() >= 1);
    assertThat(json(stack.get(service, "/v1/audit", VIEWER)).path("verifies").asBoolean()).isTrue();
  }

  @Test
  void shouldReportWhatTheOldPrimaryTookAfterAForcedPromotionWithoutItsValues() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");
    HttpResponse<String> promoted = stack.post(service, "/v1/promotions",
        "{\"region\":\"west\",\"reason\":\"east is cut off\",\"force\":true}", BREAKGLASS);
    assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(201);

    // Clients still reach east. Once its capture has seen the epoch, what they write is fenced.
    int[] probes = {0};
    await().atMost(WAIT).until(() -> {
      stack.primary.write("app/probe", "{\"n\":\"" + probes[0]++ + "\"}");
      return json(stack.get(service, "/v1/fenced/east", VIEWER)).path("count").asInt() > 0;
    });
    stack.primary.write("app/orphan", "{\"password\":\"written-to-the-old-primary\"}");
    stack.primary.write("app/orphan", "{\"password\":\"and-again\"}");
    stack.primary.call("DELETE", "secret/metadata/app/db", null);
    JsonNode report = await().atMost(WAIT).until(() -> json(stack.get(service, "/v1/fenced/east", VIEWER)),
        body -> body.path("changes").findValuesAsText("path").contains("app/db"));

    List<String> orphans = new ArrayList<>();
    report.path("changes").forEach(c -> orphans.add(c.path("kind").asText() + " " + c.path("mount").asText() + "/"
        + c.path("path").asText() + " v" + c.path("version").asText("-") + " epoch " + c.path("epoch").asText()
        + " " + c.path("primary_region").asText()));
    assertThat(orphans).contains("KV_V2 secret/app/orphan v1 epoch 2 west", "KV_V2 secret/app/orphan v2 epoch 2 west",
        "KV_V2 secret/app/db v- epoch 2 west");
    assertThat(report.path("orphaned").asInt()).isEqualTo(report.path("count").asInt());
    assertThat(report.toString()).doesNotContain("written-to-the-old-primary", "and-again");
    assertThat(json(stack.get(service, "/v1/fenced", VIEWER)).path("regions").path("east").asInt())
        .isEqualTo(report.path("count").asInt());
    assertThat(stack.get(service, "/v1/fenced/East!", VIEWER).statusCode()).isEqualTo(400);
  }

  /** Differences a comparison found while west had changes still to apply are lag, not drift. */
  @Test
  void shouldAllowAStandbyComparedWhileItStalledAsSoonAsItHasDrained() throws Exception {
    Apply apply = stack.startApply("west");
    // A max-lag longer than the stall, so that comparisons go on while west has changes to apply.
    PromotionService service = stack.startService(Map.of(PromotionConfig.MAX_LAG, "60s"));
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");

    apply.close();
    for (int i = 0; i < 20; i++) {
      stack.primary.write("drift2/k" + i, "{\"v\":\"" + i + "\"}");
    }
    JsonNode duringStall = await().atMost(WAIT).until(() -> check(service, "drift"),
        drift -> drift.path("reason").asText().contains("replication on its way"));
    stack.startApply("west");
    stack.awaitStandby(service, "west", 200, "PASS");
    HttpResponse<String> dryRun = stack.post(service, "/v1/promotions",
        "{\"region\":\"west\",\"reason\":\"drained\",\"dry_run\":true}", OPERATOR);

    assertThat(duringStall.path("status").asText()).isEqualTo("UNKNOWN");
    assertThat(duringStall.path("reason").asText()).contains("secret/drift2/k");
    assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
    assertThat(json(dryRun).path("outcome").asText()).isEqualTo("ALLOWED");
    JsonNode drift = check(json(dryRun), "drift");
    assertThat(drift.path("status").asText()).as(drift.toString()).isEqualTo("PASS");
  }

  @Test
  void shouldCheckWhoAsksAndWhatTheyAskAndRecordEveryDecision() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");

    assertThat(stack.post(service, "/v1/promotions", PROMOTE_WEST, null).statusCode()).isEqualTo(401);
    assertThat(stack.post(service, "/v1/promotions", PROMOTE_WEST, VIEWER).statusCode()).isEqualTo(403);
    assertThat(json(stack.post(service, "/v1/promotions", "{\"reason\":\"x\"}", OPERATOR)).path("error").asText())
        .isEqualTo("region: required");
    assertThat(json(stack.post(service, "/v1/promotions", "{\"region\":\"west\",\"reason\":\"x\",\"dry_run\":\"yes\"}",
        OPERATOR)).path("error").asText()).startsWith("dry_run:");
    assertThat(json(stack.post(service, "/v1/promotions", "{\"region\":\"west\",\"reason\":\"x\",\"now\":true}",
        OPERATOR)).path("error").asText()).startsWith("now: unknown field");
    HttpResponse<String> forcedByOperator = stack.post(service, "/v1/promotions",
        "{\"region\":\"west\",\"reason\":\"x\",\"force\":true}", OPERATOR);
    assertThat(forcedByOperator.statusCode()).isEqualTo(403);

    String dryRun = "{\"region\":\"west\",\"reason\":\"rehearsal\",\"dry_run\":true,\"idempotency_key\":\"k-1\"}";
    HttpResponse<String> first = stack.post(service, "/v1/promotions", dryRun, OPERATOR);
    HttpResponse<String> retried = stack.post(service, "/v1/promotions", dryRun, OPERATOR);
    HttpResponse<String> reused = stack.post(service, "/v1/promotions",
        "{\"region\":\"west\",\"reason\":\"rehearsal\",\"idempotency_key\":\"k-1\"}", OPERATOR);
    HttpResponse<String> drill = stack.post(service, "/v1/drills/west", "", OPERATOR);
    HttpResponse<String> unknownDrill = stack.post(service, "/v1/drills/south", "", OPERATOR);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json(first).path("dry_run").asBoolean()).isTrue();
    assertThat(json(retried).path("id").asText()).isEqualTo(json(first).path("id").asText());
    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(json(drill).path("action").asText()).isEqualTo("DRILL");
    assertThat(unknownDrill.statusCode()).isEqualTo(400);
    assertThat(json(unknownDrill).path("error").asText()).startsWith("region: 'south' is not a standby region");
    assertThat(json(stack.get(service, "/v1/epoch", VIEWER)).path("epoch").asLong()).isEqualTo(1);
    JsonNode audit = json(stack.get(service, "/v1/audit", VIEWER));
    assertThat(audit.path("verifies").asBoolean()).isTrue();
    List<String> outcomes = new ArrayList<>();
    audit.path("entries").forEach(e -> outcomes.add(e.at("/decision/action").asText() + " "
        + e.at("/decision/outcome").asText()));
    // The forced request refused for its role, the dry run (once: the retry answered from the log), the drill.
    assertThat(outcomes).containsExactly("PROMOTION REFUSED", "PROMOTION ALLOWED", "DRILL ALLOWED");
    assertThat(stack.get(service, "/v1/promotions/no-such-id", VIEWER).statusCode()).isEqualTo(404);
  }

  @Test
  void shouldNeverLetTwoRacingServicesWinTheSameEpochOverFiftyRaces() throws Exception {
    Map<String, String> settings = Map.of(PromotionConfig.REGIONS, "west,north",
        PromotionConfig.RECOVERY_BLOCK, "0s");
    PromotionService one = stack.startService(settings);
    PromotionService two = stack.startService(settings);
    Map<Long, Integer> winnersPerEpoch = new HashMap<>();
    List<Long> lostTo = new ArrayList<>();

    for (int race = 0; race < 50; race++) {
      String body = "{\"region\":\"" + (race % 2 == 0 ? "west" : "north") + "\",\"reason\":\"race " + race
          + "\",\"force\":true}";
      CyclicBarrier start = new CyclicBarrier(2);
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (PromotionService service : List.of(one, two)) {
        answers.add(CompletableFuture.supplyAsync(() -> {
          try {
            start.await();
            return stack.post(service, "/v1/promotions", body, BREAKGLASS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get();
        long epoch = json(response).path("epoch").asLong();
        if (response.statusCode() == 201) {
          winnersPerEpoch.merge(epoch, 1, Integer::sum);
        } else {
          assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
          lostTo.add(epoch);
        }
      }
    }

    assertThat(winnersPerEpoch.values()).as("winners per epoch").allMatch(count -> count == 1);
    assertThat(winnersPerEpoch.keySet()).containsAll(lostTo);
    assertThat(json(stack.get(one, "/v1/epoch", VIEWER)).path("epoch").asLong())
        .isEqualTo(1 + winnersPerEpoch.size());
    System.out.printf("racing promotions: %d epochs won, %d claims lost to a racing winner%n",
        winnersPerEpoch.size(), lostTo.size());
  }

  @Test
  void shouldLetTheFirstClaimInTheLogWinWhenTwoClaimTheSameEpochAtOnceFiftyTimes() throws Exception {
    String topic = stack.prefix() + ".control";
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
            new ByteArraySerializer());
        PartitionLog leftTopic = partitionLog(topic, producer);
        PartitionLog rightTopic = partitionLog(topic, producer)) {
      ControlLog left = new ControlLog(leftTopic, new EventCodec());
      ControlLog right = new ControlLog(rightTopic, new EventCodec());
      long epoch = left.current().orElseThrow().getEpoch();
      for (int race = 0; race < 50; race++) {
        long next = ++epoch;
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<ControlLog.Decision> a = CompletableFuture.supplyAsync(() -> claim(left, start, next, "west"));
        CompletableFuture<ControlLog.Decision> b = CompletableFuture.supplyAsync(() -> claim(right, start, next, "north"));

        assertThat(a.get().won()).as("race %d: exactly one wins", race).isNotEqualTo(b.get().won());
        assertThat(a.get().winner().getRequestId()).isEqualTo(b.get().winner().getRequestId());
      }
      assertThat(right.current().orElseThrow().getEpoch()).isEqualTo(epoch);
    }
  }

  @Test
  void shouldPromoteADrainedStandbyOfADeadPrimaryAndStateTheRiskWindow() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");

    stack.killPrimary();
    stack.awaitStandby(service, "west", 200, "WARN");
    HttpResponse<String> promoted = stack.post(service, "/v1/promotions", PROMOTE_WEST, OPERATOR);

    assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(201);
    JsonNode risk = json(promoted).path("risk_window");
    assertThat(risk.path("statement").asText()).contains("committed after", "may be lost");
    assertThat(risk.path("primary_silence_seconds").asDouble()).isGreaterThan(2);
    assertThat(risk.path("pending_events").asLong()).isZero();
  }

  private JsonNode check(PromotionService service, String name) throws Exception {
    return check(json(stack.get(service, "/v1/readiness/west", VIEWER)), name);
  }

  private static JsonNode check(JsonNode report, String name) {
    for (JsonNode check : report.path("checks")) {
      if (check.path("name").asText().equals(name)) {
        return check;
      }
    }
    throw new AssertionError("no check " + name + " in " + report);
  }

  /** Each log reads with its own consumer, as two service instances would. */
  private PartitionLog partitionLog(String topic, KafkaProducer<String, byte[]> producer) {
    return new PartitionLog(producer, () -> new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer()), topic);
  }

  private static ControlLog.Decision claim(ControlLog log, CyclicBarrier start, long epoch, String region) {
    try {
      start.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return log.claim(EpochRecord.newBuilder().setEpoch(epoch).setPrimaryRegion(region).setSince(Instant.now())
        .setRequestedBy("test").setReason("race").setForced(false).setRequestId(UUID.randomUUID().toString()).build());
  }
}
