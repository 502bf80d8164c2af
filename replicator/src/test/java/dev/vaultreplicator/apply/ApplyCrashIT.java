package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.KeyringLoader;
import dev.vaultreplicator.testing.OnBroker;
import dev.vaultreplicator.testing.TestCapture;
import dev.vaultreplicator.testing.TestLog;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testing.WriteLoad;
import dev.vaultreplicator.testing.VaultKind;
import dev.vaultreplicator.verify.Verifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply killed with SIGKILL in the middle of a load of writes, between a Vault write and the
 * commit that records it: the standby ends with every version, and none twice.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(VaultKind.class)
class ApplyCrashIT extends OnBroker {

  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration WRITE_EVERY = Duration.ofMillis(5);
  private static final int KEYS = 20;
  private static final int APPLIED_BEFORE_KILL = 150;
  private static final int WRITTEN_AFTER_KILL = 300;

  @TempDir
  Path workDir;

  @Parameter
  VaultKind vaultKind;
  private TestVault primary;
  private TestVault standby;
  private String prefix;
  private Path keyringFile;
  private Capture capture;
  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeEach
  void startPrimaryAndCapture() throws Exception {
    primary = vaultKind.start();
    standby = vaultKind.start();
    prefix = "apply-crash-it-" + PREFIXES.incrementAndGet() + "-" + System.nanoTime();
    keyringFile = writeKeyring(workDir.resolve("keyring"));
    capture = TestCapture.start(TestCapture.settings(kafka.bootstrapServers(), prefix, primary), primary,
        KeyringLoader.fromFile(keyringFile), new SimpleMeterRegistry());
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable each : running) {
      each.close();
    }
    for (AutoCloseable each : java.util.Arrays.asList(capture, primary, standby)) {
      if (each != null) { // null when it could not start (no bao: the test is skipped)
        each.close();
      }
    }
  }

  @Test
  void shouldLoseAndDoubleNothingWhenApplyIsKilledDuringALoadOfWritesAndRestarted() throws Exception {
    // Apply starts on a backlog, so that it is busy when it is killed.
    WriteLoad load = started(new WriteLoad(primary, "load", KEYS, WRITE_EVERY));
    ApplyProcess killed = started(ApplyProcess.start(applySettings(workDir.resolve("state")), "killed"))
        .awaitRunning(WAIT);

    await().atMost(WAIT).until(() -> load.versionsOn(standby) >= APPLIED_BEFORE_KILL);
    killed.kill();
    int writtenAtKill = load.written();
    long appliedAtKill = load.versionsOn(standby);
    // The same state directory, as after a restart on the same machine.
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Apply restarted = started(Apply.start(ApplyConfig.from(applySettings(workDir.resolve("state"))),
        KeyringLoader.fromFile(keyringFile), registry));
    await().atMost(WAIT).until(() -> load.written() >= writtenAtKill + WRITTEN_AFTER_KILL);
    int written = load.stop();

    awaitEveryVersionOnTheStandbyOnce(load, written);
    assertThat(appliedAtKill).isLessThan(written);
    assertThat(restarted.state()).isEqualTo(Apply.State.RUNNING);
    assertThat(killed.log() + TestLog.text()).doesNotContain(WriteLoad.CANARY);
    System.out.printf("kill -9 after %d of %d written versions were applied; %d written in all; after the restart %.0f versions "
            + "adopted (written before the kill, not committed), %.0f skipped as already applied%n",
        appliedAtKill, writtenAtKill, written, counter(registry, "vault.apply.versions.adopted"),
        counter(registry, "vault.apply.skipped"));
  }

  @Test
  void shouldHandAKilledInstancesPartitionsToTheOtherInstanceOfTheRegion() throws Exception {
    WriteLoad load = started(new WriteLoad(primary, "load", KEYS, WRITE_EVERY));
    ApplyProcess killed = started(ApplyProcess.start(applySettings(workDir.resolve("state-a")), "killed"))
        .awaitRunning(WAIT);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Apply survivor = started(Apply.start(ApplyConfig.from(applySettings(workDir.resolve("state-b"))),
        KeyringLoader.fromFile(keyringFile), registry));
    await().atMost(WAIT).untilAsserted(() -> {
      Map<String, Set<Integer>> instances = partitionsByInstance(applyGroup());
      assertThat(instances).hasSize(2);
      assertThat(instances.values()).allSatisfy(partitions -> assertThat(partitions).isNotEmpty());
    });
    long appliedBeforeKill = load.versionsOn(standby) + APPLIED_BEFORE_KILL;

    await().atMost(WAIT).until(() -> load.versionsOn(standby) >= appliedBeforeKill);
    killed.kill();
    int writtenAtKill = load.written();
    await().atMost(WAIT).until(() -> load.written() >= writtenAtKill + WRITTEN_AFTER_KILL);
    int written = load.stop();

    awaitEveryVersionOnTheStandbyOnce(load, written);
    Map<String, Set<Integer>> instances = partitionsByInstance(applyGroup());
    assertThat(instances).hasSize(1);
    assertThat(instances.values().iterator().next()).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(survivor.state()).isEqualTo(Apply.State.RUNNING);
    System.out.printf("kill -9 of one of two instances after %d versions written; %d written in all; the other "
        + "took over and adopted %.0f versions the killed one had written but not committed%n",
        writtenAtKill, written, counter(registry, "vault.apply.versions.adopted"));
  }

  // ---- fixture -------------------------------------------------------------------------------

  /** Nothing lost: the standby holds as many versions as were written. Nothing doubled: verify finds no difference. */
  private void awaitEveryVersionOnTheStandbyOnce(WriteLoad load, int written) {
    await().dontCatchUncaughtExceptions().atMost(WAIT).untilAsserted(() -> {
      Verifier.Report report = primary.compareWith(standby, List.of("secret"));
      assertThat(report.differences()).isEmpty();
      assertThat(report.compared()).isGreaterThanOrEqualTo(KEYS);
      assertThat(load.versionsOn(standby)).isEqualTo(written);
    });
    assertThat(load.versionsOn(primary)).isEqualTo(written);
  }

  private Map<String, String> applySettings(Path stateDir) {
    Map<String, String> settings = TestApply.settings(kafka.bootstrapServers(), prefix, "west", standby, stateDir);
    settings.put(ApplyConfig.KEYRING_FILE, keyringFile.toString());
    return settings;
  }

  private ConsumerGroupDescription applyGroup() throws Exception {
    String group = prefix + "-apply-west";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
    }
  }

  /** Each apply instance's partitions of the changes topic, over all of its stream threads. */
  private Map<String, Set<Integer>> partitionsByInstance(ConsumerGroupDescription group) {
    Map<String, Set<Integer>> instances = new TreeMap<>();
    group.members().forEach(member -> instances.computeIfAbsent(member.clientId().replaceFirst("-StreamThread-.*", ""),
        instance -> new TreeSet<>()).addAll(changesPartitions(member.assignment().topicPartitions())));
    return instances;
  }

  private Set<Integer> changesPartitions(Set<TopicPartition> assigned) {
    return assigned.stream().filter(p -> p.topic().equals(prefix + ".changes")).map(TopicPartition::partition)
        .collect(Collectors.toSet());
  }

  private <T extends AutoCloseable> T started(T part) {
    running.add(0, part);
    return part;
  }

  private static double counter(SimpleMeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** The keyring file capture and apply share, readable by its owner only, as both require. */
  private static Path writeKeyring(Path file) throws Exception {
    byte[] key = new byte[Keyring.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, "current = it\nkey.it = " + Base64.getEncoder().encodeToString(key) + "\n");
    return file;
  }
}
