package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.SecretSealer;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.vault.VaultWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply topology on TopologyTestDriver, writing to a real (emulated) standby over HTTP: the
 * driver, the standby and the helpers both topology tests share.
 */
abstract class ApplyTopologyFixture {

  static final ApplyTopics TOPICS = ApplyTopics.of("vr", "west");

  @TempDir
  Path stateDir;

  final Keyring keyring = Keyring.generate("k1");
  final EventCodec codec = new EventCodec();
  final Events events = new Events(new SecretSealer(keyring));
  final AtomicReference<EpochRecord> epoch = new AtomicReference<>(epochRecord(1, "east"));
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  VaultEmulator emulator;
  TestVault standby;
  TopologyTestDriver driver;
  TestInputTopic<String, byte[]> changes;
  TestOutputTopic<String, byte[]> dlq;
  TestOutputTopic<String, byte[]> applied;

  @BeforeEach
  void startStandby() {
    emulator = VaultEmulator.start();
    standby = new TestVault(emulator);
    start(emulator.rootToken(), PathRemap.NONE, PoisonPolicy.DLQ);
  }

  @AfterEach
  void stop() {
    driver.close();
    emulator.close();
  }

  final void start(String token, PathRemap remap, PoisonPolicy poison) {
    URI address = URI.create(emulator.address());
    ApplyMetrics metrics = new ApplyMetrics(registry, "west");
    StandbyApplier applier = new StandbyApplier(new VaultWriter(address, () -> token, Duration.ofSeconds(5)),
        new VaultGateway(address, () -> token, Duration.ofSeconds(5)), remap);
    StandbyRetry retry = new StandbyRetry(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(1),
        new AtomicBoolean(), metrics);
    ApplyTopology.Parts parts = new ApplyTopology.Parts(TOPICS, "west", codec, new SecretSealer(keyring),
        () -> java.util.Optional.ofNullable(epoch.get()), applier, retry, poison, metrics, Clock.systemUTC());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "apply-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(ApplyTopology.build(parts), props);
    changes = driver.createInputTopic(TOPICS.changes(), new StringSerializer(), new ByteArraySerializer());
    dlq = driver.createOutputTopic(TOPICS.dlq(), new StringDeserializer(), new ByteArrayDeserializer());
    applied = driver.createOutputTopic(TOPICS.applied(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  void pipe(SecretChange change) {
    pipe(change.getMount() + "/" + change.getPath(), change);
  }

  void pipe(String key, SpecificRecord event) {
    changes.pipeInput(key, codec.encode(event));
  }

  String data(String path, long version) {
    JsonNode read = standby.read("secret/data/" + path + "?version=" + version);
    assertThat(read).as("version %s of %s", version, path).isNotNull();
    return read.path("data").toString();
  }

  JsonNode version(String path, long version) {
    return standby.read("secret/metadata/" + path).path("versions").path(String.valueOf(version));
  }

  double counter(String name, String tag, String value) {
    var search = registry.find(name);
    if (tag != null) {
      search = search.tag(tag, value);
    }
    return search.counter() == null ? 0 : search.counter().count();
  }

  static String header(TestRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static String stackTrace(Throwable e) {
    java.io.StringWriter text = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(text));
    return text.toString();
  }

  static EpochRecord epochRecord(long number, String primary) {
    return EpochRecord.newBuilder().setEpoch(number).setPrimaryRegion(primary).setSince(Instant.now())
        .setRequestedBy("test").setReason("test").setForced(false).setRequestId(null).build();
  }
}
