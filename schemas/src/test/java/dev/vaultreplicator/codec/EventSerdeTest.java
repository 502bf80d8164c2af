package dev.vaultreplicator.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.SealedData;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class EventSerdeTest {

  private final EventCodec codec = new EventCodec();
  private final EpochRecord epoch = EpochRecord.newBuilder()
      .setEpoch(2).setPrimaryRegion("west").setSince(Instant.ofEpochMilli(1_700_000_000_000L))
      .setRequestedBy("alice").setReason("east is down").setForced(false).build();

  @Test
  void shouldRoundTripAnEventThroughKafkasSerdeInterfaces() {
    Serde<EpochRecord> serde = EventSerde.of(codec, EpochRecord.class);

    byte[] bytes = serde.serializer().serialize("vr.control", epoch);

    assertThat(bytes).isEqualTo(codec.encode(epoch));
    assertThat(serde.deserializer().deserialize("vr.control", bytes)).isEqualTo(epoch);
  }

  @Test
  void shouldMapATombstoneToNullBothWays() {
    EventSerde<EpochRecord> serde = EventSerde.of(codec, EpochRecord.class);

    assertThat(serde.serialize("vr.control", null)).isNull();
    assertThat(serde.deserialize("vr.control", null)).isNull();
  }

  @Test
  void shouldRefuseAnotherEventTypeOnATypedTopic() {
    byte[] heartbeat = codec.encode(new Heartbeat("east", 1L, 0, Instant.EPOCH, Instant.EPOCH));

    assertThatThrownBy(() -> EventSerde.of(codec, EpochRecord.class).deserialize("vr.control", heartbeat))
        .isInstanceOfSatisfying(EventDecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(EventDecodeException.Reason.UNEXPECTED_TYPE));
  }

  @Test
  void shouldReadEveryEventTypeFromAMixedTopic() {
    Heartbeat heartbeat = new Heartbeat("east", 1L, 0, Instant.EPOCH, Instant.EPOCH);
    EventSerde<org.apache.avro.specific.SpecificRecord> any = EventSerde.anyEvent(codec);

    assertThat(any.deserialize("vr.changes", codec.encode(heartbeat))).isEqualTo(heartbeat);
    assertThat(any.deserialize("vr.changes", codec.encode(epoch))).isEqualTo(epoch);
  }

  @Test
  void shouldOnlyBeBuiltForEventTypes() {
    assertThatThrownBy(() -> EventSerde.of(codec, SealedData.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an event type");
  }
}
