package dev.vaultreplicator.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link KeyState} as JSON in the state store and its changelog: small, and readable with
 * {@code kafka-console-consumer} when someone needs to see what apply believes. It holds version
 * numbers and settings, never secret data.
 */
final class KeyStateSerde {

  private static final ObjectMapper JSON = new ObjectMapper();

  private KeyStateSerde() {}

  static Serde<KeyState> serde() {
    return Serdes.serdeFrom((topic, state) -> state == null ? null : write(state),
        (topic, bytes) -> bytes == null ? null : read(bytes));
  }

  private static byte[] write(KeyState state) {
    try {
      return JSON.writeValueAsBytes(state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the state of a key", e);
    }
  }

  private static KeyState read(byte[] bytes) {
    try {
      return JSON.readValue(bytes, KeyState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable key state in the store (" + e.getClass().getSimpleName() + ")", null);
    }
  }
}
