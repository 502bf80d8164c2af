package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.AppliedWatermark;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testing.OnBroker;
import dev.vaultreplicator.testing.TestCapture;
import dev.vaultreplicator.testing.TestLog;
import dev.vaultreplicator.testing.TestTopics;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testing.VaultKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** Capture on one Vault, apply on another, a real broker between them: on real OpenBao, and on the emulator. */
@ParameterizedClass(name = "on {0}")
@EnumSource(VaultKind.class)
class ApplyIT extends OnBroker {

  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path workDir;

  private final Keyring keyring = Keyring.generate("it-key");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  @Parameter
  VaultKind vaultKind;
  private TestVault primary;
  private TestVault standby;
  private String prefix;
  private Capture capture;
  private Apply apply;

  @BeforeEach
  void startVaults() throws Exception {
    primary = vaultKind.start();
    standby = vaultKind.startPersistent();
    prefix = "apply-it-" + PREFIXES.incrementAndGet() + "-" + System.nanoTime();
    for (TestVault vault : List.of(primary, standby)) {
      vault.call("POST", "sys/mounts/legacy", "{\"type\":\"kv\",\"options\":{\"version\":\"1\"}}");
    }
    startCapture();
    startApply();
  }

  @AfterEach
  void stopAll() {
    if (apply != null) {
      apply.close();
    }
    if (capture != null) {
      capture.close();
    }
    for (TestVault vault : java.util.Arrays.asList(primary, standby)) {
      if (vault != null) { // null when it could not start (no bao: the test is skipped)
        vault.close();
      }
    }
  }

  @Test
  void shouldReplicateEveryOperationWithTheSameVersionHistoryAndMetadata() throws Exception {
    primary.write("app/db", "{\"password\":\"canary-5521\"}");
    primary.write("app/db", "{\"password\":\"two\"}");
    primary.call("POST", "secret/metadata/app/db", "{\"max_versions\":5,\"custom_metadata\":{\"owner\":\"team-a\"}}");
    primary.write("app/db", "{\"password\":\"three\"}");
    // Capture reads a version's data after the write; a delete in the same millisecond would race
    // that read (a known limit, docs/architecture.md). Here the data is read first.
    awaitStandbyVersion("app/db", 3);
    primary.call("POST", "secret/delete/app/db", "{\"versions\":[1]}");
    primary.call("POST", "secret/undelete/app/db", "{\"versions\":[1]}");
    primary.call("POST", "secret/destroy/app/db", "{\"versions\":[2]}");
    primary.call("POST", "secret/delete/app/db", "{\"versions\":[3]}");
    primary.write("app/gone", "{\"x\":\"1\"}");
    primary.call("DELETE", "secret/metadata/app/gone", null);
    primary.call("POST", "legacy/team/app", "{\"token\":\"abc\"}");
    primary.call("PUT", "sys/policies/acl/app-read", "{\"policy\":\"path \\\"secret/data/app/*\\\" { capabilities = [\\\"read\\\"] }\"}");

    awaitVerifiedClean();
    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(3);
    assertThat(standby.read("secret/metadata/app/gone")).isNull();
    assertThat(dlqRecords()).isEmpty();
    assertThat(TestLog.text()).doesNotContain("canary-5521");
  }

  @Test
  void shouldApplyEveryOperationWithATokenHoldingExactlyTheShippedPolicy() throws Exception {
    String policy = "{\"policy\":" + new com.fasterxml.jackson.databind.ObjectMapper()
        .writeValueAsString(shippedPolicy()) + "}";
    // On both sides, so that verify finds the same policy set.
    standby.call("PUT", "sys/policies/acl/apply", policy);
    primary.call("PUT", "sys/policies/acl/apply", policy);
    String token = standby.createToken("apply");
    apply.close();
    startApply(token);

    primary.write("app/db", "{\"a\":\"1\"}");
    primary.call("POST", "secret/metadata/app/db", "{\"custom_metadata\":{\"owner\":\"team-a\"}}");
    primary.write("app/db", "{\"a\":\"2\"}");
    awaitStandbyVersion("app/db", 2);
    primary.call("POST", "secret/delete/app/db", "{\"versions\":[1]}");
    primary.call("POST", "secret/undelete/app/db", "{\"versions\":[1]}");
    primary.call("POST", "secret/destroy/app/db", "{\"versions\":[2]}");
    primary.write("app/gone", "{\"x\":\"1\"}");
    primary.call("DELETE", "secret/metadata/app/gone", null);
    primary.call("POST", "legacy/team/app", "{\"token\":\"abc\"}");
    primary.call("PUT", "sys/policies/acl/app-read", "{\"policy\":\"path \\\"secret/data/app/*\\\" { capabilities = [\\\"read\\\"] }\"}");

    awaitVerifiedClean();
    assertThat(apply.state()).isEqualTo(Apply.State.RUNNING);
  }

