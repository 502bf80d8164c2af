package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testing.OnBroker;
import dev.vaultreplicator.testing.TestCapture;
import dev.vaultreplicator.testing.TestTopics;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testing.VaultKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliverable 7 once the log cleaner has run: a region started after compaction converges to the
 * primary, for every way a secret's last record used to hide the data of its live versions.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(VaultKind.class)
class CompactionBootstrapIT extends OnBroker {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path workDir;

  private final Keyring keyring = Keyring.generate("it-key");
  private final List<AutoCloseable> running = new ArrayList<>();
  private final String prefix = "compaction-it-" + System.nanoTime();
  @Parameter
  VaultKind vaultKind;
  private TestVault primary;
  private Capture capture;

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable each : running) {
      each.close();
    }
  }

  @Test
  void shouldBringARegionStartedAfterCompactionUpToThePrimary() throws Exception {
    createChangesTopicTheCleanerCompactsLater();
    primary = vaultKind.start();
    running.add(primary);
    capture = TestCapture.start(TestCapture.settings(kafka.bootstrapServers(), prefix, primary), primary, keyring,
        new SimpleMeterRegistry());
    running.add(0, capture);
    TestVault west = standby();
    SimpleMeterRegistry westMetrics = new SimpleMeterRegistry();
    startApply("west", west, westMetrics);

    writeSecretsWhoseLastRecordIsNotTheirData();
    awaitVerifiedClean(west);
    // West has read every record, tombstones included, before the cleaner may remove any: a reader that
    // lags behind the cleaner never sees a tombstone, which is correct but would make the count a race.
    Counter tombstonesSkipped = westMetrics.find("vault.apply.skipped").tag("reason", "tombstone").counter();
    assertThat(tombstonesSkipped).isNotNull();
    assertThat(tombstonesSkipped.count()).isPositive();
    letTheCleanerCompactAtOnce();
    // The cleaner has run once the data of pruned and destroyed versions, and their tombstones, are gone.
    await().atMost(WAIT).until(() -> !recordKeys().contains("secret/app/pruned#v1")
        && !recordKeys().contains("secret/app/destroyed#v2") && !recordKeys().contains("secret/app/gone#v1"));
    assertThat(recordKeys()).contains("secret/app/settings#v1", "secret/app/settings#meta",
        "secret/app/destroyed#v2#state", "secret/app/gone#deleted");

    TestVault south = standby();
    startApply("south", south, new SimpleMeterRegistry());

    awaitVerifiedClean(south);
    assertThat(south.read("secret/metadata/app/pruned").path("current_version").asLong()).isEqualTo(6);
    assertThat(TestTopics.readAll(kafka.bootstrapServers(), prefix + ".dlq.west")).isEmpty();
    assertThat(TestTopics.readAll(kafka.bootstrapServers(), prefix + ".dlq.south")).isEmpty();
  }

  /**
   * Under keys by secret, each of these lost the data of live versions to compaction. Every
   * version is captured before it is changed again, as {@code ApplyIT} explains.
   */
  private void writeSecretsWhoseLastRecordIsNotTheirData() {
    primary.write("app/settings", "{\"v\":\"1\"}");
    primary.write("app/soft", "{\"v\":\"1\"}");
    primary.write("app/soft", "{\"v\":\"2\"}");
    primary.write("app/destroyed", "{\"v\":\"1\"}");
    primary.write("app/destroyed", "{\"v\":\"2\"}");
    primary.write("app/destroyed", "{\"v\":\"3\"}");
    primary.write("app/newest-destroyed", "{\"v\":\"1\"}");
    primary.write("app/newest-destroyed", "{\"v\":\"2\"}");
    primary.write("app/recreated", "{\"v\":\"old\"}");
    primary.write("app/gone", "{\"v\":\"1\"}");
    primary.call("POST", "secret/metadata/app/pruned", "{\"max_versions\":3}");
    for (int v = 1; v <= 6; v++) {
      primary.write("app/pruned", "{\"v\":\"" + v + "\"}");
    }
    awaitRecordKeys("secret/app/soft#v2", "secret/app/destroyed#v3", "secret/app/newest-destroyed#v2",
        "secret/app/recreated#v1", "secret/app/gone#v1", "secret/app/settings#v1", "secret/app/pruned#v6");

    primary.call("POST", "secret/metadata/app/settings", "{\"custom_metadata\":{\"owner\":\"team-a\"}}");
    primary.call("POST", "secret/delete/app/soft", "{\"versions\":[1]}");
    primary.call("POST", "secret/destroy/app/destroyed", "{\"versions\":[2]}");
    primary.call("POST", "secret/destroy/app/newest-destroyed", "{\"versions\":[2]}");
    primary.call("DELETE", "secret/metadata/app/recreated", null);
    primary.call("DELETE", "secret/metadata/app/gone", null);
    awaitRecordKeys("secret/app/recreated#deleted");
    primary.write("app/recreated", "{\"v\":\"new\"}");
    primary.call("PUT", "sys/policies/acl/app-read",
        "{\"policy\":\"path \\\"secret/data/app/*\\\" { capabilities = [\\\"read\\\"] }\"}");
  }

  /** Compacted at once, small segments, tombstones kept briefly; held back until {@link #letTheCleanerCompactAtOnce}. */
  private void createChangesTopicTheCleanerCompactsLater() throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(prefix + ".changes", Optional.of(3), Optional.empty()).configs(Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
          TopicConfig.SEGMENT_MS_CONFIG, "100",
          TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01",
          TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(Duration.ofHours(1).toMillis()),
          TopicConfig.DELETE_RETENTION_MS_CONFIG, "100")))).all().get();
    }
  }

  private void letTheCleanerCompactAtOnce() throws Exception {
    try (Admin admin = admin()) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, prefix + ".changes");
      admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
          new ConfigEntry(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0"), AlterConfigOp.OpType.SET)))).all().get();
    }
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private Set<String> recordKeys() {
    return TestTopics.readAll(kafka.bootstrapServers(), prefix + ".changes").stream().map(ConsumerRecord::key)
        .collect(Collectors.toSet());
  }

  private void awaitRecordKeys(String... keys) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(recordKeys()).contains(keys));
  }

  private TestVault standby() {
    TestVault standby = vaultKind.start();
    running.add(standby);
    return standby;
  }

  private void startApply(String region, TestVault standby, SimpleMeterRegistry registry) throws Exception {
    running.add(0, TestApply.start(TestApply.settings(kafka.bootstrapServers(), prefix, region, standby,
        workDir.resolve("state-" + region)), keyring, registry));
  }

  private void awaitVerifiedClean(TestVault standby) {
    TestApply.awaitConverged(primary, standby, List.of("secret"), 10);
  }

}
