package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.KeyringLoader;
import dev.vaultreplicator.testing.OnBroker;
import dev.vaultreplicator.testing.TestCapture;
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
import org.junit.jupiter.api.io.TempDir;

/** The fixture of the apply crash tests: a primary with capture, a standby, a keyring, and what they started. */
abstract class ApplyCrashBase extends OnBroker {

  private static final AtomicInteger PREFIXES = new AtomicInteger();
  static final Duration WAIT = Duration.ofSeconds(90);
  static final Duration WRITE_EVERY = Duration.ofMillis(5);
  static final int KEYS = 20;
  static final int APPLIED_BEFORE_KILL = 150;
  static final int WRITTEN_AFTER_KILL = 300;

  @TempDir
  Path workDir;

  TestVault primary;
  TestVault standby;
  Path keyringFile;
  private String prefix;
  private Capture capture;
  private final List<AutoCloseable> running = new ArrayList<>();

  abstract VaultKind vaultKind();

  @BeforeEach
  void startPrimaryAndCapture() throws Exception {
    primary = vaultKind().start();
    standby = vaultKind().start();
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

  // ---- fixture -------------------------------------------------------------------------------

  /** Nothing lost: the standby holds as many versions as were written. Nothing doubled: verify finds no difference. */
  void awaitEveryVersionOnTheStandbyOnce(WriteLoad load, int written) {
    await().dontCatchUncaughtExceptions().atMost(WAIT).untilAsserted(() -> {
      Verifier.Report report = primary.compareWith(standby, List.of("secret"));
      assertThat(report.differences()).isEmpty();
      assertThat(report.compared()).isGreaterThanOrEqualTo(KEYS);
      assertThat(load.versionsOn(standby)).isEqualTo(written);
    });
    assertThat(load.versionsOn(primary)).isEqualTo(written);
  }

  Map<String, String> applySettings(Path stateDir) {
    Map<String, String> settings = TestApply.settings(kafka.bootstrapServers(), prefix, "west", standby, stateDir);
    settings.put(ApplyConfig.KEYRING_FILE, keyringFile.toString());
    return settings;
  }

  ConsumerGroupDescription applyGroup() throws Exception {
    String group = prefix + "-apply-west";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
    }
  }

  /** Each apply instance's partitions of the changes topic, over all of its stream threads. */
  Map<String, Set<Integer>> partitionsByInstance(ConsumerGroupDescription group) {
    Map<String, Set<Integer>> instances = new TreeMap<>();
    group.members().forEach(member -> instances.computeIfAbsent(member.clientId().replaceFirst("-StreamThread-.*", ""),
        instance -> new TreeSet<>()).addAll(changesPartitions(member.assignment().topicPartitions())));
    return instances;
  }

  private Set<Integer> changesPartitions(Set<TopicPartition> assigned) {
    return assigned.stream().filter(p -> p.topic().equals(prefix + ".changes")).map(TopicPartition::partition)
        .collect(Collectors.toSet());
  }

  <T extends AutoCloseable> T started(T part) {
    running.add(0, part);
    return part;
  }

  static double counter(SimpleMeterRegistry registry, String name) {
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
