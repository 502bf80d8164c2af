package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.AppliedWatermark;
import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.events.Operation;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apply topology on TopologyTestDriver, writing to a real (emulated) standby over HTTP. */
class ApplyTopologyTest {

  private static final ApplyTopics TOPICS = ApplyTopics.of("vr", "west");

  @TempDir
  Path stateDir;

  private final Keyring keyring = Keyring.generate("k1");
  private final EventCodec codec = new EventCodec();
  private final Events events = new Events(new SecretSealer(keyring));
  private final AtomicReference<EpochRecord> epoch = new AtomicReference<>(epochRecord(1, "east"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private VaultEmulator emulator;
  private TestVault standby;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> changes;
  private TestOutputTopic<String, byte[]> dlq;
  private TestOutputTopic<String, byte[]> applied;

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

  @Test
  void shouldWriteEachVersionWithItsDataAndSettings() {
    pipe(events.write("secret/app/db", 1, "{\"password\":\"one\"}", Events.settings(5, Map.of("owner", "team-a"))));
    pipe(events.write("secret/app/db", 2, "{\"password\":\"two\",\"n\":2}", Events.settings(5, Map.of("owner", "team-a"))));

    assertThat(data("app/db", 1)).isEqualTo("{\"password\":\"one\"}");
    assertThat(data("app/db", 2)).isEqualTo("{\"n\":2,\"password\":\"two\"}");
    JsonNode metadata = standby.read("secret/metadata/app/db");
    assertThat(metadata.path("current_version").asLong()).isEqualTo(2);
    assertThat(metadata.path("max_versions").asInt()).isEqualTo(5);
    assertThat(metadata.path("custom_metadata").path("owner").asText()).isEqualTo("team-a");
    assertThat(counter("vault.replication.applied", "operation", "WRITE")).isEqualTo(2);
  }

  @Test
  void shouldCreateANewKeyWithDefaultSettingsInOneWriteAndWriteOtherSettingsFirst() {
    // Given a new key with the default settings, and one with settings of its own
    pipe(events.write("secret/app/plain", 1, "{\"a\":\"1\"}", Events.settings(0, Map.of())));
    pipe(events.write("secret/app/plain", 2, "{\"a\":\"2\"}", Events.settings(0, Map.of())));
    pipe(events.write("secret/app/owned", 1, "{\"a\":\"1\"}", Events.settings(5, Map.of())));

    // Then the first was created by its data writes alone (OpenBao counts metadata writes from 1)
    JsonNode plain = standby.read("secret/metadata/app/plain");
    assertThat(plain.path("current_version").asLong()).isEqualTo(2);
    assertThat(plain.path("current_metadata_version").asInt()).isZero();
    assertThat(plain.path("max_versions").asInt()).isZero();
    assertThat(plain.path("cas_required").asBoolean()).isFalse();
    assertThat(plain.path("delete_version_after").asText()).isEqualTo("0s");
    // And the second had its settings written
    JsonNode owned = standby.read("secret/metadata/app/owned");
    assertThat(owned.path("current_metadata_version").asInt()).isEqualTo(1);
    assertThat(owned.path("max_versions").asInt()).isEqualTo(5);
  }

  @Test
  void shouldLeaveCustomMetadataUnsetWhenThePrimaryHasNone() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}", Events.settings(0, Map.of())));

    assertThat(standby.read("secret/metadata/app/db").path("custom_metadata").isNull()).isTrue();
  }

  @Test
  void shouldSkipAReplayedVersionAndCountItAsADuplicate() {
    SecretChange first = events.write("secret/app/db", 1, "{\"a\":\"1\"}");
    pipe(first);
    pipe(first);

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(1);
    assertThat(counter("vault.apply.skipped", "reason", "duplicate")).isEqualTo(1);
  }

  @Test
  void shouldAdoptAVersionAlreadyOnTheStandbyAfterACrashBeforeTheCommit() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    // Apply wrote v2, then died before Kafka committed: the store still says v1.
    standby.write("app/db", "{\"a\":\"2\",\"b\":\"2\"}");

