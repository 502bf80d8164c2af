package dev.vaultreplicator.devstack.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One benchmark of a running pipeline, phase by phase: commit-to-standby latency under an
 * open-loop load, throughput against the standby's own ceiling, how fast a stalled apply is
 * detected, bootstrapping a preloaded primary onto the standby, one periodic scan of it, and the
 * peak memory of every process. Each phase writes under a prefix of its own, so phases never see
 * each other's keys.
 */
public final class BenchRun {

  private static final Duration DETECT_PATIENCE = Duration.ofMinutes(2);
  private static final double CAUGHT_UP_SECONDS = 0.5;

  private final BenchStack stack;
  private final BenchOptions options;
  private final BenchReport report;
  private final PrintStream progress;
  private final String run = "bench/" + Long.toString(System.currentTimeMillis(), 36);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ClosedLoopWriter.Written preloaded;
  private ClosedLoopWriter.Written bootstrapCeiling;
  private double bootstrapSeconds;

  public BenchRun(BenchStack stack, BenchOptions options, BenchReport report, PrintStream progress) {
    this.stack = stack;
    this.options = options;
    this.report = report;
    this.progress = progress;
  }

  public void all() throws InterruptedException {
    settle();
    measured("latency", this::latency);
    measured("throughput", this::throughput);
    ifRunnable(BenchStack.DETECT, () -> measured("detect", this::detect));
    ifRunnable(BenchStack.BOOTSTRAP, () -> {
      preload();
      measured("bootstrap", this::bootstrap);
    });
    ifRunnable(BenchStack.SCAN, () -> measured("scan", this::scan));
    ifRunnable(BenchStack.MEMORY, this::memory);
  }

  /**
   * Deletes every key the run wrote: on the primary (the pipeline carries the deletes to the
   * standby) and those written straight to the standby for the ceilings.
   */
  public void removeWhatItWrote() throws InterruptedException {
    progress.println("  removing the keys under " + run + " ...");
    int failed = stack.primary().deleteTree(run, options.clients())
        + stack.standby().deleteTree(ceilingFolder(), options.clients())
        + stack.standby().deleteTree(bootstrapCeilingFolder(), options.clients());
    if (failed > 0) {
      progress.println("  " + failed + " keys under " + run + " could not be deleted; delete them by hand");
    }
  }

  private interface Phase {
    void run() throws InterruptedException;
  }

  private void ifRunnable(String phase, Phase run) throws InterruptedException {
    Optional<String> reason = stack.cannotRun(phase);
    if (reason.isPresent()) {
      progress.println("  " + phase + ": skipped, " + reason.get());
      report.skipped(phase, reason.get());
    } else {
      run.run();
    }
  }

  /** Runs a phase and records which process held the cores meanwhile. */
  private void measured(String name, Phase phase) throws InterruptedException {
    Map<String, Double> before = stack.cpuSeconds();
    long start = System.nanoTime();
    phase.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Double> percent = new LinkedHashMap<>();
    stack.cpuSeconds().forEach((process, used) -> percent.put(process,
        100 * (used - before.getOrDefault(process, 0.0)) / seconds));
    report.cpu(name, percent);
    StringBuilder line = new StringBuilder("  cpu during " + name + " (% of one core, " + Runtime.getRuntime()
        .availableProcessors() + " cores):");
    percent.forEach((process, share) -> line.append(String.format(Locale.ROOT, " %s %.0f", process, share)));
    progress.println(line);
  }

  /** Open loop at the given rate: a warm-up, then the measured seconds, every version timed on the servers. */
  void latency() throws InterruptedException {
    progress.printf("  latency: %d changes/s, %d s warm-up, %d s measured ...%n", options.rate(),
        options.warmup().toSeconds(), options.seconds().toSeconds());
    if (!options.warmup().isZero()) {
      OpenLoopWriter.Sent warm = OpenLoopWriter.write(stack.primary(), run + "/warm", options.rate(),
          options.warmup().toMillis() / 1e3);
      Arrivals.of(stack.primary(), stack.standby(), warm.prefix(), warm.keys(), patience(options.warmup()));
    }
    OpenLoopWriter.Sent sent = OpenLoopWriter.write(stack.primary(), run + "/latency", options.rate(),
        options.seconds().toMillis() / 1e3);
    Arrivals arrived = Arrivals.of(stack.primary(), stack.standby(), sent.prefix(), sent.keys(),
        patience(options.seconds()));
    report.figure("latency", "rate", options.rate());
    report.figure("latency", "sent_per_s", sent.perSecond());
    report.figure("latency", "p50_ms", arrived.percentileMillis(50));
    report.figure("latency", "p99_ms", arrived.percentileMillis(99));
    report.figure("latency", "p999_ms", arrived.percentileMillis(99.9));
    report.figure("latency", "max_ms", arrived.maxMillis());
    report.figure("latency", "versions", arrived.latencies.getTotalCount());
    report.figure("latency", "missing", arrived.missing);
    report.figure("latency", "failed_writes", sent.failed());
  }

