package dev.vaultreplicator.devstack.bench;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** The running pipeline a benchmark drives: its two Vaults, the components it may stop, and their memory. */
public interface BenchStack {

  String DETECT = "detect";
  String BOOTSTRAP = "bootstrap";
  String SCAN = "scan";
  String MEMORY = "memory";

  String CAPTURE = "capture";
  String APPLY = "apply";

  BenchVault primary();

  BenchVault standby();

  /** The standby's region, as the promotion service names it. */
  String standbyRegion();

  /** The promotion service's base address ({@code /health/standby/{region}}, {@code /metrics}). */
  URI promotion();

  /** Capture's Prometheus endpoint. */
  URI captureMetrics();

  /** Stops {@link #CAPTURE} or {@link #APPLY} cleanly. */
  void stop(String component);

  /** Starts it again and returns once it is ready. */
  void start(String component);

  /** CPU seconds each process has used since the stack started, restarts included, by the same short names. */
  Map<String, Double> cpuSeconds();

  /** Each process's peak resident memory so far, in bytes, by a short name (capture, apply, ...). */
  Map<String, Long> peakMemory();

  /**
   * Why {@code phase} ({@link #DETECT}, {@link #BOOTSTRAP}, {@link #SCAN}, {@link #MEMORY}) cannot
   * run here, or empty when it can: each needs components this stack can stop and start, or processes
   * it can see.
   */
  default Optional<String> cannotRun(String phase) {
    return Optional.empty();
  }
}
