package dev.vaultreplicator.codec;

import static org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.codec.EventDecodeException.Reason;
import dev.vaultreplicator.codec.internal.SchemaHistory;
import dev.vaultreplicator.codec.internal.SchemaHistory.Kept;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.SecretChange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;

/** A new reader reads old events; an old reader reads new ones it knows, and names the ones it does not. */
class SchemaEvolutionTest {

  private final EventCodec codec = new EventCodec();

  @Provide
  Arbitrary<Tuple2<Kept, Object>> eventsOfEveryKeptVersion() {
    return Arbitraries.of(SchemaHistory.shipped().all())
        .flatMap(kept -> AvroArbitraries.datum(kept.schema(), GenericData.get()).map(datum -> Tuple.of(kept, datum)));
  }

  @Property
  void shouldReadEventsWrittenUnderEveryKeptVersion(@ForAll("eventsOfEveryKeptVersion") Tuple2<Kept, Object> written) {
    byte[] bytes = Encodings.generic(written.get1().schema(), written.get2());

    SpecificRecord read = codec.decode(bytes);

    assertThat(read).isInstanceOf(written.get1().type());
    assertThat(projectOnto(plain(read), plain(written.get2()))).isEqualTo(plain(written.get2()));
  }

  @Example
  void shouldNameAnEventFromANewerReleaseAsAnUnknownFingerprint() {
    List<Kept> withoutHeartbeats = SchemaHistory.shipped().all().stream()
        .filter(kept -> kept.type() != Heartbeat.class).toList();
    EventCodec olderRelease = new EventCodec(withoutHeartbeats, EventCodec.DEFAULT_MAX_EVENT_BYTES);
    byte[] heartbeat = codec.encode(new Heartbeat("east", 3L, 7, Instant.EPOCH, Instant.EPOCH));

    assertThatThrownBy(() -> olderRelease.decode(heartbeat))
        .isInstanceOfSatisfying(EventDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FINGERPRINT))
        .hasMessageContaining(String.format("%016x", SchemaHistory.fingerprint(Heartbeat.getClassSchema())));
  }

  @Example
  void shouldReadANewerWriterThatAddsAFieldAndAnOperationThroughTheDefaults() throws IOException {
    Schema newer = secretChangeWithAFieldAndAnOperationAdded();
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(SecretChange.getClassSchema(), newer).getType())
        .isEqualTo(COMPATIBLE);
    List<Kept> known = new ArrayList<>(SchemaHistory.shipped().all());
    known.add(new Kept(99, SecretChange.class, newer, SchemaHistory.fingerprint(newer)));
    EventCodec reader = new EventCodec(known, EventCodec.DEFAULT_MAX_EVENT_BYTES);

    GenericRecord written = new GenericData.Record(newer);
    written.put("source_region", "east");
    written.put("epoch", 4L);
    written.put("mount", "secret");
    written.put("path", "app/db");
    written.put("engine", new GenericData.EnumSymbol(newer.getField("engine").schema(), "KV_V2"));
    written.put("operation", new GenericData.EnumSymbol(newer.getField("operation").schema(), "PATCH"));
    written.put("source_version", 6L);
    written.put("versions", List.of(6L));
    written.put("rotated_by", "alice");
    written.put("commit_time", 1_000L);
    written.put("capture_time", 2_000L);

    SecretChange read = reader.decode(Encodings.generic(newer, written), SecretChange.class);

    assertThat(read.getOperation()).isEqualTo(Operation.UNKNOWN);
    assertThat(read.getPath()).isEqualTo("app/db");
    assertThat(read.getSourceVersion()).isEqualTo(6L);
    assertThat(read.getCaptureTime()).isEqualTo(Instant.ofEpochMilli(2_000L));
  }

  private static Schema secretChangeWithAFieldAndAnOperationAdded() throws IOException {
    String v1;
    try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/avro/v1/SecretChange.avsc")) {
      v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String newer = v1.replace("\"METADATA\"]", "\"METADATA\", \"PATCH\"]")
        .replace("{\"name\": \"commit_time\"", "{\"name\": \"rotated_by\", \"type\": [\"null\", \"string\"], \"default\": null},\n    {\"name\": \"commit_time\"");
    assertThat(newer).contains("PATCH").contains("rotated_by");
    return new Schema.Parser().parse(newer);
  }

  /** A record as a plain, comparable tree: generic and specific records alike. */
  private record RecordView(Map<String, Object> fields) {}

  private static Object plain(Object value) {
    if (value instanceof IndexedRecord record) {
      Map<String, Object> fields = new TreeMap<>();
      record.getSchema().getFields().forEach(f -> fields.put(f.name(), plain(record.get(f.pos()))));
      return new RecordView(fields);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> plainMap = new TreeMap<>();
      map.forEach((k, v) -> plainMap.put(k.toString(), plain(v)));
      return plainMap;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(SchemaEvolutionTest::plain).toList();
    }
    if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>) {
      return value.toString();
    }
    if (value instanceof Instant instant) {
      return instant.toEpochMilli();
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer view = buffer.duplicate();
      byte[] bytes = new byte[view.remaining()];
      view.get(bytes);
      return HexFormat.of().formatHex(bytes);
    }
    return value;
  }

  // Fields a newer reader added (with defaults) are not in what the older writer wrote: compare the rest.
  private static Object projectOnto(Object read, Object written) {
    if (read instanceof RecordView r && written instanceof RecordView w) {
      Map<String, Object> kept = new TreeMap<>();
      w.fields().forEach((name, value) -> kept.put(name, projectOnto(r.fields().get(name), value)));
      return new RecordView(kept);
    }
    if (read instanceof List<?> r && written instanceof List<?> w && r.size() == w.size()) {
      List<Object> kept = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        kept.add(projectOnto(r.get(i), w.get(i)));
      }
      return kept;
    }
    return read;
  }
}
