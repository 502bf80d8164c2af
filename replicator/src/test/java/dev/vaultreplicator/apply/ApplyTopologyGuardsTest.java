package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.AppliedWatermark;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.SecretSealer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** What the apply topology refuses, skips, dead-letters or stops on, and the watermarks it publishes. */
class ApplyTopologyGuardsTest extends ApplyTopologyFixture {

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
}
