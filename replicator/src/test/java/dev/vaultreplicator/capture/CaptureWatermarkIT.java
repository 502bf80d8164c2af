package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.testing.TestCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Capture's heartbeats vouch only for what is on the topic: captured_through freezes while the
 * audit stream or the primary is down, and every gap is covered by a scan before it moves on.
 */
class CaptureWatermarkIT extends CaptureFixture {

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

  /**
   * A sealed Vault commits nothing: once what it committed before the seal is published,
   * captured_through passes the seal (a switchover with stop_writes takes its final watermark
   * there). After the unseal, a new change is vouched for only after its event.
   */
  @Test
  void shouldVouchPastTheSealWhileThePrimaryIsSealedAndPublishWhatFollowsTheUnseal() throws Exception {
    startCapture(Map.of(CaptureConfig.BACKOFF_MAX, "1s"));
    awaitCapturedThroughPast(Instant.now());
    primary.write("before-seal", "{\"v\":\"1\"}");
    awaitEvents("secret/before-seal", "WRITE v1");

    primary.seal();
    Instant sealed = Instant.now();
    Instant vouched = awaitCapturedThroughPast(sealed.plusSeconds(1));
    primary.unseal();
    primary.write("after-unseal", "{\"v\":\"1\"}");
    Instant committed = Instant.parse(primary.read("secret/metadata/after-unseal").at("/versions/1/created_time")
        .asText());

    awaitEvents("secret/after-unseal", "WRITE v1");
    assertThat(vouched).isAfter(sealed);
    assertThat(committed).isAfter(vouched);
    assertNoHeartbeatVouchesForItBeforeItsEvent("after-unseal", committed);
  }
}