    pipe(events.write("secret/app/db", 2, "{\"b\":\"2\",\"a\":\"2\"}"));
    pipe(events.write("secret/app/db", 3, "{\"a\":\"3\"}"));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(3);
    assertThat(data("app/db", 3)).isEqualTo("{\"a\":\"3\"}");
    assertThat(counter("vault.apply.versions.adopted", null, null)).isEqualTo(1);
  }

  @Test
  void shouldAdoptAnUncommittedRunLongerThanTheStandbyKeepsVersions() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}", Events.settings(3, Map.of())));
    // Apply wrote v2..v7, then died before Kafka committed; the standby keeps only v5..v7 of them.
    for (int v = 2; v <= 7; v++) {
      standby.write("app/db", "{\"a\":\"" + v + "\"}");
    }

    for (int v = 2; v <= 7; v++) {
      pipe(events.write("secret/app/db", v, "{\"a\":\"" + v + "\"}", Events.settings(3, Map.of())));
    }
    pipe(events.write("secret/app/db", 8, "{\"a\":\"8\"}", Events.settings(3, Map.of())));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(8);
    assertThat(data("app/db", 8)).isEqualTo("{\"a\":\"8\"}");
    assertThat(counter("vault.apply.versions.adopted", null, null)).isEqualTo(6);
  }

  @Test
  void shouldAdoptPrunedVersionsWhenApplyDiedBeforeItsFirstCommit() {
    // Apply wrote v1..v6 and died before its first commit: no state, and the standby keeps v4..v6.
    standby.call("POST", "secret/metadata/app/db", "{\"max_versions\":3}");
    for (int v = 1; v <= 6; v++) {
      standby.write("app/db", "{\"a\":\"" + v + "\"}");
    }

    for (int v = 1; v <= 7; v++) {
      pipe(events.write("secret/app/db", v, "{\"a\":\"" + v + "\"}", Events.settings(3, Map.of())));
    }

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(7);
    assertThat(data("app/db", 7)).isEqualTo("{\"a\":\"7\"}");
    assertThat(counter("vault.apply.versions.adopted", null, null)).isEqualTo(6);
  }

  @Test
  void shouldAdoptAVersionThatAReplayedDeleteHadAlreadyDeleted() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    // Apply wrote v2 and applied its soft delete, then died before Kafka committed either.
    standby.write("app/db", "{\"a\":\"2\"}");
    standby.call("POST", "secret/delete/app/db", "{\"versions\":[2]}");

    pipe(events.write("secret/app/db", 2, "{\"a\":\"2\"}"));
    pipe(events.versions("secret/app/db", Operation.SOFT_DELETE, 2, 2L));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(2);
    assertThat(version("app/db", 2).path("deletion_time").asText()).isNotEmpty();
    assertThat(counter("vault.apply.versions.adopted", null, null)).isEqualTo(1);
  }

  @Test
  void shouldAdoptTheSameVersionsWhenStartingWithNoStateOnAStandbyThatHasThem() {
    standby.write("app/db", "{\"a\":\"1\"}");
    standby.write("app/db", "{\"a\":\"2\"}");

    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    pipe(events.write("secret/app/db", 2, "{\"a\":\"2\"}"));
    pipe(events.write("secret/app/db", 3, "{\"a\":\"3\"}"));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(3);
    assertThat(counter("vault.apply.versions.adopted", null, null)).isEqualTo(2);
  }

  @Test
  void shouldWriteOnTopOfAVersionSomeoneElseWroteOnTheStandby() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    standby.write("app/db", "{\"written\":\"on the standby\"}");

    pipe(events.write("secret/app/db", 2, "{\"a\":\"2\"}"));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(3);
    assertThat(data("app/db", 3)).isEqualTo("{\"a\":\"2\"}");
  }

  @Test
  void shouldMapSoftDeleteUndeleteAndDestroyToTheStandbyVersions() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    pipe(events.write("secret/app/db", 2, "{\"a\":\"2\"}"));

    pipe(events.versions("secret/app/db", Operation.SOFT_DELETE, 2, 1L));
    assertThat(version("app/db", 1).path("deletion_time").asText()).isNotEmpty();
    pipe(events.versions("secret/app/db", Operation.UNDELETE, 2, 1L));
    assertThat(version("app/db", 1).path("deletion_time").asText()).isEmpty();
    pipe(events.versions("secret/app/db", Operation.DESTROY, 2, 2L));
    assertThat(version("app/db", 2).path("destroyed").asBoolean()).isTrue();
    assertThat(data("app/db", 1)).isEqualTo("{\"a\":\"1\"}");
  }

  @Test
  void shouldApplyMetadataChangesAndDeleteTheKeyWithItsMetadata() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    pipe(events.metadata("secret/app/db", 1, Events.settings(3, Map.of("owner", "team-b"))));
    JsonNode metadata = standby.read("secret/metadata/app/db");
    assertThat(metadata.path("max_versions").asInt()).isEqualTo(3);
    assertThat(metadata.path("custom_metadata").path("owner").asText()).isEqualTo("team-b");

    pipe(events.deleteMetadata("secret/app/db", 1));
    assertThat(standby.read("secret/metadata/app/db")).isNull();

    // The key starts again at version 1 on the primary, and so it does on the standby.
    pipe(events.write("secret/app/db", 1, "{\"a\":\"again\"}"));
    assertThat(data("app/db", 1)).isEqualTo("{\"a\":\"again\"}");
  }

  @Test
  void shouldWriteAVanishedVersionAsADeletedPlaceholderSoTheNumbersStayAligned() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    pipe(events.write("secret/app/db", 2, null));
    pipe(events.versions("secret/app/db", Operation.DESTROY, 2, 2L));
    pipe(events.write("secret/app/db", 3, "{\"a\":\"3\"}"));

    assertThat(version("app/db", 2).path("destroyed").asBoolean()).isTrue();
    assertThat(data("app/db", 3)).isEqualTo("{\"a\":\"3\"}");
  }

  @Test
  void shouldKeepThePrimarysNumbersWhenANewRegionStartsAboveVersionsCompactionRemoved() {
    // The primary pruned v1..v3 (max_versions 3); compaction removed their records.
    for (int v = 4; v <= 6; v++) {
      pipe(events.write("secret/app/db", v, "{\"a\":\"" + v + "\"}", Events.settings(3, Map.of())));
    }

    JsonNode metadata = standby.read("secret/metadata/app/db");
    assertThat(metadata.path("current_version").asLong()).isEqualTo(6);
    assertThat(metadata.path("versions").properties()).extracting(Map.Entry::getKey).containsExactly("4", "5", "6");
    assertThat(data("app/db", 4)).isEqualTo("{\"a\":\"4\"}");
  }

  @Test
  void shouldFillAGapAboveTheLastAppliedVersionWithDestroyedPlaceholders() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    // This region read far behind: v2 and v3 were destroyed on the primary and compacted away.
    pipe(events.write("secret/app/db", 4, "{\"a\":\"4\"}"));

    assertThat(version("app/db", 2).path("destroyed").asBoolean()).isTrue();
    assertThat(version("app/db", 3).path("destroyed").asBoolean()).isTrue();
    assertThat(data("app/db", 1)).isEqualTo("{\"a\":\"1\"}");
    assertThat(data("app/db", 4)).isEqualTo("{\"a\":\"4\"}");
    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(4);
  }

  @Test
  void shouldGiveADestroyedVersionWhoseDataWasCompactedAwayItsPlace() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    // The newest version was destroyed: the topic keeps its destroy, not its data.
    pipe(events.versions("secret/app/db", Operation.DESTROY, 2, 2L));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(2);
    assertThat(version("app/db", 2).path("destroyed").asBoolean()).isTrue();
    assertThat(data("app/db", 1)).isEqualTo("{\"a\":\"1\"}");
  }

  @Test
  void shouldNotFillAGapTwiceWhenReplayedAfterACrash() {
    // Apply wrote the placeholders for v1..v2 and died before destroying them and before its commit.
    standby.write("app/db", "{}");
    standby.write("app/db", "{}");

    pipe(events.write("secret/app/db", 3, "{\"a\":\"3\"}"));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(3);
    assertThat(version("app/db", 1).path("destroyed").asBoolean()).isTrue();
    assertThat(version("app/db", 2).path("destroyed").asBoolean()).isTrue();
    assertThat(data("app/db", 3)).isEqualTo("{\"a\":\"3\"}");
  }

  @Test
  void shouldApplyKv1WritesAndDeletesAndPolicies() {
    standby.call("POST", "sys/mounts/legacy", "{\"type\":\"kv\",\"options\":{\"version\":\"1\"}}");
    pipe(events.kv1Write("legacy/team/app", "{\"token\":\"abc\"}"));
    assertThat(standby.read("legacy/team/app").path("token").asText()).isEqualTo("abc");
    pipe(events.kv1Delete("legacy/team/app"));
    assertThat(standby.read("legacy/team/app")).isNull();

    pipe("sys/policy/app-read", events.policy("app-read", "path \"secret/data/app/*\" { capabilities = [\"read\"] }"));
    assertThat(standby.read("sys/policies/acl/app-read").path("policy").asText()).contains("secret/data/app/*");
    pipe("sys/policy/app-read", events.policy("app-read", null));
    assertThat(standby.read("sys/policies/acl/app-read")).isNull();
  }

  @Test
  void shouldPlaceRemappedPrefixesWhereTheRuleSays() {
    driver.close();
    start(emulator.rootToken(), PathRemap.parse(List.of("secret:prod/=secret:dr/prod/")), PoisonPolicy.DLQ);

    pipe(events.write("secret/prod/db", 1, "{\"a\":\"1\"}"));
    pipe(events.write("secret/dev/db", 1, "{\"a\":\"2\"}"));

    assertThat(standby.read("secret/data/dr/prod/db")).isNotNull();
    assertThat(standby.read("secret/data/prod/db")).isNull();
    assertThat(standby.read("secret/data/dev/db")).isNotNull();
  }

  @Test
  void shouldSendAStaleEpochToTheDeadLetterTopicAndApplyTheCurrentOne() {
    epoch.set(epochRecord(2, "central"));
    SecretChange stale = events.write("secret/app/db", 1, "{\"a\":\"1\"}");
    pipe(stale);
    pipe(events.from("central", 2).write("secret/app/db", 1, "{\"a\":\"c\"}"));

    TestRecord<String, byte[]> parked = dlq.readRecord();
    assertThat(header(parked, DeadLetters.REASON)).isEqualTo("stale-epoch");
    assertThat(parked.value()).isEqualTo(codec.encode(stale));
    assertThat(parked.key()).isEqualTo("secret/app/db");
    assertThat(data("app/db", 1)).isEqualTo("{\"a\":\"c\"}");
  }

  @Test
  void shouldSkipAFencedPrimarysLateHeartbeatWithoutAWatermarkOrADeadLetter() {
    epoch.set(epochRecord(2, "central"));

    pipe("sys/heartbeat/0", events.heartbeat(0, Instant.now()));

    assertThat(dlq.isEmpty()).isTrue();
    assertThat(applied.isEmpty()).isTrue();
    assertThat(counter("vault.apply.skipped", "reason", "stale-heartbeat")).isEqualTo(1);
  }

  @Test
  void shouldNeverApplyWhatThisRegionCapturedItself() {
    epoch.set(epochRecord(2, "west"));
    pipe(events.from("west", 2).write("secret/app/db", 1, "{\"a\":\"1\"}"));

    assertThat(standby.read("secret/metadata/app/db")).isNull();
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(counter("vault.apply.skipped", "reason", "own-region")).isEqualTo(1);
  }

  @Test
  void shouldDeadLetterEveryKindOfPoisonWithItsReasonAndKeepApplying() {
    SecretChange good = events.write("secret/app/good", 1, "{\"a\":\"1\"}");
    byte[] tampered = codec.encode(events.write("secret/app/x", 1, "{\"a\":\"1\"}"));
    tampered[tampered.length - 3] ^= 0x5a;
    SecretChange foreignKey = new Events(new SecretSealer(Keyring.generate("other"))).write("secret/app/y", 1, "{}");
    SecretChange noPath = events.write("secret/app/z", 1, "{\"a\":\"1\"}");
    noPath.setPath("");
    byte[] unknownFingerprint = codec.encode(good);
    unknownFingerprint[5] ^= 0x01;

    changes.pipeInput("garbage", "not an event".getBytes(StandardCharsets.UTF_8));
    changes.pipeInput("future", unknownFingerprint);
    changes.pipeInput("secret/app/x", tampered);
    changes.pipeInput("secret/app/y", codec.encode(foreignKey));
    changes.pipeInput("secret/app/z", codec.encode(noPath));
    changes.pipeInput("huge", new byte[EventCodec.DEFAULT_MAX_EVENT_BYTES + 1]);
    pipe(good);

    List<String> reasons = dlq.readRecordsToList().stream().map(r -> header(r, DeadLetters.REASON)).toList();
    assertThat(reasons).containsExactly("undecodable", "unknown-fingerprint", "authentication-failed",
        "unknown-key-id", "missing-field", "oversize");
    assertThat(data("app/good", 1)).isEqualTo("{\"a\":\"1\"}");
    assertThat(counter("vault.replication.dlq", "reason", "undecodable")).isEqualTo(1);
  }

  @Test
  void shouldSkipAndCountATombstoneAsTheCompactedTopicsDeleteMarker() {
    changes.pipeInput("secret/app/db#v1", (byte[]) null);
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));

    assertThat(dlq.isEmpty()).isTrue();
    assertThat(counter("vault.apply.skipped", "reason", "tombstone")).isEqualTo(1);
    assertThat(data("app/db", 1)).isEqualTo("{\"a\":\"1\"}");
  }

  @Test
  void shouldPublishAWatermarkWhenItReachesAHeartbeat() {
    Instant through = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    pipe("sys/heartbeat/0", events.heartbeat(0, through));

    TestRecord<String, byte[]> record = applied.readRecord();
    AppliedWatermark watermark = codec.decode(record.value(), AppliedWatermark.class);
    assertThat(record.key()).isEqualTo("0");
    assertThat(watermark.getRegion()).isEqualTo("west");
    assertThat(watermark.getCapturedThrough()).isEqualTo(through);
    assertThat(watermark.getOffset()).isEqualTo(1);
    assertThat(watermark.getSourceRegion()).isEqualTo("east");
  }

  @Test
  void shouldStopWithAClearMessageWhenTheStandbyRefusesTheToken() {
    driver.close();
    standby.call("PUT", "sys/policies/acl/read-only", "{\"policy\":\"path \\\"secret/*\\\" { capabilities = [\\\"read\\\"] }\"}");
    start(standby.createToken("read-only"), PathRemap.NONE, PoisonPolicy.DLQ);

    assertThatThrownBy(() -> pipe(events.write("secret/app/db", 1, "{\"password\":\"canary-7731\"}")))
        .hasStackTraceContaining("status 403")
        .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("canary-7731"));
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void shouldStopOnPoisonWhenThePolicySaysStop() {
    driver.close();
    start(emulator.rootToken(), PathRemap.NONE, PoisonPolicy.STOP);

    assertThatThrownBy(() -> changes.pipeInput("garbage", "not an event".getBytes(StandardCharsets.UTF_8)))
        .hasStackTraceContaining("poison.policy=stop");
  }

  // ---- fixture -------------------------------------------------------------------------------

  private void start(String token, PathRemap remap, PoisonPolicy poison) {
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

  private void pipe(SecretChange change) {
    pipe(change.getMount() + "/" + change.getPath(), change);
  }

  private void pipe(String key, SpecificRecord event) {
    changes.pipeInput(key, codec.encode(event));
  }

  private String data(String path, long version) {
    JsonNode read = standby.read("secret/data/" + path + "?version=" + version);
    assertThat(read).as("version %s of %s", version, path).isNotNull();
    return read.path("data").toString();
  }

  private JsonNode version(String path, long version) {
    return standby.read("secret/metadata/" + path).path("versions").path(String.valueOf(version));
  }

  private double counter(String name, String tag, String value) {
    var search = registry.find(name);
    if (tag != null) {
      search = search.tag(tag, value);
    }
    return search.counter() == null ? 0 : search.counter().count();
  }

  private static String header(TestRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter text = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(text));
    return text.toString();
  }

  private static EpochRecord epochRecord(long number, String primary) {
    return EpochRecord.newBuilder().setEpoch(number).setPrimaryRegion(primary).setSince(Instant.now())
        .setRequestedBy("test").setReason("test").setForced(false).setRequestId(null).build();
  }
}
