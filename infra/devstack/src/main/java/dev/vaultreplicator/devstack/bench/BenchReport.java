package dev.vaultreplicator.devstack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a run, one line per phase in the order they were measured, printed as
 * {@code bench: <phase> name=value ..} and kept as JSON with the same names.
 */
public final class BenchReport {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String[] PHASES = {"latency", "throughput", "bootstrap", "scan", "detect", "memory"};

  private final Map<String, Object> about = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> lines = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> cpu = new LinkedHashMap<>();

  public void about(String name, Object value) {
    about.put(name, value);
  }

  /** Adds a figure to a phase's line; a double is kept to the precision worth printing. */
  void figure(String phase, String name, Object value) {
    lines.computeIfAbsent(phase, p -> new LinkedHashMap<>()).put(name, value instanceof Double d ? round(d) : value);
  }

  /** A phase that could not run on this stack, and why. */
  void skipped(String phase, String reason) {
    figure(phase, "skipped", reason);
  }

  /** Where the cores went during a phase: each process's share of one core, in percent. */
  void cpu(String phase, Map<String, Double> percentOfACore) {
    Map<String, Object> rounded = new LinkedHashMap<>();
    percentOfACore.forEach((name, percent) -> rounded.put(name, round(percent)));
    cpu.put(phase, rounded);
  }

  static String line(String phase, Map<String, Object> figures) {
    StringBuilder line = new StringBuilder("bench: ").append(phase);
    figures.forEach((name, value) -> line.append(' ').append(name).append('=')
        .append(value instanceof String text && text.contains(" ") ? '"' + text + '"' : value));
    return line.toString();
  }

  /** The six lines, in the order the issue names them, each phase that did not run saying so. */
  public void print(PrintStream out) {
    for (String phase : PHASES) {
      out.println(line(phase, lines.getOrDefault(phase, Map.of("skipped", true))));
    }
  }

  public void write(Path file) throws IOException {
    Map<String, Object> document = new LinkedHashMap<>(about);
    lines.forEach(document::put);
    document.put("cpu_percent_of_a_core", cpu);
    Files.createDirectories(file.toAbsolutePath().getParent());
    JSON.writeValue(file.toFile(), document);
  }

  private static Object round(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.valueOf(value);
    }
    double magnitude = Math.abs(value);
    String text = String.format(Locale.ROOT, magnitude >= 100 ? "%.0f" : magnitude >= 1 ? "%.1f" : "%.2f", value);
    return Double.parseDouble(text);
  }
}
