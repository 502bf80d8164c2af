package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.Envelope;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.SecretSealer;
import dev.vaultreplicator.testing.OnBroker;
import dev.vaultreplicator.testing.TestCapture;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testing.VaultKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the capture ITs share: a fresh primary (real OpenBao, and the emulator) per test with its
 * socket audit device, capture started on it against the class's broker, and the changes topic
 * read back.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(VaultKind.class)
abstract class CaptureFixture extends OnBroker {

  static final AtomicInteger PREFIXES = new AtomicInteger();
  static final Duration WAIT = Duration.ofSeconds(30);

  /** The keyring capture starts with; a test may rotate it before starting capture again. */
  Keyring keyring = Keyring.generate("test-key");
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  @Parameter
  VaultKind vaultKind;
  TestVault primary;
  String prefix;
  Capture capture;
  ChangesTopic topic;

  @BeforeEach
  void startPrimary() {
    primary = vaultKind.start();
    prefix = "capture-it-" + PREFIXES.incrementAndGet() + "-" + System.nanoTime();
  }

  @AfterEach
  void stopAll() {
    if (topic != null) {
      topic.close();
    }
    if (capture != null) {
      capture.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  void startCapture(Map<String, String> overrides) throws Exception {
    Map<String, String> settings = TestCapture.settings(kafka.bootstrapServers(), prefix, primary);
    settings.putAll(overrides);
    capture = TestCapture.start(settings, primary, keyring, registry);
    if (topic == null) {
      topic = new ChangesTopic(kafka.bootstrapServers(), prefix + ".changes");
    }
  }

  void awaitEvents(String key, String... expected) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(events(key).stream().map(CaptureFixture::describe).toList())
        .containsExactly(expected));
  }

  List<SpecificRecord> events() {
    return topic.events();
  }

  List<SpecificRecord> events(String key) {
    return topic.events().stream().filter(e -> key.equals(keyOf(e))).toList();
  }

  List<SecretChange> secretChanges() {
    return topic.events().stream().filter(SecretChange.class::isInstance).map(SecretChange.class::cast).toList();
  }

  List<SecretChange> secretChanges(String key) {
    return events(key).stream().map(SecretChange.class::cast).toList();
  }

  Heartbeat latestHeartbeat() {
    List<Heartbeat> all = topic.heartbeats();
    return all.get(all.size() - 1);
  }

  Instant awaitCapturedThroughPast(Instant instant) {
    await().atMost(WAIT).until(() -> !topic.heartbeats().isEmpty()
        && latestHeartbeat().getCapturedThrough().isAfter(instant.minusMillis(300)));
    return latestHeartbeat().getCapturedThrough();
  }

  void claimEpoch(long epoch, String region) throws Exception {
    EpochRecord claim = EpochRecord.newBuilder().setEpoch(epoch).setPrimaryRegion(region).setSince(Instant.now())
        .setRequestedBy("test").setReason("test").setForced(false).setRequestId(null).build();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(prefix + ".control", Long.toString(epoch),
          new dev.vaultreplicator.codec.EventCodec().encode(claim))).get();
    }
  }

  String open(SecretChange change) {
    return new String(new SecretSealer(keyring).open(Envelope.of(change), change.getSealedData()).json(),
        StandardCharsets.UTF_8);
  }

  static String keyOf(SpecificRecord event) {
    if (event instanceof SecretChange c) {
      return c.getMount() + "/" + c.getPath();
    }
    return event instanceof PolicyChange p ? "sys/policy/" + p.getName() : null;
  }

  static String describe(SpecificRecord event) {
    if (event instanceof PolicyChange p) {
      return "POLICY " + p.getOperation();
    }
    SecretChange c = (SecretChange) event;
    return switch (c.getOperation()) {
      case SOFT_DELETE, UNDELETE, DESTROY -> c.getOperation() + " " + c.getVersions();
      default -> c.getOperation() + " v" + c.getSourceVersion();
    };
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  long scansCompleted() {
    var timer = registry.find("vault.capture.scan.duration").timer();
    return timer == null ? 0 : timer.count();
  }
}
