package dev.vaultreplicator.codec;

import static org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.codec.internal.SchemaHistory;
import dev.vaultreplicator.codec.internal.SchemaHistory.Kept;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SchemaHistoryTest {

  private final SchemaHistory history = SchemaHistory.shipped();

  @Test
  void shouldShipExactlyThePinnedSchemaVersionsUnchanged() throws IOException {
    Map<String, String> shipped = history.all().stream()
        .collect(Collectors.toMap(Kept::resourceName, kept -> String.format("%016x", kept.fingerprint())));

    assertThat(shipped).isEqualTo(pinnedFingerprints());
  }

  @Test
  void shouldStartEveryEventTypeAtVersionOne() {
    for (Class<? extends SpecificRecord> type : EventTypes.ALL) {
      assertThat(history.versionsOf(type)).as(type.getSimpleName()).first().extracting(Kept::version).isEqualTo(1);
    }
  }

  @Test
  void shouldGenerateEachEventClassFromItsNewestKeptVersion() {
    for (Class<? extends SpecificRecord> type : EventTypes.ALL) {
      Kept newest = history.versionsOf(type).stream().max(Comparator.comparingInt(Kept::version)).orElseThrow();

      assertThat(SchemaHistory.fingerprint(current(type)))
          .as("%s is generated from an older schema than %s: bump schemas.current", type.getSimpleName(),
              newest.resourceName())
          .isEqualTo(newest.fingerprint());
    }
  }

  @Test
  void shouldLetTheCurrentReaderReadEveryKeptVersion() {
    for (Kept kept : history.all()) {
      var result = SchemaCompatibility.checkReaderWriterCompatibility(current(kept.type()), kept.schema());

      assertThat(result.getType()).as("current reader, writer %s: %s", kept.resourceName(), result.getDescription())
          .isEqualTo(COMPATIBLE);
    }
  }

  @Test
  void shouldLetEveryKeptVersionReadTheCurrentWriter() {
    for (Kept kept : history.all()) {
      var result = SchemaCompatibility.checkReaderWriterCompatibility(kept.schema(), current(kept.type()));

      assertThat(result.getType()).as("reader %s, current writer: %s", kept.resourceName(), result.getDescription())
          .isEqualTo(COMPATIBLE);
    }
  }

  private static Schema current(Class<? extends SpecificRecord> type) {
    return SpecificData.getForClass(type).getSchema(type);
  }

  private static Map<String, String> pinnedFingerprints() throws IOException {
    try (InputStream in = SchemaHistoryTest.class.getResourceAsStream("/kept-schema-fingerprints.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .map(line -> line.split(" "))
          .collect(Collectors.toMap(parts -> parts[0], parts -> parts[1]));
    }
  }
}
