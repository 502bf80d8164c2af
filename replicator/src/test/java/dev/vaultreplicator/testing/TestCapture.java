package dev.vaultreplicator.testing;

import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.seal.Keyring;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/** Capture of region {@code east} as the tests run it: fed by the audit stream, not by the hourly scan. */
public final class TestCapture {

  private TestCapture() {}

  /** Three partitions, heartbeats every 200 ms, the first epoch claimed at start; a mutable map for overrides. */
  public static Map<String, String> settings(String bootstrapServers, String prefix, TestVault primary) {
    Map<String, String> settings = new HashMap<>(Map.of(
        CaptureConfig.REGION, "east",
        CaptureConfig.BOOTSTRAP_SERVERS, bootstrapServers,
        CaptureConfig.TOPIC_PREFIX, prefix,
        CaptureConfig.TOPIC_PARTITIONS, "3",
        CaptureConfig.VAULT_ADDRESS, primary.address(),
        CaptureConfig.VAULT_TOKEN, primary.rootToken(),
        CaptureConfig.AUDIT_PORT, "0",
        CaptureConfig.HEARTBEAT_INTERVAL, "200ms",
        CaptureConfig.EPOCH_BOOTSTRAP, "true",
        CaptureConfig.SCAN_INTERVAL, "1h"));
    settings.put(CaptureConfig.METRICS_PORT, "-1");
    return settings;
  }

  /** Starts capture and points the primary's socket audit device at it. */
  public static Capture start(Map<String, String> settings, TestVault primary, Keyring keyring, MeterRegistry registry)
      throws java.io.IOException, InterruptedException {
    Capture capture = Capture.start(CaptureConfig.from(settings), keyring, registry);
    primary.enableAudit("capture", capture.auditPort());
    return capture;
  }
}