  /**
   * The same clients write as fast as they can, first through the pipeline (first commit on the
   * primary to last version on the standby), then straight to the standby: the ceiling.
   */
  void throughput() throws InterruptedException {
    int writes = options.throughputWrites();
    int keys = Math.max(1, writes / OpenLoopWriter.VERSIONS_PER_KEY);
    progress.printf("  throughput: %d writes by %d clients, through the pipeline and straight to the standby ...%n",
        keys * OpenLoopWriter.VERSIONS_PER_KEY, options.clients());
    ClosedLoopWriter.Written through = ClosedLoopWriter.write(stack.primary(), run + "/throughput", keys,
        OpenLoopWriter.VERSIONS_PER_KEY, options.clients());
    Arrivals arrived = Arrivals.of(stack.primary(), stack.standby(), through.prefix(), keys,
        patience(Duration.ofSeconds((long) through.seconds())));
    ClosedLoopWriter.Written ceiling = ClosedLoopWriter.write(stack.standby(), ceilingFolder(), keys,
        OpenLoopWriter.VERSIONS_PER_KEY, options.clients());
    report.figure("throughput", "pipeline_per_s", arrived.perSecond());
    report.figure("throughput", "ceiling_per_s", ceiling.perSecond());
    report.figure("throughput", "ratio", arrived.perSecond() / ceiling.perSecond());
    report.figure("throughput", "primary_writes_per_s", through.perSecond());
    report.figure("throughput", "clients", options.clients());
    report.figure("throughput", "missing", arrived.missing);
  }

