package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.Envelope;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.SecretSealer;
import dev.vaultreplicator.testing.OnBroker;
import dev.vaultreplicator.testing.TestCapture;
import dev.vaultreplicator.testing.TestLog;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testing.VaultKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Capture against a real broker and a real OpenBao, and the emulator, each with its socket audit device. */
@ParameterizedClass(name = "on {0}")
@EnumSource(VaultKind.class)
class CaptureIT extends OnBroker {

  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Keyring keyring = Keyring.generate("test-key");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  @Parameter
  VaultKind vaultKind;
  private TestVault primary;
  private String prefix;
  private Capture capture;
  private ChangesTopic topic;

  @BeforeEach
  void startPrimary() {
    primary = vaultKind.start();
    prefix = "capture-it-" + PREFIXES.incrementAndGet() + "-" + System.nanoTime();
  }

  @AfterEach
  void stopAll() {
    if (topic != null) {
      topic.close();
    }
    if (capture != null) {
      capture.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  @Test
  void shouldPublishEveryKv2OperationAsItsOwnEventInOrder() throws Exception {
    startCapture(Map.of());

    primary.write("app/db", "{\"password\":\"one\"}");
    awaitEvents("secret/app/db", "WRITE v1");
    primary.write("app/db", "{\"password\":\"two\"}");
    awaitEvents("secret/app/db", "WRITE v1", "WRITE v2");
    primary.call("POST", "secret/metadata/app/db", "{\"max_versions\":5,\"custom_metadata\":{\"owner\":\"team-a\"}}");
    awaitEvents("secret/app/db", "WRITE v1", "WRITE v2", "METADATA v2");
    primary.call("POST", "secret/delete/app/db", "{\"versions\":[1]}");
    awaitEvents("secret/app/db", "WRITE v1", "WRITE v2", "METADATA v2", "SOFT_DELETE [1]");
    primary.call("POST", "secret/undelete/app/db", "{\"versions\":[1]}");
    awaitEvents("secret/app/db", "WRITE v1", "WRITE v2", "METADATA v2", "SOFT_DELETE [1]", "UNDELETE [1]");
    primary.call("POST", "secret/destroy/app/db", "{\"versions\":[2]}");
    awaitEvents("secret/app/db", "WRITE v1", "WRITE v2", "METADATA v2", "SOFT_DELETE [1]", "UNDELETE [1]",
        "DESTROY [2]");
    primary.call("DELETE", "secret/metadata/app/db", null);
    awaitEvents("secret/app/db", "WRITE v1", "WRITE v2", "METADATA v2", "SOFT_DELETE [1]", "UNDELETE [1]",
        "DESTROY [2]", "DELETE_METADATA v2");

    SecretChange metadata = secretChanges("secret/app/db").get(2);
    assertThat(metadata.getMetadata().getMaxVersions()).isEqualTo(5);
    assertThat(metadata.getMetadata().getCustomMetadata()).containsEntry("owner", "team-a");
    SecretChange second = secretChanges("secret/app/db").get(1);
    assertThat(open(second)).isEqualTo("{\"password\":\"two\"}");
    assertThat(second.getEpoch()).isEqualTo(1);
    assertThat(second.getSourceRegion()).isEqualTo("east");
    // Each record key names what it replaces on the compacted topic; nothing of the deleted secret stays.
    assertThat(topic.keys()).filteredOn(key -> key.startsWith("secret/app/db#")).containsExactly(
        "secret/app/db#v1", "secret/app/db#v2", "secret/app/db#meta", "secret/app/db#v1#state",
        "secret/app/db#v1#state", "secret/app/db#v2#state", "secret/app/db#deleted");
    await().untilAsserted(() -> assertThat(topic.tombstones()).containsExactly(
        "secret/app/db#v2", "secret/app/db#v1", "secret/app/db#v1#state", "secret/app/db#v2",
        "secret/app/db#v2#state", "secret/app/db#meta"));
  }

  @Test
  void shouldTombstoneTheRecordsOfVersionsThePrimaryPruned() throws Exception {
    startCapture(Map.of());
    primary.call("POST", "secret/metadata/app/short", "{\"max_versions\":2}");
    awaitEvents("secret/app/short", "METADATA v0");
    primary.write("app/short", "{\"n\":\"1\"}");
    awaitEvents("secret/app/short", "METADATA v0", "WRITE v1");
    primary.write("app/short", "{\"n\":\"2\"}");
    awaitEvents("secret/app/short", "METADATA v0", "WRITE v1", "WRITE v2");
    primary.call("POST", "secret/delete/app/short", "{\"versions\":[1]}");
    awaitEvents("secret/app/short", "METADATA v0", "WRITE v1", "WRITE v2", "SOFT_DELETE [1]");

    primary.write("app/short", "{\"n\":\"3\"}");
    primary.write("app/short", "{\"n\":\"4\"}");

    awaitEvents("secret/app/short", "METADATA v0", "WRITE v1", "WRITE v2", "SOFT_DELETE [1]", "WRITE v3", "WRITE v4");
    await().untilAsserted(() -> assertThat(topic.tombstones()).containsExactly(
        "secret/app/short#v1", "secret/app/short#v1#state", "secret/app/short#v2", "secret/app/short#v2#state"));
  }

  /**
   * A write to a key capture knows is read as the one version its audit line named, and what it
   * pruned follows from the mount's max_versions, read from its config and again when that changes.
   */
  @Test
  void shouldCaptureAWriteByReadingItsVersionAloneAndPruneByTheMountsMaxVersions() throws Exception {
    primary.call("POST", "secret/config", "{\"max_versions\":3}");
    startCapture(Map.of());
    awaitCapturedThroughPast(Instant.now()); // the first scan is over: every write below comes by the stream
    primary.write("app/mount-limited", "{\"n\":\"1\"}");
    awaitEvents("secret/app/mount-limited", "WRITE v1");
    primary.call("POST", "secret/config", "{\"max_versions\":2}");

    // Back to back: their triggers may merge, and still name the two versions one after another.
    primary.write("app/mount-limited", "{\"n\":\"2\"}");
    primary.write("app/mount-limited", "{\"n\":\"3\"}");

    awaitEvents("secret/app/mount-limited", "WRITE v1", "WRITE v2", "WRITE v3");
    await().atMost(WAIT).untilAsserted(() -> assertThat(topic.tombstones())
        .containsExactly("secret/app/mount-limited#v1", "secret/app/mount-limited#v1#state"));
    assertThat(registry.get("vault.capture.versions.read.alone").counter().count())
        .as("v2 and v3; v1 was a key capture had published nothing of").isEqualTo(2.0);
  }

  @Test
  void shouldPublishKv1WritesAndDeletesAndPolicyChanges() throws Exception {
    primary.call("POST", "sys/mounts/legacy", "{\"type\":\"kv\",\"options\":{\"version\":\"1\"}}");
    startCapture(Map.of(CaptureConfig.MOUNTS, "secret,legacy"));

    primary.call("POST", "legacy/team/app", "{\"token\":\"abc\"}");
    awaitEvents("legacy/team/app", "WRITE v0");
    primary.call("DELETE", "legacy/team/app", null);
    awaitEvents("legacy/team/app", "WRITE v0", "DELETE_METADATA v0");

    primary.call("PUT", "sys/policies/acl/app-read", "{\"policy\":\"path \\\"secret/data/app/*\\\" { capabilities = [\\\"read\\\"] }\"}");
    awaitEvents("sys/policy/app-read", "POLICY WRITE");
    primary.call("DELETE", "sys/policy/app-read", null);
    awaitEvents("sys/policy/app-read", "POLICY WRITE", "POLICY DELETE");

    PolicyChange written = (PolicyChange) events("sys/policy/app-read").get(0);
    assertThat(written.getPolicy()).contains("secret/data/app/*");
  }

  @Test
  void shouldRepairWhatChangedWhileCaptureWasDownWithoutRepublishing() throws Exception {
    startCapture(Map.of());
    primary.write("kept", "{\"v\":\"1\"}");
    primary.write("doomed", "{\"v\":\"1\"}");
    awaitEvents("secret/kept", "WRITE v1");
    awaitEvents("secret/doomed", "WRITE v1");
    capture.close();
    primary.disableAudit("capture");

    primary.write("kept", "{\"v\":\"2\"}");
    primary.write("born-while-down", "{\"v\":\"1\"}");
    primary.call("DELETE", "secret/metadata/doomed", null);
    startCapture(Map.of());

    awaitEvents("secret/kept", "WRITE v1", "WRITE v2");
    awaitEvents("secret/born-while-down", "WRITE v1");
    awaitEvents("secret/doomed", "WRITE v1", "DELETE_METADATA v1");
  }

  @Test
  void shouldBootstrapEveryKeyOnceWithScanReadersSideBySideAndNoFasterThanTheirRate() throws Exception {
    // Given a primary holding keys capture never heard of
    int keys = 60;
    for (int k = 0; k < keys; k++) {
      primary.write("boot/k" + k, "{\"v\":\"" + k + "\"}");
    }

    // When capture starts with four scan readers, at most 100 keys a second
    startCapture(Map.of(CaptureConfig.SCAN_THREADS, "4", CaptureConfig.SCAN_RATE, "100"));

    // Then every key is published once, and the first scan took at least as long as the rate allows
    await().atMost(WAIT).untilAsserted(() -> assertThat(secretChanges().stream()
        .filter(c -> c.getPath().startsWith("boot/")).map(c -> c.getPath() + " " + c.getOperation()).toList())
        .hasSize(keys).doesNotHaveDuplicates().allMatch(c -> c.endsWith(" WRITE")));
    await().atMost(WAIT).until(() -> scansCompleted() >= 1);
    assertThat(registry.get("vault.capture.scan.duration").timer().max(TimeUnit.MILLISECONDS))
        .isGreaterThanOrEqualTo((keys - 1) * 1000.0 / 100 * 0.9);
  }

  private long scansCompleted() {
    var timer = registry.find("vault.capture.scan.duration").timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void shouldHoldBackDeletesWhenAScanSeesFarFewerKeysThanWerePublished() throws Exception {
    startCapture(Map.of());
    for (int i = 0; i < 20; i++) {
      primary.write("many/key-" + i, "{\"v\":\"1\"}");
    }
    await().atMost(WAIT).until(() -> events().size() >= 20);
    capture.close();
    primary.disableAudit("capture");
    for (int i = 0; i < 15; i++) {
      primary.call("DELETE", "secret/metadata/many/key-" + i, null);
    }

    startCapture(Map.of());

    await().atMost(WAIT).until(() -> registry.find("vault.capture.scan.guard.tripped").counter() != null);
    assertThat(registry.get("vault.capture.scan.guard.tripped").tag("source", "secret").counter().count())
        .isEqualTo(1.0);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> capture.capturedThrough().isEmpty());
    assertThat(secretChanges()).noneMatch(c -> c.getOperation() == dev.vaultreplicator.events.Operation.DELETE_METADATA);
  }

  /**
   * On OpenBao, removing the device leaves its connection open with nothing on it (issue 14), so
   * capture must prove the stream delivers, not only that it is connected.
   */
  @Test
  void shouldFreezeCapturedThroughWhileTheAuditStreamIsDown() throws Exception {
    startCapture(Map.of());
    Instant before = awaitCapturedThroughPast(Instant.now());

    primary.disableAudit("capture");
    await().atMost(WAIT).until(() -> registry.get("vault.capture.audit.stream.delivering").gauge().value() == 0.0);
    Instant frozen = latestHeartbeat().getCapturedThrough();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> latestHeartbeat().getCapturedThrough().equals(frozen));
    assertThat(frozen).isAfterOrEqualTo(before);

    primary.enableAudit("capture", capture.auditPort());
    awaitCapturedThroughPast(Instant.now());
    assertThat(registry.get("vault.capture.audit.stream.delivering").gauge().value()).isEqualTo(1.0);
    assertThat(topic.heartbeats().stream().map(Heartbeat::getPartition).distinct())
        .as("a heartbeat on every partition").containsExactlyInAnyOrder(0, 1, 2);
  }

  /**
   * The gap's scan runs while the stream is still down, so a change after it is on no scan's list:
   * only a scan that starts once the stream delivers again covers it, and captured_through may not
   * vouch for that change before it is published.
   */
  @Test
  void shouldCoverAChangeTheStreamMissedAfterTheGapsScanWithAScanOnceItDeliversAgain() throws Exception {
    startCapture(Map.of());
    awaitCapturedThroughPast(Instant.now());
    primary.disableAudit("capture");
    await().atMost(WAIT).until(() -> registry.get("vault.capture.audit.stream.delivering").gauge().value() == 0.0);
    await().atMost(WAIT).until(() -> scansCompleted() >= 2); // the first scan, then the gap's

    primary.write("while-down", "{\"v\":\"1\"}");
    Instant committed = Instant.parse(primary.read("secret/metadata/while-down").at("/versions/1/created_time").asText());
    primary.enableAudit("capture", capture.auditPort());

    awaitEvents("secret/while-down", "WRITE v1");
    assertNoHeartbeatVouchesForItBeforeItsEvent("while-down", committed);
  }

  /**
   * The first scan waits for the stream to deliver: one that ran before would leave a gap behind it
   * (lines lost until the device connected), and a second full scan would have to cover it.
   */
  @Test
  void shouldScanOnceAtStartWhenTheAuditDeviceConnectsSecondsAfterCapture() throws Exception {
    primary.write("there-before", "{\"v\":\"1\"}");
    Map<String, String> settings = TestCapture.settings(kafka.bootstrapServers(), prefix, primary);
    capture = Capture.start(CaptureConfig.from(settings), keyring, registry);
    topic = new ChangesTopic(kafka.bootstrapServers(), prefix + ".changes");
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> scansCompleted() == 0);

    primary.enableAudit("capture", capture.auditPort());

    awaitEvents("secret/there-before", "WRITE v1");
    awaitCapturedThroughPast(Instant.now());
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> scansCompleted() == 1);
  }

  /** Issue 14: a socket device may lose the line it was writing when its connection breaks. */
  @Test
  void shouldRepairALostAuditLineWithAScanAndNeverVouchForItBeforeItIsPublished() throws Exception {
    startCapture(Map.of());
    try (LineDroppingProxy proxy = new LineDroppingProxy(capture.auditPort())) {
      primary.disableAudit("capture");
      primary.enableAudit("capture", proxy.port());
      primary.write("before", "{\"v\":\"1\"}");
      awaitEvents("secret/before", "WRITE v1");
      proxy.dropNext(line -> line.contains("\"type\":\"response\"") && line.contains("\"path\":\"secret/data/lost\""));

      primary.write("lost", "{\"v\":\"1\"}");

      await().atMost(WAIT).until(() -> proxy.dropped() != null);
      Instant committed = Instant.parse(primary.read("secret/metadata/lost").at("/versions/1/created_time").asText());
      awaitEvents("secret/lost", "WRITE v1"); // the scan the disconnect asked for found it
      assertNoHeartbeatVouchesForItBeforeItsEvent("lost", committed);
    }
  }

  /** Some heartbeat vouches for the commit of {@code path}'s event, and every one that does comes after it. */
  private void assertNoHeartbeatVouchesForItBeforeItsEvent(String path, Instant committed) {
    ChangesTopic.Positioned event = topic.positioned().stream()
        .filter(p -> p.event() instanceof SecretChange c && c.getPath().equals(path)).findFirst().orElseThrow();
    await().atMost(WAIT).until(() -> vouchingFor(committed, event.partition()).findAny().isPresent());
    assertThat(vouchingFor(committed, event.partition()))
        .as("every heartbeat that vouches for the commit of " + path + " comes after its event")
        .allSatisfy(heartbeat -> assertThat(heartbeat.offset()).isGreaterThan(event.offset()));
  }

  /** The heartbeats on a partition whose captured_through covers {@code committed}. */
  private java.util.stream.Stream<ChangesTopic.Positioned> vouchingFor(Instant committed, int partition) {
    return topic.positioned().stream().filter(p -> p.partition() == partition && p.event() instanceof Heartbeat h
        && !h.getCapturedThrough().isBefore(committed));
  }

  @Test
  void shouldStopPublishingOnceANewerEpochNamesAnotherRegion() throws Exception {
    startCapture(Map.of());
    primary.write("before-fence", "{\"v\":\"1\"}");
    awaitEvents("secret/before-fence", "WRITE v1");

    claimEpoch(2, "west");
    AtomicInteger seen = new AtomicInteger(-1);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
        .until(() -> seen.getAndSet(topic.heartbeats().size()) == topic.heartbeats().size());

    primary.write("after-fence", "{\"v\":\"1\"}");
    await().atMost(WAIT).until(() -> registry.get("vault.capture.fenced.changes").counter().count() >= 1);
    assertThat(events("secret/after-fence")).isEmpty();
    assertThat(topic.heartbeats()).hasSize(seen.get());
  }

  @Test
  void shouldPublishAgainUnderTheNewEpochWhenTheRegionIsPrimaryOnceMore() throws Exception {
    startCapture(Map.of());
    primary.write("kept", "{\"v\":\"1\"}");
    awaitEvents("secret/kept", "WRITE v1");
    claimEpoch(2, "west");
    await().atMost(WAIT).until(() -> capture.capturedThrough().isEmpty());

    claimEpoch(3, "east");
    Instant failback = Instant.now();
    primary.write("after-failback", "{\"v\":\"1\"}");

    awaitEvents("secret/after-failback", "WRITE v1");
    assertThat(secretChanges("secret/after-failback").get(0).getEpoch()).isEqualTo(3);
    // Nothing east published under epoch 1 counts under epoch 3: the scan publishes it again.
    await().atMost(WAIT).untilAsserted(() -> assertThat(secretChanges("secret/kept"))
        .extracting(SecretChange::getEpoch).containsExactly(1L, 3L));
    await().atMost(WAIT).until(() -> latestHeartbeat().getEpoch() == 3
        && latestHeartbeat().getCapturedThrough().isAfter(failback));
  }

  @Test
  void shouldNeverWriteASecretValueToKafkaOrTheLog() throws Exception {
    String canary = "CANARY-" + System.nanoTime();
    startCapture(Map.of());
    primary.write("canary", "{\"value\":\"" + canary + "\"}");
    awaitEvents("secret/canary", "WRITE v1");

    byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
    assertThat(topic.rawValues()).noneMatch(value -> contains(value, needle));
    assertThat(open(secretChanges("secret/canary").get(0))).contains(canary);
    assertThat(TestLog.text()).doesNotContain(canary);
  }

  @Test
  void shouldFreezeHeartbeatsWhileThePrimaryIsSealedAndPublishWhatFollowsTheUnseal() throws Exception {
    startCapture(Map.of(CaptureConfig.BACKOFF_MAX, "1s"));
    awaitCapturedThroughPast(Instant.now());

    primary.seal();
    // Advancing, captured_through trails now by the delivery allowance (250 ms) plus a heartbeat.
    await().atMost(WAIT).until(() -> registry.get("vault.capture.heartbeat.age").gauge().value() > 1.5);
    Instant frozen = capture.capturedThrough().orElseThrow().truncatedTo(ChronoUnit.MILLIS); // as Avro keeps it
    await().atMost(WAIT).until(() -> latestHeartbeat().getCapturedThrough().equals(frozen));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> latestHeartbeat().getCapturedThrough().equals(frozen));
    primary.unseal();
    Instant unsealed = Instant.now();
    primary.write("after-unseal", "{\"v\":\"1\"}");

    awaitEvents("secret/after-unseal", "WRITE v1");
    assertThat(awaitCapturedThroughPast(unsealed)).isAfter(frozen);
  }

  @Test
  void shouldPublishEveryVersionOnceWhenTheBufferOverflows() throws Exception {
    startCapture(Map.of(CaptureConfig.AUDIT_BUFFER, "1", CaptureConfig.READ_THREADS, "1"));
    int keys = 20;
    int versions = 4;

    ExecutorService writers = Executors.newFixedThreadPool(4);
    for (int k = 0; k < keys; k++) {
      int key = k;
      writers.execute(() -> {
        for (int v = 0; v < versions; v++) {
          primary.write("flood/k" + key, "{\"v\":\"" + v + "\"}");
        }
      });
    }
    // A burst of triggers far faster than one reader drains them makes the overflow certain.
    try (Socket device = new Socket("127.0.0.1", capture.auditPort())) {
      StringBuilder burst = new StringBuilder();
      for (int k = 0; k < keys; k++) {
        burst.append("{\"type\":\"response\",\"request\":{\"operation\":\"update\",\"path\":\"secret/data/flood/k")
            .append(k).append("\"}}\n");
      }
      device.getOutputStream().write(burst.toString().getBytes(StandardCharsets.UTF_8));
    }
    writers.shutdown();
    assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    assertThat(registry.get("vault.capture.buffer.overflows").counter().count()).isPositive();
    for (int k = 0; k < keys; k++) {
      awaitEvents("secret/flood/k" + k, "WRITE v1", "WRITE v2", "WRITE v3", "WRITE v4");
    }
  }

  @Test
  void shouldCaptureWithNoMoreRightsThanThePolicyDocsCapturePrescribes() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "capture.md"), StandardCharsets.UTF_8);
    String afterMarker = doc.substring(doc.indexOf("<!-- capture-policy -->"));
    String hcl = afterMarker.substring(afterMarker.indexOf("```hcl\n") + 7, afterMarker.indexOf("\n```\n"));
    primary.call("PUT", "sys/policies/acl/capture",
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("policy", hcl)));
    primary.write("existing", "{\"v\":\"1\"}");

    startCapture(Map.of(CaptureConfig.VAULT_TOKEN, primary.createToken("capture")));
    primary.write("app/db", "{\"v\":\"1\"}");
    primary.call("PUT", "sys/policies/acl/app", "{\"policy\":\"path \\\"secret/data/app/*\\\" { capabilities = [\\\"read\\\"] }\"}");

    awaitEvents("secret/existing", "WRITE v1");
    awaitEvents("secret/app/db", "WRITE v1");
    awaitEvents("sys/policy/app", "POLICY WRITE");
    awaitEvents("sys/policy/capture", "POLICY WRITE");
    awaitCapturedThroughPast(Instant.now());
    assertThat(registry.find("vault.capture.primary.errors").counters()).isEmpty();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private void startCapture(Map<String, String> overrides) throws Exception {
    Map<String, String> settings = TestCapture.settings(kafka.bootstrapServers(), prefix, primary);
    settings.putAll(overrides);
    capture = TestCapture.start(settings, primary, keyring, registry);
    if (topic == null) {
      topic = new ChangesTopic(kafka.bootstrapServers(), prefix + ".changes");
    }
  }

  private void awaitEvents(String key, String... expected) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(events(key).stream().map(CaptureIT::describe).toList())
        .containsExactly(expected));
  }

  private List<SpecificRecord> events() {
    return topic.events();
  }

  private List<SpecificRecord> events(String key) {
    return topic.events().stream().filter(e -> key.equals(keyOf(e))).toList();
  }

  private List<SecretChange> secretChanges() {
    return topic.events().stream().filter(SecretChange.class::isInstance).map(SecretChange.class::cast).toList();
  }

  private List<SecretChange> secretChanges(String key) {
    return events(key).stream().map(SecretChange.class::cast).toList();
  }

  private Heartbeat latestHeartbeat() {
    List<Heartbeat> all = topic.heartbeats();
    return all.get(all.size() - 1);
  }

  private Instant awaitCapturedThroughPast(Instant instant) {
    await().atMost(WAIT).until(() -> !topic.heartbeats().isEmpty()
        && latestHeartbeat().getCapturedThrough().isAfter(instant.minusMillis(300)));
    return latestHeartbeat().getCapturedThrough();
  }

  private void claimEpoch(long epoch, String region) throws Exception {
    EpochRecord claim = EpochRecord.newBuilder().setEpoch(epoch).setPrimaryRegion(region).setSince(Instant.now())
        .setRequestedBy("test").setReason("test").setForced(false).setRequestId(null).build();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(prefix + ".control", Long.toString(epoch),
          new dev.vaultreplicator.codec.EventCodec().encode(claim))).get();
    }
  }

  private String open(SecretChange change) {
    return new String(new SecretSealer(keyring).open(Envelope.of(change), change.getSealedData()).json(),
        StandardCharsets.UTF_8);
  }

  private static String keyOf(SpecificRecord event) {
    if (event instanceof SecretChange c) {
      return c.getMount() + "/" + c.getPath();
    }
    return event instanceof PolicyChange p ? "sys/policy/" + p.getName() : null;
  }

  private static String describe(SpecificRecord event) {
    if (event instanceof PolicyChange p) {
      return "POLICY " + p.getOperation();
    }
    SecretChange c = (SecretChange) event;
    return switch (c.getOperation()) {
      case SOFT_DELETE, UNDELETE, DESTROY -> c.getOperation() + " " + c.getVersions();
      default -> c.getOperation() + " v" + c.getSourceVersion();
    };
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
