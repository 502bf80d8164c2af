package dev.vaultreplicator.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.apply.ApplyConfig;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.config.ConfigSource;
import dev.vaultreplicator.config.KeyFamily;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is rendered from the same definitions that validate every setting, so it
 * cannot drift from the code: this test fails when the file differs from what the definitions say
 * now. {@code mvn -pl promotion-service test -Dtest=ConfigurationReferenceTest
 * -Dconfiguration.reference.write} writes it afresh.
 */
class ConfigurationReferenceTest {

  private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

  private record Component(String name, String command, ConfigDef definition, List<KeyFamily> families,
      Predicate<String> accepts) {}

  private static final List<Component> COMPONENTS = List.of(
      new Component("capture", "java -jar replicator.jar capture --config FILE", CaptureConfig.DEFINITION,
          CaptureConfig.FAMILIES, CaptureConfig::isKnownKey),
      new Component("apply", "java -jar replicator.jar apply --config FILE", ApplyConfig.DEFINITION,
          ApplyConfig.FAMILIES, ApplyConfig::isKnownKey),
      new Component("promotion service", "java -jar promotion-service.jar --config FILE", PromotionConfig.DEFINITION,
          PromotionConfig.FAMILIES, PromotionConfig::isKnownKey));

  @Test
  void referenceIsCurrent() throws IOException {
    String rendered = render();
    if (System.getProperty("configuration.reference.write") != null) {
      Files.writeString(REFERENCE, rendered, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
        .as("docs/configuration.md is stale: run mvn -pl promotion-service test -Dtest=ConfigurationReferenceTest "
            + "-Dconfiguration.reference.write")
        .isEqualTo(rendered);
  }

  @Test
  void everyFamilysExampleIsAcceptedByItsComponent() {
    for (Component component : COMPONENTS) {
      for (KeyFamily family : component.families()) {
        assertThat(component.accepts().test(family.example())).as(component.name() + " " + family.form()).isTrue();
        assertThat(component.definition().names()).doesNotContain(family.example());
      }
    }
  }

  @Test
  void everyDeclaredKeyIsDocumented() {
    for (Component component : COMPONENTS) {
      component.definition().configKeys().values()
          .forEach(key -> assertThat(key.documentation).as(component.name() + " " + key.name).isNotBlank());
    }
  }

  private static String render() {
    StringBuilder md = new StringBuilder("""
        # Configuration reference

        <!-- Generated from the config definitions by ConfigurationReferenceTest; do not edit by hand. -->

        Every component reads a properties file (`--config FILE`) and then environment variables, which
        win. The variable for a key is `VAULT_REPLICATOR_` and the key upper-cased with dots as
        underscores. A key that is not listed here is refused at start, so a typo cannot fall back to a
        default. Secrets (type `password`) print as `[hidden]` in every error. Keys written with `<name>`,
        `<region>` or `<setting>` stand for a family (one key per mount, region or Kafka setting); they are
        read from the file only.

        """);
    for (Component component : COMPONENTS) {
      md.append("- [").append(component.name()).append("](#").append(component.name().replace(' ', '-'))
          .append(")\n");
    }
    for (Component component : COMPONENTS) {
      md.append("\n## ").append(component.name()).append("\n\n`").append(component.command()).append("`\n\n")
          .append("| key | type | default | meaning |\n|---|---|---|---|\n");
      for (ConfigDef.ConfigKey key : component.definition().configKeys().values()) {
        md.append("| `").append(key.name).append("`<br>`").append(ConfigSource.envName(key.name)).append("` | ")
            .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ").append(defaultOf(key))
            .append(" | ").append(cell(key.documentation)).append(" |\n");
      }
      for (KeyFamily family : component.families()) {
        md.append("| `").append(family.form()).append("`<br>(file only) | string | (unset) | ")
            .append(cell(family.documentation())).append(" |\n");
      }
    }
    return md.toString();
  }

  private static String defaultOf(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "**required**";
    }
    if (key.defaultValue == null) {
      return "(unset)";
    }
    String value = ConfigDef.convertToString(key.defaultValue, key.type);
    return value.isEmpty() ? "(empty)" : "`" + value + "`";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("*", "\\*").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
  }
}
