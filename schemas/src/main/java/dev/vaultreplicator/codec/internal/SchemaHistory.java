package dev.vaultreplicator.codec.internal;

import static java.util.Objects.requireNonNull;

import dev.vaultreplicator.codec.EventTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every schema version this build ships: {@code avro/v<N>/<Type>.avsc} on the classpath, copied
 * from {@code schemas/src/main/avro}. A reader resolves a writer's fingerprint among these, so an
 * event written by any earlier release stays readable.
 */
public final class SchemaHistory {

  /** One kept version of one event type. */
  public record Kept(int version, Class<? extends SpecificRecord> type, Schema schema, long fingerprint) {
    public Kept {
      requireNonNull(type, "type");
      requireNonNull(schema, "schema");
    }

    public String resourceName() {
      return resource(version, type);
    }
  }

  private static final SchemaHistory SHIPPED = load(SchemaHistory.class.getClassLoader());

  private final List<Kept> kept;

  private SchemaHistory(List<Kept> kept) {
    this.kept = List.copyOf(kept);
  }

  public static SchemaHistory shipped() {
    return SHIPPED;
  }

  public List<Kept> all() {
    return kept;
  }

  public List<Kept> versionsOf(Class<? extends SpecificRecord> type) {
    return kept.stream().filter(k -> k.type().equals(type)).toList();
  }

  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  // Version folders are numbered from 1 without gaps; the first number with no schema at all ends the history.
  private static SchemaHistory load(ClassLoader loader) {
    List<Kept> kept = new ArrayList<>();
    for (int version = 1; ; version++) {
      int found = 0;
      for (Class<? extends SpecificRecord> type : EventTypes.ALL) {
        Schema schema = parse(loader, resource(version, type));
        if (schema == null) {
          continue;
        }
        if (!schema.getFullName().equals(type.getName())) {
          throw new IllegalStateException(
              resource(version, type) + " defines " + schema.getFullName() + ", not " + type.getName());
        }
        kept.add(new Kept(version, type, schema, fingerprint(schema)));
        found++;
      }
      if (found == 0) {
        return new SchemaHistory(kept);
      }
    }
  }

  private static Schema parse(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static String resource(int version, Class<?> type) {
    return "avro/v" + version + "/" + type.getSimpleName() + ".avsc";
  }
}
