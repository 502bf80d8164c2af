package dev.vaultreplicator.codec;

import static dev.vaultreplicator.codec.EventDecodeException.Reason.BAD_MARKER;
import static dev.vaultreplicator.codec.EventDecodeException.Reason.CORRUPT_BODY;
import static dev.vaultreplicator.codec.EventDecodeException.Reason.TOO_LARGE;
import static dev.vaultreplicator.codec.EventDecodeException.Reason.TOO_SHORT;
import static dev.vaultreplicator.codec.EventDecodeException.Reason.UNEXPECTED_TYPE;
import static dev.vaultreplicator.codec.EventDecodeException.Reason.UNKNOWN_FINGERPRINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.codec.EventDecodeException.Reason;
import dev.vaultreplicator.codec.internal.SchemaHistory;
import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.SealedData;
import dev.vaultreplicator.events.SecretChange;
import java.time.Instant;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecDecodeErrorsTest {

  private static final long SECRET_CHANGE = SchemaHistory.fingerprint(SecretChange.getClassSchema());

  private final EventCodec codec = new EventCodec();
  private final byte[] heartbeat = codec.encode(new Heartbeat("east", 3L, 7, Instant.EPOCH, Instant.EPOCH));

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 9})
  void shouldRefuseFewerBytesThanTheHeader(int length) {
    assertFails(() -> codec.decode(Arrays.copyOf(heartbeat, length)), TOO_SHORT, length + " bytes");
  }

  @Test
  void shouldRefuseMoreBytesThanTheLimit() {
    EventCodec small = new EventCodec(heartbeat.length - 1);

    assertFails(() -> small.decode(heartbeat), TOO_LARGE, heartbeat.length + " bytes exceed the limit");
  }

  @Test
  void shouldRefuseAnythingButTheSingleObjectMarker() {
    byte[] json = "{\"source_region\":\"east\"}".getBytes();

    assertFails(() -> codec.decode(json), BAD_MARKER, "starts with 7B 22");
  }

  @Test
  void shouldNameTheFingerprintItDoesNotKnow() {
    byte[] bytes = heartbeat.clone();
    bytes[9] ^= 0x40;

    assertFails(() -> codec.decode(bytes), UNKNOWN_FINGERPRINT, "writer schema");
  }

  @Test
  void shouldRefuseABodyCutShortAtEveryLength() {
    for (int length = EventCodec.HEADER_LENGTH; length < heartbeat.length; length++) {
      byte[] cut = Arrays.copyOf(heartbeat, length);
      assertFails(() -> codec.decode(cut), CORRUPT_BODY, "Heartbeat body");
    }
  }

  @Test
  void shouldRefuseTrailingBytes() {
    byte[] longer = Arrays.copyOf(heartbeat, heartbeat.length + 2);

    assertFails(() -> codec.decode(longer), CORRUPT_BODY, "followed by 2 trailing bytes");
  }

  @Test
  void shouldRefuseAForgedStringLengthWithoutAllocatingIt() {
    byte[] forged = Encodings.singleObject(SECRET_CHANGE, Encodings.body(e -> e.writeLong(Integer.MAX_VALUE - 8)));

    assertFails(() -> codec.decode(forged), CORRUPT_BODY, "string length 2147483639 exceeds the 0 bytes left");
  }

  @Test
  void shouldRefuseAForgedArrayCountWithoutAllocatingIt() {
    byte[] forged = Encodings.singleObject(SECRET_CHANGE, Encodings.body(e -> {
      writeSecretChangeUpToVersions(e);
      e.writeLong(100_000_000); // block count of the versions array, under Avro's own ceiling
      e.writeLong(1);
    }));

    assertFails(() -> codec.decode(forged), CORRUPT_BODY, "array block of 100000000 items");
  }

  @Test
  void shouldRefuseAnEnumIndexOutsideTheSymbols() {
    byte[] bad = Encodings.singleObject(SECRET_CHANGE, Encodings.body(e -> {
      e.writeString("east");
      e.writeLong(1);
      e.writeString("secret");
      e.writeString("app");
      e.writeEnum(42); // engine
    }));

    assertFails(() -> codec.decode(bad), CORRUPT_BODY, "SecretChange body");
  }

  @Test
  void shouldRefuseAUnionBranchThatDoesNotExist() {
    byte[] bad = Encodings.singleObject(SECRET_CHANGE, Encodings.body(e -> {
      writeSecretChangeUpToVersions(e);
      e.writeLong(0); // empty versions array
      e.writeIndex(7); // metadata: only 0 (null) and 1 (record) exist
    }));

    assertFails(() -> codec.decode(bad), CORRUPT_BODY, "SecretChange body");
  }

  @Test
  void shouldRefuseANegativeLength() {
    byte[] bad = Encodings.singleObject(SECRET_CHANGE, Encodings.body(e -> e.writeLong(-5)));

    assertFails(() -> codec.decode(bad), CORRUPT_BODY, "string length -5");
  }

  @Test
  void shouldRefuseAnEventOfAnotherTypeThanAskedFor() {
    assertFails(() -> codec.decode(heartbeat, SecretChange.class), UNEXPECTED_TYPE, "expected SecretChange, found Heartbeat");
  }

  @Test
  void shouldRefuseToEncodeANestedRecordOrAnIncompleteEvent() {
    SealedData notAnEvent = new SealedData("k1", java.nio.ByteBuffer.allocate(12), java.nio.ByteBuffer.allocate(16));

    assertThatThrownBy(() -> codec.encode(notAnEvent)).isInstanceOf(EventEncodeException.class)
        .hasMessageContaining("not an event type");
    assertThatThrownBy(() -> codec.encode(new SecretChange())).isInstanceOf(EventEncodeException.class)
        .hasMessageContaining("cannot encode SecretChange");
  }

  private static void writeSecretChangeUpToVersions(org.apache.avro.io.BinaryEncoder e) throws java.io.IOException {
    e.writeString("east");
    e.writeLong(1);
    e.writeString("secret");
    e.writeString("app");
    e.writeEnum(Engine.KV_V2.ordinal());
    e.writeEnum(Operation.WRITE.ordinal());
    e.writeLong(1);
  }

  private static void assertFails(ThrowingCallable decode, Reason reason, String message) {
    assertThatThrownBy(decode)
        .isInstanceOfSatisfying(EventDecodeException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }
}
