package dev.vaultreplicator.cli;

import dev.vaultreplicator.config.ConfigSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders every setting of a command for --help, from the same definition that validates them.
 * Hand-written wrapping: picocli does not indent wrapped footer lines.
 */
public final class SettingsHelp {

  private SettingsHelp() {}

  public static String render(ConfigDef definition) {
    StringBuilder text = new StringBuilder("\nSettings (key = default):\n");
    for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
      String value = !key.hasDefault() ? "(required)"
          : key.defaultValue == null ? "(unset)" : ConfigDef.convertToString(key.defaultValue, key.type);
      text.append(String.format("  %s = %s%n      (env %s)%n", key.name, value, ConfigSource.envName(key.name)));
      wrap(key.documentation, 72).forEach(line -> text.append("      ").append(line).append('\n'));
    }
    return text.toString();
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    lines.add(line.toString());
    return lines;
  }
}
