package dev.vaultreplicator.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vaultreplicator.codec.internal.SchemaHistory;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The decoder either returns an event or fails with an {@link EventDecodeException}: never another
 * exception, never an OutOfMemoryError. CI runs the inputs under EventCodecFuzzTestInputs/;
 * README.md gives the command for a real fuzzing run.
 */
class EventCodecFuzzTest {

  private static final EventCodec CODEC = new EventCodec();
  private static final List<byte[]> HEADERS = EventTypes.ALL.stream()
      .map(type -> EventCodec.header(SchemaHistory.fingerprint(SpecificData.getForClass(type).getSchema(type))))
      .toList();

  @FuzzTest(maxDuration = "5m")
  void decodeEitherReadsAnEventOrNamesTheReason(byte[] input) {
    byte[] bytes = withChosenHeader(input);
    try {
      SpecificRecord event = CODEC.decode(bytes);
      assertThat(CODEC.decode(CODEC.encode(event))).isEqualTo(event);
    } catch (EventDecodeException e) {
      assertThat(e.getMessage()).startsWith(e.reason().name());
    }
  }

  // A fuzzer rarely guesses a 64-bit fingerprint, so the first byte may pick a real header: it then explores bodies.
  static byte[] withChosenHeader(byte[] input) {
    if (input.length == 0) {
      return input;
    }
    int choice = Byte.toUnsignedInt(input[0]);
    if (choice >= HEADERS.size()) {
      return Arrays.copyOfRange(input, 1, input.length);
    }
    byte[] header = HEADERS.get(choice);
    byte[] bytes = Arrays.copyOf(header, header.length + input.length - 1);
    System.arraycopy(input, 1, bytes, header.length, input.length - 1);
    return bytes;
  }
}