  /** The standby policy block of docs/apply.md, as an operator would copy it. */
  /** infra/deploy/vault-policies/apply.hcl, with the rule its comment asks for each KV v1 mount (legacy/ here). */
  private static String shippedPolicy() throws java.io.IOException {
    return java.nio.file.Files.readString(Path.of("..", "infra", "deploy", "vault-policies", "apply.hcl"))
        + "path \"legacy/*\" {\n  capabilities = [\"create\", \"update\", \"delete\"]\n}\n";
  }

  @Test
  void shouldPublishWatermarksThatPassEachWrite() {
    Instant before = Instant.now();
    primary.write("app/db", "{\"a\":\"1\"}");

    await().atMost(WAIT).untilAsserted(() -> {
      List<AppliedWatermark> watermarks = watermarks();
      assertThat(watermarks).isNotEmpty();
      assertThat(watermarks).allSatisfy(w -> assertThat(w.getRegion()).isEqualTo("west"));
      assertThat(watermarks.stream().map(AppliedWatermark::getPartition).distinct()).hasSize(3);
      assertThat(watermarks.stream().map(AppliedWatermark::getCapturedThrough)).anySatisfy(
          through -> assertThat(through).isAfter(before));
    });
    assertThat(standby.read("secret/data/app/db")).isNotNull();
    assertThat(registry.find("vault.replication.e2e.latency").timer().count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void shouldParkPoisonInTheDeadLetterTopicWithItsReasonWhileGoodRecordsFlow() throws Exception {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(prefix + ".changes", "secret/poison", "not an event".getBytes(StandardCharsets.UTF_8))).get();
    }
    primary.write("app/after-poison", "{\"a\":\"1\"}");

    await().atMost(WAIT).untilAsserted(() -> assertThat(standby.read("secret/data/app/after-poison")).isNotNull());
    await().atMost(WAIT).untilAsserted(() -> {
      List<ConsumerRecord<String, byte[]>> parked = dlqRecords();
      assertThat(parked).hasSize(1);
      assertThat(new String(parked.get(0).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
          .isEqualTo("undecodable");
      assertThat(parked.get(0).value()).isEqualTo("not an event".getBytes(StandardCharsets.UTF_8));
    });
  }

  @Test
  void shouldDrainEverythingAfterAThirtySecondStandbyOutageWithNothingInTheDeadLetterTopic() throws Exception {
    primary.write("before", "{\"a\":\"0\"}");
    await().atMost(WAIT).untilAsserted(() -> assertThat(standby.read("secret/data/before")).isNotNull());
    standby.stop();

    for (int i = 0; i < 20; i++) {
      primary.write("during/" + i, "{\"i\":\"" + i + "\"}");
    }
    // The outage lasts 30 s (the scenario), and apply must have been retrying through it. Stream
    // threads are replaced meanwhile, by design: their exceptions are no test failure.
    await().dontCatchUncaughtExceptions().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(60)).until(() -> retries() > 0);
    standby.start();

    awaitVerifiedClean();
    assertThat(dlqRecords()).isEmpty();
    assertThat(apply.state()).isEqualTo(Apply.State.RUNNING);
  }

  // ---- fixture -------------------------------------------------------------------------------

  private void startCapture() throws Exception {
    Map<String, String> settings = TestCapture.settings(kafka.bootstrapServers(), prefix, primary);
    settings.put(CaptureConfig.MOUNTS, "secret,legacy");
    capture = TestCapture.start(settings, primary, keyring, new SimpleMeterRegistry());
  }

  private void startApply() throws Exception {
    startApply(standby.rootToken());
  }

  private void startApply(String token) throws Exception {
    Map<String, String> settings = TestApply.settings(kafka.bootstrapServers(), prefix, "west", standby,
        workDir.resolve("state"));
    settings.put(ApplyConfig.VAULT_TOKEN, token);
    apply = TestApply.start(settings, keyring, registry);
  }

  private void awaitVerifiedClean() {
    TestApply.awaitConverged(primary, standby, List.of("secret", "legacy"), 1);
  }


  private void awaitStandbyVersion(String path, long version) {
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode metadata = standby.read("secret/metadata/" + path);
      assertThat(metadata).isNotNull();
      assertThat(metadata.path("current_version").asLong()).isEqualTo(version);
    });
  }

  private double retries() {
    var counter = registry.find("vault.apply.standby.retries").counter();
    return counter == null ? 0 : counter.count();
  }

  private List<AppliedWatermark> watermarks() {
    EventCodec codec = new EventCodec();
    return readAll(prefix + ".applied.west").stream().map(r -> codec.decode(r.value(), AppliedWatermark.class)).toList();
  }

  private List<ConsumerRecord<String, byte[]>> dlqRecords() {
    return readAll(prefix + ".dlq.west");
  }

  private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    return TestTopics.readAll(kafka.bootstrapServers(), topic);
  }
}
