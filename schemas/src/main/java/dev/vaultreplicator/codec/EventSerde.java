package dev.vaultreplicator.codec;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one event type over an {@link EventCodec}. A null record (a tombstone) maps to
 * null both ways; bad bytes fail with an {@link EventDecodeException} that names the reason.
 */
public final class EventSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

  private final EventCodec codec;
  private final Class<T> type;

  private EventSerde(EventCodec codec, Class<T> type) {
    this.codec = requireNonNull(codec, "codec");
    this.type = requireNonNull(type, "type");
  }

  public static <T extends SpecificRecord> EventSerde<T> of(EventCodec codec, Class<T> type) {
    if (!EventTypes.ALL.contains(type)) {
      throw new IllegalArgumentException(type.getName() + " is not an event type");
    }
    return new EventSerde<>(codec, type);
  }

  /** For a topic that carries several event types, such as the changes topic. */
  public static EventSerde<SpecificRecord> anyEvent(EventCodec codec) {
    return new EventSerde<>(codec, SpecificRecord.class);
  }

  @Override
  public byte[] serialize(String topic, T event) {
    return event == null ? null : codec.encode(event);
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    return bytes == null ? null : codec.decode(bytes, type);
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "EventSerde[" + type.getSimpleName() + "]";
  }
}
