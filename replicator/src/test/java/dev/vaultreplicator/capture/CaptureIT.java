package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.KeyringLoader;
import dev.vaultreplicator.testing.TestLog;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Capture publishes what the primary committed: every operation, once, in order, sealed, under its epoch. */
class CaptureIT extends CaptureFixture {

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

    // The counter is there at 0 from the start (so that an alert sees its first increase).
    await().atMost(WAIT).until(() -> registry.get("vault.capture.scan.guard.tripped").tag("source", "secret")
        .counter().count() >= 1);
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

  /** Issue 17: a rotated sealing key can be retired once capture has sealed the topic's data again under the new one. */
  @Test
  void shouldSealAgainUnderTheNewCurrentKeyWhatTheTopicHoldsUnderTheOldOne() throws Exception {
    String oldKey = randomKey();
    keyring = keyring("current = old; key.old = " + oldKey);
    startCapture(Map.of());
    primary.write("app/db", "{\"v\":\"1\"}");
    primary.write("app/db", "{\"v\":\"2\"}");
    awaitEvents("secret/app/db", "WRITE v1", "WRITE v2");
    capture.close();
    primary.disableAudit("capture");

    keyring = keyring("current = new; key.old = " + oldKey + "; key.new = " + randomKey());
    startCapture(Map.of());

    awaitEvents("secret/app/db", "WRITE v1", "WRITE v2", "WRITE v1", "WRITE v2");
    List<SecretChange> resealed = secretChanges("secret/app/db").subList(2, 4);
    assertThat(resealed).extracting(change -> change.getSealedData().getKeyId()).containsExactly("new", "new");
    assertThat(resealed).extracting(this::open).containsExactly("{\"v\":\"1\"}", "{\"v\":\"2\"}");

    capture.close();
    primary.disableAudit("capture");
    startCapture(Map.of());
    awaitCapturedThroughPast(Instant.now());
    assertThat(secretChanges("secret/app/db")).as("nothing sealed again under the current key").hasSize(4);
  }

  private static Keyring keyring(String text) {
    return KeyringLoader.fromEnvironment(Map.of("TEST_KEYRING", text), "TEST_KEYRING");
  }

  private static String randomKey() {
    byte[] key = new byte[Keyring.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @Test
  void shouldCaptureWithNoMoreRightsThanTheShippedPolicy() throws Exception {
    String hcl = Files.readString(Path.of("..", "infra", "deploy", "vault-policies", "capture.hcl"),
        StandardCharsets.UTF_8);
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
}
