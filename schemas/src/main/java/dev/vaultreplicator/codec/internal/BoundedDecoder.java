package dev.vaultreplicator.codec.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro's binary decoder over a byte array that refuses any length or item count larger than the
 * bytes left. Avro allocates a string's buffer, or an array's backing store, from the length it
 * reads before it reads the data, so a forged length in a few bytes of input would otherwise ask
 * for gigabytes. Every array and map item of our schemas encodes to at least one byte, which is
 * what makes "count &lt;= bytes left" a safe bound.
 */
public final class BoundedDecoder extends org.apache.avro.io.Decoder {

  private final Source source;
  private final org.apache.avro.io.Decoder in;

  public BoundedDecoder(byte[] bytes, int offset, int length) {
    this.source = new Source(bytes, offset, length);
    this.in = DecoderFactory.get().directBinaryDecoder(source, null);
  }

  /** Bytes not consumed yet; anything left after a whole event is trailing garbage. */
  public int remaining() {
    return source.available();
  }

  private int checkedLength(long length, String what) throws IOException {
    if (length < 0 || length > remaining()) {
      throw new EOFException(what + " length " + length + " exceeds the " + remaining() + " bytes left");
    }
    return (int) length;
  }

  private long checkedCount(long count, String what) throws IOException {
    if (count < 0 || count > remaining()) {
      throw new EOFException(what + " block of " + count + " items exceeds the " + remaining() + " bytes left");
    }
    return count;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    byte[] bytes = new byte[checkedLength(in.readLong(), "string")];
    in.readFixed(bytes);
    return new Utf8(bytes);
  }

  @Override
  public String readString() throws IOException {
    return readString(null).toString();
  }

  @Override
  public void skipString() throws IOException {
    in.skipFixed(checkedLength(in.readLong(), "string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    byte[] bytes = new byte[checkedLength(in.readLong(), "bytes")];
    in.readFixed(bytes);
    return ByteBuffer.wrap(bytes);
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipFixed(checkedLength(in.readLong(), "bytes"));
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedCount(in.readArrayStart(), "array");
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedCount(in.arrayNext(), "array");
  }

  @Override
  public long skipArray() throws IOException {
    return checkedCount(in.skipArray(), "array");
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedCount(in.readMapStart(), "map");
  }

  @Override
  public long mapNext() throws IOException {
    return checkedCount(in.mapNext(), "map");
  }

  @Override
  public long skipMap() throws IOException {
    return checkedCount(in.skipMap(), "map");
  }

  // Fixed-size reads below cannot be forged: their sizes come from the schema or the header.

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }

  /** An unsynchronised ByteArrayInputStream that knows exactly how much is left. */
  private static final class Source extends InputStream {
    private final byte[] bytes;
    private final int limit;
    private int position;

    Source(byte[] bytes, int offset, int length) {
      this.bytes = bytes;
      this.position = offset;
      this.limit = offset + length;
    }

    @Override
    public int read() {
      return position < limit ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (position >= limit) {
        return -1;
      }
      int n = Math.min(length, limit - position);
      System.arraycopy(bytes, position, target, offset, n);
      position += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long skipped = Math.max(0, Math.min(n, limit - position));
      position += (int) skipped;
      return skipped;
    }

    @Override
    public int available() {
      return limit - position;
    }
  }
}
