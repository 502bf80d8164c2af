package dev.vaultreplicator.devstack.bench;

import java.util.OptionalDouble;

/** One sample of Prometheus' text format, found by its series (name and labels as exposed). */
final class Prometheus {

  private Prometheus() {}

  /**
   * @param series a metric name, alone or with labels exactly as exposed; without labels it also
   *     matches the first labelled series of that name
   */
  static OptionalDouble value(String exposition, String series) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(series + " ") || (!series.contains("{") && line.startsWith(series + "{"))) {
        String value = line.substring(line.lastIndexOf(' ') + 1);
        try {
          return OptionalDouble.of(Double.parseDouble(value));
        } catch (NumberFormatException notANumber) {
          return OptionalDouble.empty();
        }
      }
    }
    return OptionalDouble.empty();
  }
}
