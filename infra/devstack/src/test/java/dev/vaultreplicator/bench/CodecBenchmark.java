package dev.vaultreplicator.bench;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.events.SecretMetadata;
import dev.vaultreplicator.seal.Envelope;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.SecretSealer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The event codec on a typical SecretChange, against Avro's plain binary encoding of the same record. */
@State(Scope.Thread)
public class CodecBenchmark {

  private EventCodec codec;
  private SecretChange event;
  private byte[] encoded;
  private byte[] avroBody;
  private SpecificDatumWriter<SecretChange> avroWriter;
  private SpecificDatumReader<SecretChange> avroReader;
  private BinaryEncoder reusedEncoder;
  private BinaryDecoder reusedDecoder;

  @Setup
  public void setUp() {
    codec = new EventCodec();
    event = typicalSecretChange();
    encoded = codec.encode(event);
    avroBody = Arrays.copyOfRange(encoded, 10, encoded.length);
    avroWriter = new SpecificDatumWriter<>(SecretChange.class);
    avroReader = new SpecificDatumReader<>(SecretChange.class);
  }

  @Benchmark
  public byte[] encode() {
    return codec.encode(event);
  }

  @Benchmark
  public SecretChange decode() {
    return codec.decode(encoded, SecretChange.class);
  }

  /** The ceiling: Avro's buffered binary encoder, no header. */
  @Benchmark
  public byte[] encodeAvroOnly() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    reusedEncoder = EncoderFactory.get().binaryEncoder(out, reusedEncoder);
    avroWriter.write(event, reusedEncoder);
    reusedEncoder.flush();
    return out.toByteArray();
  }

  /** The ceiling: Avro's buffered binary decoder, no header, no bounds. */
  @Benchmark
  public SecretChange decodeAvroOnly() throws IOException {
    reusedDecoder = DecoderFactory.get().binaryDecoder(avroBody, reusedDecoder);
    return avroReader.read(null, reusedDecoder);
  }

  static SecretChange typicalSecretChange() {
    Envelope envelope = TypicalSecret.ENVELOPE;
    return SecretChange.newBuilder()
        .setSourceRegion(envelope.region()).setEpoch(envelope.epoch())
        .setMount(envelope.mount()).setPath(envelope.path())
        .setEngine(Engine.KV_V2).setOperation(Operation.WRITE)
        .setSourceVersion(envelope.version()).setVersions(List.of(17L))
        .setMetadata(SecretMetadata.newBuilder()
            .setCustomMetadata(Map.of("owner", "payments", "rotation", "90d", "tier", "critical"))
            .setMaxVersions(10).setCasRequired(true).setDeleteVersionAfter("0s").build())
        .setCommitTime(Instant.parse("2026-11-24T05:00:00.123Z"))
        .setCaptureTime(Instant.parse("2026-11-24T05:00:00.131Z"))
        .setSealedData(new SecretSealer(Keyring.generate("bench")).seal(envelope, TypicalSecret.DATA))
        .build();
  }
}
