package dev.vaultreplicator.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.codec.internal.SchemaHistory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

class EventCodecRoundTripTest {

  private final EventCodec codec = new EventCodec();

  @Property
  void shouldDecodeExactlyTheEventItEncoded(@ForAll(supplier = AvroArbitraries.AnyEvent.class) SpecificRecord event) {
    byte[] bytes = codec.encode(event);

    assertThat(codec.decode(bytes)).isEqualTo(event);
    assertThat(codec.decode(bytes, event.getClass())).isEqualTo(event);
  }

  @Property
  void shouldWriteTheSingleObjectHeaderOfTheCurrentSchema(@ForAll(supplier = AvroArbitraries.AnyEvent.class) SpecificRecord event) {
    byte[] bytes = codec.encode(event);

    long fingerprint = SchemaHistory.fingerprint(SpecificData.getForClass(event.getClass()).getSchema(event.getClass()));
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(fingerprint);
  }

  @Property
  void shouldEncodeLikeAvrosOwnSingleObjectEncoder(@ForAll(supplier = AvroArbitraries.AnyEvent.class) SpecificRecord event) throws Exception {
    ByteBuffer avro = (ByteBuffer) event.getClass().getMethod("toByteBuffer").invoke(event);
    byte[] expected = new byte[avro.remaining()];
    avro.get(expected);

    assertThat(codec.encode(event)).isEqualTo(expected);
  }
}
