package dev.vaultreplicator.devstack.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark run does.
 *
 * @param rate changes per second of the latency phase's open-loop writer
 * @param seconds how long the latency phase measures, after {@code warmup}
 * @param keys keys preloaded on the primary for the bootstrap and scan phases
 * @param valueBytes about how large each written secret is
 * @param clients concurrent clients of the closed-loop phases: throughput, its ceiling, the preload
 * @param throughputWrites writes of the throughput phase, and of its ceiling
 * @param maxLag the lag at which the detection phase counts the stall as detected
 */
public record BenchOptions(int rate, Duration seconds, Duration warmup, int keys, int valueBytes, int clients,
    int throughputWrites, Duration maxLag) {

  public BenchOptions {
    if (rate < 1 || keys < 1 || valueBytes < 1 || clients < 1 || throughputWrites < 1) {
      throw new IllegalArgumentException("rate, keys, value size, clients and writes must be at least 1");
    }
    if (seconds.isNegative() || seconds.isZero() || warmup.isNegative()) {
      throw new IllegalArgumentException("the measured time must be positive and the warm-up not negative");
    }
  }

  /** The options as bench.json records them, durations in seconds. */
  public Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("rate", rate);
    map.put("seconds", seconds.toMillis() / 1e3);
    map.put("warmup_seconds", warmup.toMillis() / 1e3);
    map.put("keys", keys);
    map.put("value_bytes", valueBytes);
    map.put("clients", clients);
    map.put("throughput_writes", throughputWrites);
    map.put("max_lag_seconds", maxLag.toMillis() / 1e3);
    return map;
  }
}
