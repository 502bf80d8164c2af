package dev.vaultreplicator.apply;

import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** What apply does with a record it cannot apply: park it in the dead-letter topic, or stop. */
public enum PoisonPolicy {
  DLQ,
  STOP;

  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  static PoisonPolicy of(String value) {
    return valueOf(value.strip().toUpperCase(Locale.ROOT));
  }

  static ConfigDef.Validator validator() {
    return (name, value) -> {
      if (value == null || Arrays.stream(values()).noneMatch(p -> p.configValue().equals(value.toString().strip()))) {
        throw new ConfigException(name, value, "one of dlq, stop");
      }
    };
  }
}
