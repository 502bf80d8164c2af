package dev.vaultreplicator.codec;

import static dev.vaultreplicator.codec.EventDecodeException.Reason.BAD_MARKER;
import static dev.vaultreplicator.codec.EventDecodeException.Reason.CORRUPT_BODY;
import static dev.vaultreplicator.codec.EventDecodeException.Reason.TOO_LARGE;
import static dev.vaultreplicator.codec.EventDecodeException.Reason.TOO_SHORT;
import static dev.vaultreplicator.codec.EventDecodeException.Reason.UNEXPECTED_TYPE;
import static dev.vaultreplicator.codec.EventDecodeException.Reason.UNKNOWN_FINGERPRINT;
import static java.util.Objects.requireNonNull;

import dev.vaultreplicator.codec.internal.BoundedDecoder;
import dev.vaultreplicator.codec.internal.SchemaHistory;
import dev.vaultreplicator.codec.internal.TrustedEventClasses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Events to bytes and back in Avro single-object encoding: the marker C3 01, the writer schema's
 * CRC-64-AVRO fingerprint (little-endian), then the Avro binary body. The reader finds the
 * writer's schema by fingerprint among every version this build ships, so no registry server is
 * needed. Thread-safe; build one and share it.
 */
public final class EventCodec {

  /** The default bound on one encoded event; Kafka's own default message limit is 1 MiB. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;

  static final int HEADER_LENGTH = 10;
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private record Writer(byte[] header, DatumWriter<SpecificRecord> datumWriter) {}

  private record Reader(Class<? extends SpecificRecord> type, long fingerprint, DatumReader<SpecificRecord> datumReader) {}

  static {
    TrustedEventClasses.install();
  }

  private final Map<Class<?>, Writer> writers = new HashMap<>();
  private final Map<Long, Reader> readers = new HashMap<>();
  private final int maxEventBytes;

  /** A codec that reads every schema version this build ships and writes the current ones. */
  public EventCodec() {
    this(DEFAULT_MAX_EVENT_BYTES);
  }

  public EventCodec(int maxEventBytes) {
    this(SchemaHistory.shipped().all(), maxEventBytes);
  }

  // Package-private so tests can build an "older release" that knows fewer schemas.
  EventCodec(List<SchemaHistory.Kept> known, int maxEventBytes) {
    if (maxEventBytes < HEADER_LENGTH) {
      throw new IllegalArgumentException("maxEventBytes must be at least " + HEADER_LENGTH);
    }
    this.maxEventBytes = maxEventBytes;
    for (SchemaHistory.Kept kept : known) {
      readers.put(kept.fingerprint(), newReader(kept));
    }
    for (Class<? extends SpecificRecord> type : EventTypes.ALL) {
      Schema current = SpecificData.getForClass(type).getSchema(type);
      long fingerprint = SchemaHistory.fingerprint(current);
      if (readers.containsKey(fingerprint)) {
        writers.put(type, new Writer(header(fingerprint), newWriter(type, current)));
      }
    }
  }

  /** The event as single-object encoded bytes, under the current schema of its type. */
  public byte[] encode(SpecificRecord event) {
    requireNonNull(event, "event");
    Writer writer = writers.get(event.getClass());
    if (writer == null) {
      throw new EventEncodeException(event.getClass().getName() + " is not an event type this codec writes", null);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(writer.header());
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.datumWriter().write(event, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new EventEncodeException("cannot encode " + event.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** Decodes an event of any type; the caller switches on its class (the changes topic carries three). */
  public SpecificRecord decode(byte[] bytes) {
    return read(bytes, locate(bytes));
  }

  /** Decodes an event that must be of {@code type}; another type fails with UNEXPECTED_TYPE. */
  public <T extends SpecificRecord> T decode(byte[] bytes, Class<T> type) {
    requireNonNull(type, "type");
    Reader reader = locate(bytes);
    if (!type.isAssignableFrom(reader.type())) {
      throw new EventDecodeException(
          UNEXPECTED_TYPE, "expected " + type.getSimpleName() + ", found " + reader.type().getSimpleName());
    }
    return type.cast(read(bytes, reader));
  }

  private Reader locate(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    if (bytes.length > maxEventBytes) {
      throw new EventDecodeException(TOO_LARGE, bytes.length + " bytes exceed the limit of " + maxEventBytes);
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new EventDecodeException(
          TOO_SHORT, bytes.length + " bytes, but the single-object header alone is " + HEADER_LENGTH);
    }
    if (bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
      throw new EventDecodeException(
          BAD_MARKER, String.format("starts with %02X %02X, expected C3 01", bytes[0], bytes[1]));
    }
    long fingerprint = fingerprintAt(bytes);
    Reader reader = readers.get(fingerprint);
    if (reader == null) {
      throw new EventDecodeException(
          UNKNOWN_FINGERPRINT,
          String.format("writer schema %016x is not one this build ships (written by a newer release?)", fingerprint));
    }
    return reader;
  }

  private static SpecificRecord read(byte[] bytes, Reader reader) {
    BoundedDecoder body = new BoundedDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
    SpecificRecord event;
    try {
      event = reader.datumReader().read(null, body);
    } catch (IOException | RuntimeException e) {
      throw new EventDecodeException(CORRUPT_BODY, describe(reader) + " does not decode: " + e, e);
    }
    if (body.remaining() != 0) {
      throw new EventDecodeException(CORRUPT_BODY, describe(reader) + " is followed by " + body.remaining() + " trailing bytes");
    }
    return event;
  }

  private static String describe(Reader reader) {
    return String.format("%s body (writer schema %016x)", reader.type().getSimpleName(), reader.fingerprint());
  }

  private static Reader newReader(SchemaHistory.Kept kept) {
    SpecificData model = SpecificData.getForClass(kept.type());
    Schema readerSchema = model.getSchema(kept.type());
    return new Reader(kept.type(), kept.fingerprint(), new SpecificDatumReader<>(kept.schema(), readerSchema, model));
  }

  private static DatumWriter<SpecificRecord> newWriter(Class<? extends SpecificRecord> type, Schema schema) {
    return new SpecificDatumWriter<>(schema, SpecificData.getForClass(type));
  }

  static byte[] header(long fingerprint) {
    byte[] header = new byte[HEADER_LENGTH];
    header[0] = MARKER_0;
    header[1] = MARKER_1;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    return header;
  }

  private static long fingerprintAt(byte[] bytes) {
    long fingerprint = 0;
    for (int i = 0; i < 8; i++) {
      fingerprint |= (bytes[2 + i] & 0xffL) << (8 * i);
    }
    return fingerprint;
  }
}
