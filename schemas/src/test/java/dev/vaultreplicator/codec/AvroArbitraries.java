package dev.vaultreplicator.codec;

import dev.vaultreplicator.codec.internal.TrustedEventClasses;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Random values for any Avro schema, so every event type, and every future version of one, gets
 * round-trip properties without a hand-written generator. With a {@link SpecificData} model the
 * values are the generated classes; with {@link GenericData} they are generic records.
 */
final class AvroArbitraries {

  static {
    TrustedEventClasses.install();
  }

  private AvroArbitraries() {}

  static <T extends SpecificRecord> Arbitrary<T> events(Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    return datum(model.getSchema(type), model).map(type::cast);
  }

  static Arbitrary<SpecificRecord> anyEvent() {
    return Arbitraries.oneOf(EventTypes.ALL.stream().map(type -> events(type).map(SpecificRecord.class::cast)).toList());
  }

  /** For {@code @ForAll(supplier = AvroArbitraries.AnyEvent.class)}: an event of any type. */
  static final class AnyEvent implements ArbitrarySupplier<SpecificRecord> {
    @Override
    public Arbitrary<SpecificRecord> get() {
      return anyEvent();
    }
  }

  static Arbitrary<Object> datum(Schema schema, GenericData model) {
    return switch (schema.getType()) {
      case NULL -> Arbitraries.just(null);
      case BOOLEAN -> Arbitraries.of(true, false).map(Object.class::cast);
      case INT -> Arbitraries.integers().map(Object.class::cast);
      case LONG -> longs(schema, model);
      case FLOAT -> Arbitraries.floats().map(Object.class::cast);
      case DOUBLE -> Arbitraries.doubles().map(Object.class::cast);
      case STRING -> strings().map(Object.class::cast);
      case BYTES -> Arbitraries.bytes().array(byte[].class).ofMaxSize(48).map(ByteBuffer::wrap).map(Object.class::cast);
      case FIXED -> Arbitraries.bytes().array(byte[].class).ofSize(schema.getFixedSize())
          .map(bytes -> model.createFixed(null, bytes, schema));
      case ENUM -> Arbitraries.of(schema.getEnumSymbols()).map(symbol -> model.createEnum(symbol, schema));
      case ARRAY -> datum(schema.getElementType(), model).list().ofMaxSize(4).map(Object.class::cast);
      case MAP -> Arbitraries.maps(strings(), datum(schema.getValueType(), model)).ofMaxSize(4).map(Object.class::cast);
      case UNION -> Arbitraries.oneOf(schema.getTypes().stream().map(branch -> datum(branch, model)).toList());
      case RECORD -> record(schema, model);
    };
  }

  private static Arbitrary<Object> record(Schema schema, GenericData model) {
    List<Arbitrary<Object>> fields = schema.getFields().stream().map(f -> datum(f.schema(), model)).toList();
    return Combinators.combine(fields).as(values -> {
      IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
      for (int i = 0; i < values.size(); i++) {
        record.put(i, values.get(i));
      }
      return record;
    });
  }

  private static Arbitrary<Object> longs(Schema schema, GenericData model) {
    Arbitrary<Long> longs = Arbitraries.longs();
    boolean instant = schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
        && model.getConversionFor(schema.getLogicalType()) != null;
    return instant ? longs.map(Instant::ofEpochMilli) : longs.map(Object.class::cast);
  }

  // Any Unicode text Avro's UTF-8 can carry: every BMP character but lone surrogates, plus emoji pairs.
  private static Arbitrary<String> strings() {
    Arbitrary<String> bmp = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\ufffd')
        .ofMaxLength(24);
    return Arbitraries.oneOf(bmp, bmp.map(s -> s + "\ud83d\udd10"));
  }
}
