package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.verify.Verifier;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Apply as the tests run it: root token, no metrics port, short backoff and instance timeout. */
public final class TestApply {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private TestApply() {}

  /** Starts apply in this JVM and waits until its stream threads run. */
  public static Apply start(Map<String, String> settings, Keyring keyring, MeterRegistry registry) throws Exception {
    Apply apply = Apply.start(ApplyConfig.from(settings), keyring, registry);
    await().atMost(WAIT).until(() -> apply.state() == Apply.State.RUNNING);
    return apply;
  }

  /** Waits until {@code verify} finds no difference on {@code mounts}, among more than {@code moreThan} entries. */
  public static void awaitConverged(TestVault primary, TestVault standby, List<String> mounts, int moreThan) {
    await().dontCatchUncaughtExceptions().atMost(WAIT).untilAsserted(() -> {
      Verifier.Report report = primary.compareWith(standby, mounts);
      assertThat(report.differences()).isEmpty();
      assertThat(report.compared()).isGreaterThan(moreThan);
    });
  }

  /** A mutable map, for overrides. */
  public static Map<String, String> settings(String bootstrapServers, String prefix, String region, TestVault standby,
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
