package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.AppliedWatermark;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testing.OnBroker;
import dev.vaultreplicator.testing.TestCapture;
import dev.vaultreplicator.testing.TestTopics;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One primary, several standby regions: each applies on its own, and a new one starts from the beginning. */
class ApplyRegionsIT extends OnBroker {

  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path workDir;

  private final Keyring keyring = Keyring.generate("it-key");
  private final List<AutoCloseable> running = new ArrayList<>();
  private VaultEmulator primaryEmulator;
  private TestVault primary;
  private String prefix;
  private Capture capture;

  @BeforeEach
  void startPrimaryAndCapture() throws Exception {
    primaryEmulator = VaultEmulator.start();
    primary = new TestVault(primaryEmulator);
    prefix = "apply-regions-it-" + PREFIXES.incrementAndGet() + "-" + System.nanoTime();
    capture = TestCapture.start(TestCapture.settings(kafka.bootstrapServers(), prefix, primary), primary, keyring,
        new SimpleMeterRegistry());
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable each : running) {
      each.close();
    }
    capture.close();
    primaryEmulator.close();
  }

  @Test
  void shouldLetNoRegionWhoseStandbyIsDownHoldBackAnother() throws Exception {
    TestVault west = standby(VaultEmulator.start());
    Path northData = workDir.resolve("north");
    VaultEmulator northEmulator = VaultEmulator.builder().dataDir(northData).start();
    TestVault north = standby(northEmulator);
    startApply("west", west, new SimpleMeterRegistry());
    SimpleMeterRegistry northMetrics = new SimpleMeterRegistry();
    startApply("north", north, northMetrics);
    primary.write("app/before", "{\"a\":\"0\"}");
    awaitVerifiedClean(west);
    awaitVerifiedClean(north);

    northEmulator.close();
    writeChanges();
    awaitVerifiedClean(west);
    await().dontCatchUncaughtExceptions().atMost(WAIT).until(() -> counter(northMetrics, "vault.apply.standby.retries") > 0);

    running.add(VaultEmulator.builder().port(northEmulator.port()).rootToken(northEmulator.rootToken())
        .dataDir(northData).start());
    awaitVerifiedClean(north);
    // A watermark is on its topic once apply commits after the next heartbeat, not with the data.
    await().atMost(WAIT).untilAsserted(() -> assertThat(watermarkRegions("west")).containsOnly("west"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(watermarkRegions("north")).containsOnly("north"));
    assertThat(TestTopics.readAll(kafka.bootstrapServers(), prefix + ".dlq.west")).isEmpty();
    assertThat(TestTopics.readAll(kafka.bootstrapServers(), prefix + ".dlq.north")).isEmpty();
  }

  @Test
  void shouldBringANewRegionUpToThePrimaryFromTheStartOfTheChangesTopic() throws Exception {
    TestVault west = standby(VaultEmulator.start());
    startApply("west", west, new SimpleMeterRegistry());
    writeChanges();
    awaitVerifiedClean(west);

    TestVault south = standby(VaultEmulator.start());
    startApply("south", south, new SimpleMeterRegistry());

    awaitVerifiedClean(south);
    await().atMost(WAIT).untilAsserted(() -> assertThat(watermarkRegions("south")).containsOnly("south"));
  }

  // ---- fixture -------------------------------------------------------------------------------

  /** Every kind of change, on several keys; data is replicated before it is deleted (see ApplyIT). */
  private void writeChanges() {
    for (int i = 0; i < 5; i++) {
      primary.write("app/key-" + i, "{\"v\":\"1\"}");
      primary.write("app/key-" + i, "{\"v\":\"2\"}");
    }
    primary.call("POST", "secret/metadata/app/key-0", "{\"max_versions\":4,\"custom_metadata\":{\"owner\":\"team-a\"}}");
    primary.write("app/key-0", "{\"v\":\"3\"}");
    primary.call("POST", "secret/destroy/app/key-1", "{\"versions\":[1]}");
    primary.write("app/gone", "{\"x\":\"1\"}");
    primary.call("DELETE", "secret/metadata/app/gone", null);
    primary.call("PUT", "sys/policies/acl/app-read", "{\"policy\":\"path \\\"secret/data/app/*\\\" { capabilities = [\\\"read\\\"] }\"}");
  }

  private TestVault standby(VaultEmulator emulator) {
    running.add(emulator);
    return new TestVault(emulator);
  }

  private void startApply(String region, TestVault standby, SimpleMeterRegistry registry) throws Exception {
    running.add(0, TestApply.start(TestApply.settings(kafka.bootstrapServers(), prefix, region, standby,
        workDir.resolve("state-" + region)), keyring, registry));
  }

  private void awaitVerifiedClean(TestVault standby) {
    TestApply.awaitConverged(primary, standby, List.of("secret"), 1);
  }


  private List<String> watermarkRegions(String region) {
    EventCodec codec = new EventCodec();
    return TestTopics.readAll(kafka.bootstrapServers(), prefix + ".applied." + region).stream()
        .map(r -> codec.decode(r.value(), AppliedWatermark.class).getRegion()).toList();
  }

  private static double counter(SimpleMeterRegistry registry, String name) {
    var counter = registry.find(name).counter();
    return counter == null ? 0 : counter.count();
  }
}
