package dev.vaultreplicator.apply;

import dev.vaultreplicator.testing.TestVault;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Apply as the tests run it: root token, no metrics port, short backoff and instance timeout. */
final class TestApply {

  private TestApply() {}

  /** A mutable map, for overrides. */
  static Map<String, String> settings(String bootstrapServers, String prefix, String region, TestVault standby,
      Path stateDir) {
    return new HashMap<>(Map.of(
        ApplyConfig.REGION, region,
        ApplyConfig.BOOTSTRAP_SERVERS, bootstrapServers,
        ApplyConfig.TOPIC_PREFIX, prefix,
        ApplyConfig.VAULT_ADDRESS, standby.address(),
        ApplyConfig.VAULT_TOKEN, standby.rootToken(),
        ApplyConfig.STATE_DIR, stateDir.toString(),
        ApplyConfig.METRICS_PORT, "-1",
        ApplyConfig.BACKOFF_MAX, "1s",
        ApplyConfig.INSTANCE_TIMEOUT, "6s"));
  }
}
