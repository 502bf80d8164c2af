package dev.vaultreplicator.codec;

import dev.vaultreplicator.codec.internal.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Hand-made single-object encodings: what another writer, or an attacker, could put on a topic. */
public final class Encodings {

  public interface Body {
    void write(BinaryEncoder encoder) throws IOException;
  }

  private Encodings() {}

  /** A generic datum written under {@code schema}, the way an older or newer release would write it. */
  static byte[] generic(Schema schema, Object datum) {
    return singleObject(SchemaHistory.fingerprint(schema), body(e -> new GenericDatumWriter<>(schema, GenericData.get()).write(datum, e)));
  }

  static byte[] singleObject(long fingerprint, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(EventCodec.header(fingerprint));
    out.writeBytes(body);
    return out.toByteArray();
  }

  public static byte[] body(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      body.write(encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
