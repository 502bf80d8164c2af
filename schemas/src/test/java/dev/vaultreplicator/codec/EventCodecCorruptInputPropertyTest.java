package dev.vaultreplicator.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.codec.EventDecodeException.Reason;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.avro.specific.SpecificRecord;

/** Whatever the bytes, the decoder returns an event or names the reason; the exact error paths are in EventCodecDecodeErrorsTest. */
class EventCodecCorruptInputPropertyTest {

  private final EventCodec codec = new EventCodec();

  @Property
  void shouldOnlyEverDecodeOrNameTheReasonWhenOneByteChanges(
      @ForAll(supplier = AvroArbitraries.AnyEvent.class) SpecificRecord event, @ForAll int position, @ForAll byte value) {
    byte[] bytes = codec.encode(event);
    bytes[Math.floorMod(position, bytes.length)] = value;

    decodesOrFailsTyped(bytes);
  }

  @Property
  void shouldOnlyEverDecodeOrNameTheReasonForAnyBodyAfterAKnownHeader(
      @ForAll(supplier = AvroArbitraries.AnyEvent.class) SpecificRecord event, @ForAll @Size(max = 64) byte[] body) {
    byte[] header = Arrays.copyOf(codec.encode(event), EventCodec.HEADER_LENGTH);
    byte[] bytes = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, bytes, header.length, body.length);

    decodesOrFailsTyped(bytes);
  }

  private void decodesOrFailsTyped(byte[] bytes) {
    try {
      SpecificRecord decoded = codec.decode(bytes);
      assertThat(codec.decode(codec.encode(decoded))).isEqualTo(decoded);
    } catch (EventDecodeException e) {
      assertThat(List.of(Reason.values())).contains(e.reason());
      assertThat(e.getMessage()).startsWith(e.reason().name());
    }
  }
}
