package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the parser on lines a real OpenBao 2.7.2 wrote to its socket audit device, one request
 * and one response line per operation capture acts on, values HMAC'd as OpenBao writes them
 * (src/test/resources/audit/, made by {@code fixtures.AuditFixtureRecorder}).
 */
class AuditLineParserOnOpenBaoTest {

  private static final String FIXTURES = "/audit/openbao-2.7.2/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private final AuditLineParser parser = new AuditLineParser(Map.of("secret", 2, "legacy", 1),
      Map.of("secret", PathFilter.of(List.of(), List.of("scratch/**"))), true);

  @Test
  void eachResponseLineMeansWhatItsOperationDid() throws IOException {
    Map<String, String> expected = expectations();
    Map<String, String> actual = new LinkedHashMap<>();
    for (String line : lines()) {
      JsonNode entry = JSON.readTree(line);
      String id = entry.at("/request/id").asText();
      if (entry.path("type").asText().equals("response") && expected.containsKey(id)) {
        actual.put(id, describe(parser.parse(line, NOW)));
      }
    }

    assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void everyRequestLineIsOnlyTheFirstHalfOfItsPair() throws IOException {
    List<String> requests = lines().stream().filter(line -> line.contains("\"type\":\"request\"")).toList();

    assertThat(requests).hasSizeGreaterThanOrEqualTo(expectations().size());
    assertThat(requests).allSatisfy(line -> assertThat(parser.parse(line, NOW))
        .isEqualTo(new AuditLineParser.Skip(SkipReason.REQUEST_ENTRY)));
  }

  @Test
  void aChangeCarriesThePrimarysOwnTimeOfTheEntry() throws IOException {
    String write = lines().stream().filter(line -> line.contains("\"type\":\"response\"")
        && line.contains("\"path\":\"secret/data/app/db\"")).findFirst().orElseThrow();

    var change = (AuditLineParser.Change) parser.parse(write, NOW);

    assertThat(change.time()).isEqualTo(Instant.parse(JSON.readTree(write).get("time").asText()));
  }

  /** OpenBao hashes strings, not numbers: the version a data write made is there for capture to read alone. */
  @Test
  void aDataWriteNamesTheVersionItMade() throws IOException {
    List<String> writes = lines().stream().filter(line -> line.contains("\"type\":\"response\"")
        && line.contains("\"path\":\"secret/data/app/") && !line.contains("\"error\"")
        && (line.contains("\"operation\":\"create\"") || line.contains("\"operation\":\"update\""))).toList();

    assertThat(writes).isNotEmpty().allSatisfy(line -> assertThat(((AuditLineParser.Change) parser.parse(line, NOW))
        .writtenVersion()).isEqualTo(JSON.readTree(line).at("/response/data/version").asLong()).isPositive());
  }

  private static String describe(AuditLineParser.Verdict verdict) {
    if (verdict instanceof AuditLineParser.Skip skip) {
      return "skip " + skip.reason().tag();
    }
    if (verdict instanceof AuditLineParser.MountConfigChanged config) {
      return "config " + config.mount();
    }
    Target target = ((AuditLineParser.Change) verdict).target();
    return switch (target.kind()) {
      case POLICY -> "change policy " + target.path();
      case KV_V2 -> "change kv2 " + target.mount() + " " + target.path();
      case KV_V1 -> "change kv1 " + target.mount() + " " + target.path();
    };
  }

  private static Map<String, String> expectations() throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    for (String line : resource("expected.tsv").split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String[] fields = line.split("\t");
        expected.put(fields[0], fields[2]);
      }
    }
    return expected;
  }

  private static List<String> lines() throws IOException {
    return List.of(resource("audit.jsonl").split("\n"));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = AuditLineParserOnOpenBaoTest.class.getResourceAsStream(FIXTURES + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
