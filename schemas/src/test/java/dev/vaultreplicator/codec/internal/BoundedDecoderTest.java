package dev.vaultreplicator.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.codec.Encodings;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BoundedDecoderTest {

  @Test
  void shouldReadWhatAvrosEncoderWroteAndCountWhatIsLeft() throws IOException {
    BoundedDecoder in = decoderOver(e -> {
      e.writeString("vault");
      e.writeBytes(new byte[] {1, 2, 3});
      e.writeArrayStart();
      e.setItemCount(2);
      e.startItem();
      e.writeLong(7);
      e.startItem();
      e.writeLong(8);
      e.writeArrayEnd();
      e.writeInt(9);
    });

    assertThat(in.readString()).isEqualTo("vault");
    assertThat(in.readBytes(null)).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertThat(in.readArrayStart()).isEqualTo(2);
    assertThat(in.readLong()).isEqualTo(7);
    assertThat(in.readLong()).isEqualTo(8);
    assertThat(in.arrayNext()).isZero();
    assertThat(in.remaining()).isEqualTo(1);
    assertThat(in.readInt()).isEqualTo(9);
    assertThat(in.remaining()).isZero();
  }

  @Test
  void shouldRefuseAStringLongerThanWhatIsLeft() {
    BoundedDecoder in = decoderOver(e -> {
      e.writeLong(1L << 40);
      e.writeFixed(new byte[10]);
    });

    assertThatThrownBy(in::readString).isInstanceOf(EOFException.class)
        .hasMessage("string length 1099511627776 exceeds the 10 bytes left");
  }

  @Test
  void shouldRefuseBytesLongerThanWhatIsLeft() {
    BoundedDecoder in = decoderOver(e -> e.writeLong(11));

    assertThatThrownBy(() -> in.readBytes(null)).isInstanceOf(EOFException.class)
        .hasMessage("bytes length 11 exceeds the 0 bytes left");
    assertThatThrownBy(in::skipBytes).isInstanceOf(EOFException.class);
  }

  @Test
  void shouldRefuseMoreArrayOrMapItemsThanBytesLeft() {
    assertThatThrownBy(() -> decoderOver(e -> e.writeLong(5)).readArrayStart()).isInstanceOf(EOFException.class)
        .hasMessage("array block of 5 items exceeds the 0 bytes left");
    // Below Avro's own ceiling of about 2^31 items, where it would still allocate the backing store.
    assertThatThrownBy(() -> decoderOver(e -> e.writeLong(100_000_000)).readMapStart())
        .isInstanceOf(EOFException.class).hasMessage("map block of 100000000 items exceeds the 0 bytes left");
  }

  @Test
  void shouldRefuseANegativeBlockCountWhoseSizeIsForged() {
    // A negative count is followed by the block's byte size, and means |count| items.
    BoundedDecoder in = decoderOver(e -> {
      e.writeLong(-100_000_000);
      e.writeLong(8);
    });

    assertThatThrownBy(in::readArrayStart).isInstanceOf(EOFException.class)
        .hasMessage("array block of 100000000 items exceeds the 0 bytes left");
  }

  private static BoundedDecoder decoderOver(Encodings.Body body) {
    byte[] bytes = Encodings.body(body);
    return new BoundedDecoder(bytes, 0, bytes.length);
  }
}
