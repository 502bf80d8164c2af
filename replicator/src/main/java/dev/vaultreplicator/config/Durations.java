package dev.vaultreplicator.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Durations in config files are written as Vault and Go write them: a whole number and a unit,
 * {@code 500ms}, {@code 1s}, {@code 5m}, {@code 2h}.
 */
public final class Durations {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Durations() {}

  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a number and a unit (ms, s, m, h), e.g. 1s");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /** A validator for a duration of at least {@code min}. */
  public static ConfigDef.Validator atLeast(Duration min) {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        Duration parsed;
        try {
          parsed = parse(String.valueOf(value));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, value, e.getMessage());
        }
        if (parsed.compareTo(min) < 0) {
          throw new ConfigException(name, value, "must be at least " + min.toMillis() + "ms");
        }
      }

      @Override
      public String toString() {
        return "a duration such as 500ms, 1s, 5m, 2h; at least " + min.toMillis() + "ms";
      }
    };
  }
}
