package dev.vaultreplicator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vaultreplicator.apply.ApplyConfig;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.config.ConfigSource;
import dev.vaultreplicator.promotion.PromotionConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * compose.yaml kept in step with the code, since no Docker engine runs here to start it: every
 * setting it gives a component is one that component declares, its files are there, each service
 * it waits for exists, and the Vaults the promotion service reads are services of the file.
 */
class ComposeTest {

  private static final Path COMPOSE = Path.of("compose.yaml");
  private static final Map<String, ConfigDef> DEFINITIONS = Map.of("capture", CaptureConfig.DEFINITION,
      "apply", ApplyConfig.DEFINITION, "promotion", PromotionConfig.DEFINITION);

  private final JsonNode compose = read();
  private final JsonNode services = compose.path("services");

  @Test
  void everyComponentIsGivenOnlySettingsItDeclares() {
    List<String> components = new ArrayList<>();
    services.properties().forEach(service -> {
      String command = service.getValue().at("/command/0").asText();
      ConfigDef definition = DEFINITIONS.get(command);
      if (definition == null) {
        return;
      }
      components.add(command);
      Set<String> declared = definition.names().stream().map(ConfigSource::envName).collect(Collectors.toSet());
      service.getValue().path("environment").fieldNames().forEachRemaining(variable ->
          assertThat(declared).as(service.getKey() + " " + variable).contains(variable));
    });
    assertThat(components).containsExactlyInAnyOrder("capture", "apply", "promotion");
  }

  @Test
  void thePromotionServicesFileHoldsKnownKeysAndReadsVaultsOfThisFile() throws IOException {
    Properties settings = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of("compose", "promotion.properties"))) {
      settings.load(reader);
    }

    assertThat(settings.stringPropertyNames()).allSatisfy(key -> assertThat(PromotionConfig.isKnownKey(key)).as(key)
        .isTrue());
    settings.stringPropertyNames().stream().filter(key -> key.endsWith(".address")).forEach(key ->
        assertThat(services.has(URI.create(settings.getProperty(key)).getHost())).as(key).isTrue());
  }

  @Test
  void everyServiceWaitedForAndEveryFileMountedIsThere() {
    services.properties().forEach(service -> {
      service.getValue().path("depends_on").fieldNames().forEachRemaining(needed ->
          assertThat(services.has(needed)).as(service.getKey() + " depends on " + needed).isTrue());
      service.getValue().path("volumes").forEach(volume -> {
        String source = volume.asText().split(":")[0];
        if (source.startsWith(".")) {
          assertThat(Path.of(source)).as(service.getKey() + " mounts " + source).exists();
        } else {
          assertThat(compose.path("volumes").has(source)).as(service.getKey() + " mounts volume " + source).isTrue();
        }
      });
    });
    assertThat(Path.of("compose").resolve(Path.of(compose.at("/secrets/vault-dev-token/file").asText()).getFileName()))
        .exists();
  }

  @Test
  void theReplicatorImageIsBuiltFromTheDockerfileOfThisDirectory() {
    // The replicator services take their image from this block (a YAML merge key, <<: *replicator).
    JsonNode build = compose.at("/x-replicator/build");
    Path dockerfile = Path.of(build.path("context").asText()).resolve(build.path("dockerfile").asText());
    assertThat(dockerfile.toAbsolutePath().normalize()).isEqualTo(Path.of("Dockerfile").toAbsolutePath());
    assertThat(compose.at("/x-replicator/image").asText()).isEqualTo("vault-replicator:"
        + System.getProperty("project.version", "0.1.0-SNAPSHOT"));
  }

  private static JsonNode read() {
    try {
      return new YAMLMapper().readTree(COMPOSE.toFile());
    } catch (IOException e) {
      throw new AssertionError("compose.yaml does not parse: " + e.getMessage(), e);
    }
  }
}