  /** Waits until the promotion service calls the standby fit: capture and apply run and have caught up. */
  private void settle() throws InterruptedException {
    Instant deadline = Instant.now().plus(DETECT_PATIENCE);
    while (status(health()) != 200) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(health() + " did not answer 200 within " + DETECT_PATIENCE.toSeconds() + " s");
      }
      Thread.sleep(100); // polling a server until it is fit, before a phase starts
    }
  }

  private URI health() {
    return stack.promotion().resolve("/health/standby/" + stack.standbyRegion() + "?max_lag="
        + options.maxLag().toMillis() + "ms");
  }

  /**
   * Stops apply and times how long the promotion service takes to notice: its health answer for
   * the region turning 503, and its lag gauge crossing the same {@code max-lag}.
   */
  void detect() throws InterruptedException {
    String region = stack.standbyRegion();
    URI health = health();
    progress.printf("  detect: stopping apply, then asking %s ...%n", health);
    settle();
    OptionalDouble lagAtStall = awaitCaughtUp(region);
    long stalled = System.nanoTime();
    stack.stop(BenchStack.APPLY);
    OptionalDouble unhealthy = OptionalDouble.empty();
    OptionalDouble alarmed = OptionalDouble.empty();
    Instant deadline = Instant.now().plus(DETECT_PATIENCE);
    while ((unhealthy.isEmpty() || alarmed.isEmpty()) && Instant.now().isBefore(deadline)) {
      if (unhealthy.isEmpty() && status(health) == 503) {
        unhealthy = OptionalDouble.of((System.nanoTime() - stalled) / 1e6);
      }
      if (alarmed.isEmpty() && lagSeconds(region).orElse(0) > options.maxLag().toMillis() / 1e3) {
        alarmed = OptionalDouble.of((System.nanoTime() - stalled) / 1e6);
      }
      Thread.sleep(20); // the resolution of the figure
    }
    stack.start(BenchStack.APPLY);
    report.figure("detect", "stall_to_lag_alarm_ms", alarmed.isPresent() ? alarmed.getAsDouble() : "never");
    report.figure("detect", "stall_to_503_ms", unhealthy.isPresent() ? unhealthy.getAsDouble() : "never");
    report.figure("detect", "max_lag_ms", options.maxLag().toMillis());
    report.figure("detect", "beyond_max_lag_ms",
        alarmed.isPresent() ? alarmed.getAsDouble() - options.maxLag().toMillis() : "never");
    report.figure("detect", "lag_at_stall_ms", lagAtStall.isPresent() ? lagAtStall.getAsDouble() * 1e3 : "unknown");
  }

  /**
   * Waits (up to two minutes) until the region's lag is under half a second, so the stall starts
   * from a drained pipeline: a lag left over from the phase before would count as detection time
   * saved. Returns the lag when the stall starts; empty when the gauge could not be read.
   */
  private OptionalDouble awaitCaughtUp(String region) throws InterruptedException {
    Instant deadline = Instant.now().plus(DETECT_PATIENCE);
    OptionalDouble lag = lagSeconds(region);
    while ((lag.isEmpty() || lag.getAsDouble() >= CAUGHT_UP_SECONDS) && Instant.now().isBefore(deadline)) {
      Thread.sleep(100); // polling a gauge until the pipeline has drained
      lag = lagSeconds(region);
    }
    return lag;
  }

  /**
   * With capture and apply stopped, the primary gets {@code keys} new keys; the same clients then
   * write as many straight to the standby: the ceiling of the bootstrap.
   */
  void preload() throws InterruptedException {
    progress.printf("  bootstrap: preloading %d keys on the primary (capture and apply stopped) ...%n", options.keys());
    stack.stop(BenchStack.APPLY);
    stack.stop(BenchStack.CAPTURE);
    preloaded = ClosedLoopWriter.write(stack.primary(), bootstrapFolder(), options.keys(), 1, options.clients());
    progress.printf("  bootstrap: preloaded in %.1f s (%.0f/s); the ceiling: as many straight to the standby ...%n",
        preloaded.seconds(), preloaded.perSecond());
    bootstrapCeiling = ClosedLoopWriter.write(stack.standby(), bootstrapCeilingFolder(), options.keys(), 1,
        options.clients());
  }

  /** Capture starts, its first scan finds the preloaded keys, apply writes them: from capture's start to the last key on the standby. */
  void bootstrap() throws InterruptedException {
    progress.printf("  bootstrap: capture and apply start; waiting for %d keys on the standby ...%n", options.keys());
    long start = System.nanoTime();
    stack.start(BenchStack.CAPTURE);
    stack.start(BenchStack.APPLY);
    Optional<Instant> done = Arrivals.awaitCount(stack.standby(), bootstrapFolder(), options.keys(),
        Instant.now().plus(patience(Duration.ofSeconds((long) (4 * bootstrapCeiling.seconds())))));
    bootstrapSeconds = (System.nanoTime() - start) / 1e9;
    report.figure("bootstrap", "keys", options.keys());
    report.figure("bootstrap", "seconds", done.isPresent() ? bootstrapSeconds : "never");
    report.figure("bootstrap", "per_s", done.isPresent() ? options.keys() / bootstrapSeconds : 0.0);
    report.figure("bootstrap", "ratio",
        done.isPresent() ? options.keys() / bootstrapSeconds / bootstrapCeiling.perSecond() : 0.0);
    report.figure("bootstrap", "ceiling_per_s", bootstrapCeiling.perSecond());
    report.figure("bootstrap", "preload_per_s", preloaded.perSecond());
    if (done.isEmpty()) {
      report.figure("bootstrap", "on_standby", stack.standby().count(bootstrapFolder()));
    }
  }

  /**
   * One full scan of a primary that holds every key, with nothing new to publish: capture starts
   * again, and its first scan, timed by its own meter, is what every periodic scan costs.
   */
  void scan() throws InterruptedException {
    progress.println("  scan: capture starts again; its first scan reads every key ...");
    stack.stop(BenchStack.CAPTURE);
    stack.start(BenchStack.CAPTURE);
    Scans first = awaitScan(new Scans(0, 0, 0),
        Instant.now().plus(DETECT_PATIENCE).plusSeconds((long) (2 * bootstrapSeconds)));
    report.figure("scan", "keys", first.keys);
    report.figure("scan", "seconds", first.seconds);
    report.figure("scan", "per_s", first.keys / first.seconds);
  }

  private String bootstrapFolder() {
    return run + "/bootstrap";
  }

  /** What the ceilings write straight to the standby; everything else is written to the primary. */
  private String ceilingFolder() {
    return run + "/ceiling";
  }

  private String bootstrapCeilingFolder() {
    return run + "/bootstrap-ceiling";
  }

  void memory() {
    stack.peakMemory().forEach((name, bytes) -> report.figure("memory", name + "_mb", bytes / (1024 * 1024)));
  }

  /** Capture's scan meter: scans completed, their total seconds, and the keys the last one saw. */
  private record Scans(long count, double seconds, long keys) { }

  private Scans awaitScan(Scans after, Instant deadline) throws InterruptedException {
    while (Instant.now().isBefore(deadline)) {
      Scans now = scans();
      if (now.count > after.count) {
        return now;
      }
      Thread.sleep(200); // polling a meter for the end of a scan
    }
    throw new IllegalStateException("capture completed no scan by " + deadline);
  }

  private Scans scans() {
    String metrics = get(stack.captureMetrics()).orElse("");
    return new Scans((long) Prometheus.value(metrics, "vault_capture_scan_duration_seconds_count").orElse(0),
        Prometheus.value(metrics, "vault_capture_scan_duration_seconds_sum").orElse(0),
        (long) Prometheus.value(metrics, "vault_capture_scan_keys").orElse(0));
  }

  private OptionalDouble lagSeconds(String region) {
    return get(stack.promotion().resolve("/metrics"))
        .map(text -> Prometheus.value(text, "vault_replication_lag_seconds{region=\"" + region + "\"}"))
        .orElse(OptionalDouble.empty());
  }

  private int status(URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private Optional<String> get(URI uri) {
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200 ? Optional.of(answer.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // not answering yet, or too busy to: the caller asks again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** How long to wait for the standby after a load of {@code load}: the load again, and two minutes. */
  private static Duration patience(Duration load) {
    return load.plusMinutes(2);
  }
}
