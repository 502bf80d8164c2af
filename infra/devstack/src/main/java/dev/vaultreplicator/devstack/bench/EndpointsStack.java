package dev.vaultreplicator.devstack.bench;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A pipeline someone else runs, described by an endpoints file (Java properties): its two Vaults
 * with their tokens, the standby's region, the promotion service, and optionally capture's
 * metrics and the shell commands that stop and start capture and apply. Phases that need what the
 * file does not give are skipped with the reason; peak memory is never known here, since the
 * processes are not this machine's to read.
 */
public final class EndpointsStack implements BenchStack {

  private static final List<String> REQUIRED = List.of("primary.address", "standby.address", "standby.region",
      "promotion.address");
  private static final List<String> OPTIONAL = List.of("primary.token.file", "primary.token.env",
      "standby.token.file", "standby.token.env", "mount", "capture.metrics", "capture.stop", "capture.start",
      "apply.stop", "apply.start");
  private static final Duration COMMAND_PATIENCE = Duration.ofMinutes(2);

  private final Map<String, String> settings;
  private final BenchVault primary;
  private final BenchVault standby;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private EndpointsStack(Map<String, String> settings, int valueBytes) {
    this.settings = settings;
    String mount = settings.getOrDefault("mount", BenchVault.DEVSTACK_MOUNT);
    this.primary = new BenchVault(http, address("primary.address"), token("primary"), mount, valueBytes);
    this.standby = new BenchVault(http, address("standby.address"), token("standby"), mount, valueBytes);
  }

  /** @throws IllegalArgumentException naming the file and what is wrong with it */
  public static EndpointsStack load(Path file, int valueBytes) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name).trim()));
    TreeSet<String> unknown = new TreeSet<>(settings.keySet());
    REQUIRED.forEach(unknown::remove);
    OPTIONAL.forEach(unknown::remove);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(file + ": unknown " + String.join(", ", unknown) + "; known are "
          + String.join(", ", REQUIRED) + " (required) and " + String.join(", ", OPTIONAL));
    }
    for (String name : REQUIRED) {
      if (settings.getOrDefault(name, "").isEmpty()) {
        throw new IllegalArgumentException(file + ": " + name + " is required");
      }
    }
    try {
      return new EndpointsStack(settings, valueBytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private URI address(String name) {
    String value = settings.get(name);
    try {
      URI uri = new URI(value);
      if (!List.of("http", "https").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException(name + " must be an http or https address, not " + value);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + " is not an address: " + e.getMessage(), e);
    }
  }

  /** From a file or an environment variable, never the endpoints file itself, which gets shared. */
  private String token(String vault) {
    String file = settings.get(vault + ".token.file");
    String variable = settings.get(vault + ".token.env");
    if ((file == null) == (variable == null)) {
      throw new IllegalArgumentException("give exactly one of " + vault + ".token.file and " + vault + ".token.env");
    }
    if (variable != null) {
      String token = System.getenv(variable);
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException(vault + ".token.env names " + variable + ", which is not set");
      }
      return token.trim();
    }
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      throw new IllegalArgumentException(vault + ".token.file " + file + " cannot be read (" + e + ")", e);
    }
  }

  @Override
  public BenchVault primary() {
    return primary;
  }

  @Override
  public BenchVault standby() {
    return standby;
  }

  @Override
  public String standbyRegion() {
    return settings.get("standby.region");
  }

  @Override
  public URI promotion() {
    return address("promotion.address");
  }

  @Override
  public URI captureMetrics() {
    return address("capture.metrics");
  }

  @Override
  public Optional<String> cannotRun(String phase) {
    return switch (phase) {
      case DETECT -> missing(List.of("apply.stop", "apply.start"));
      case BOOTSTRAP -> missing(List.of("capture.stop", "capture.start", "apply.stop", "apply.start"));
      case SCAN -> missing(List.of("capture.stop", "capture.start", "capture.metrics"));
      case MEMORY -> Optional.of("peak memory is read from /proc of the processes a bench starts itself");
      default -> Optional.empty();
    };
  }

  private Optional<String> missing(List<String> names) {
    List<String> absent = names.stream().filter(name -> !settings.containsKey(name)).toList();
    return absent.isEmpty() ? Optional.empty() : Optional.of("the endpoints file gives no " + String.join(", ", absent));
  }

  @Override
  public void stop(String component) {
    run(component + ".stop");
  }

  /** Runs the start command, then, for capture, waits until its metrics answer: it is up. */
  @Override
  public void start(String component) {
    run(component + ".start");
    if (component.equals(CAPTURE) && settings.containsKey("capture.metrics")) {
      awaitAnswer(captureMetrics());
    }
  }

  private void run(String command) {
    try {
      Process process = new ProcessBuilder("bash", "-c", settings.get(command)).inheritIO().start();
      if (!process.waitFor(COMMAND_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within " + COMMAND_PATIENCE.toSeconds() + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(command + " exited with " + process.exitValue());
      }
    } catch (IOException e) {
      throw new IllegalStateException(command + " could not be run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(command + " was interrupted", e);
    }
  }

  private void awaitAnswer(URI uri) {
    Instant deadline = Instant.now().plus(COMMAND_PATIENCE);
    try {
      while (Instant.now().isBefore(deadline)) {
        if (answers(uri)) {
          return;
        }
        Thread.sleep(200); // polling a process that is starting
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    throw new IllegalStateException(uri + " did not answer within " + COMMAND_PATIENCE.toSeconds() + " s of capture.start");
  }

  private boolean answers(URI uri) throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notListeningYet) {
      return false;
    }
  }

  /** Only the benchmark's own client: the pipeline's processes are not this machine's to read. */
  @Override
  public Map<String, Double> cpuSeconds() {
    return Map.of("bench_client", ProcessHandle.current().info().totalCpuDuration()
        .map(cpu -> cpu.toNanos() / 1e9).orElse(0.0));
  }

  @Override
  public Map<String, Long> peakMemory() {
    return Map.of();
  }
}
