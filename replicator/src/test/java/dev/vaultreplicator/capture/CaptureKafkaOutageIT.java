package dev.vaultreplicator.capture;

import dev.vaultreplicator.testing.TestVault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testkit.kafka.KafkaBroker;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capture while its Kafka broker is down: the primary goes on answering, and nothing is lost. */
class CaptureKafkaOutageIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path brokerDir;
  private KafkaBroker kafka;
  private VaultEmulator emulator;
  private Capture capture;
  private ChangesTopic topic;

  @AfterEach
  void stopAll() {
    if (topic != null) {
      topic.close();
    }
    if (capture != null) {
      capture.close();
    }
    if (emulator != null) {
      emulator.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void shouldKeepThePrimaryAnsweringAndPublishEveryVersionOnceTheBrokerIsBack() throws Exception {
    kafka = KafkaBroker.start(brokerDir);
    emulator = VaultEmulator.start();
    TestVault primary = new TestVault(emulator);
    capture = Capture.start(CaptureConfig.from(Map.of(
        CaptureConfig.REGION, "east",
        CaptureConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
        CaptureConfig.TOPIC_PARTITIONS, "2",
        CaptureConfig.VAULT_ADDRESS, primary.address(),
        CaptureConfig.VAULT_TOKEN, emulator.rootToken(),
        CaptureConfig.AUDIT_PORT, "0",
        CaptureConfig.METRICS_PORT, "-1",
        CaptureConfig.HEARTBEAT_INTERVAL, "200ms",
        CaptureConfig.EPOCH_BOOTSTRAP, "true")), Keyring.generate("k"), new SimpleMeterRegistry());
    primary.enableAudit("capture", capture.auditPort());
    primary.write("steady", "{\"v\":\"0\"}");
    await().atMost(WAIT).until(() -> capture.capturedThrough().isPresent());

    kafka.stop();
    Instant outage = Instant.now();
    for (int v = 1; v <= 10; v++) {
      primary.write("steady", "{\"v\":\"" + v + "\"}");
      primary.write("during-outage-" + v, "{\"v\":\"1\"}");
    }
    Instant written = Instant.now();
    Duration writing = Duration.between(outage, written);
    // Unacknowledged changes hold captured_through back; left alone it would pass `written` in 250 ms.
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
        .until(() -> capture.capturedThrough().orElseThrow().isBefore(written));
    kafka.restart();

    topic = new ChangesTopic(kafka.bootstrapServers(), "vr.changes");
    assertThat(writing).as("20 writes while Kafka is down").isLessThan(Duration.ofSeconds(5));
    await().atMost(WAIT).untilAsserted(() -> assertThat(versions("steady"))
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L));
    for (int v = 1; v <= 10; v++) {
      assertThat(versions("during-outage-" + v)).containsExactly(1L);
    }
    await().atMost(WAIT).until(() -> topic.heartbeats().stream().map(Heartbeat::getCapturedThrough)
        .anyMatch(through -> through.isAfter(written)));
    assertThat(capture.state()).as("an outage never stops capture").isEqualTo(Capture.State.RUNNING);
  }

  private List<Long> versions(String path) {
    return topic.events().stream().filter(SecretChange.class::isInstance).map(SecretChange.class::cast)
        .filter(change -> change.getPath().equals(path)).map(SecretChange::getSourceVersion).toList();
  }
}
