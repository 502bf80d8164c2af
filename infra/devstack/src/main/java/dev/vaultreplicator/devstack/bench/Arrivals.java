package dev.vaultreplicator.devstack.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * When each written version reached the standby, from the two servers' own records: the
 * version's {@code created_time} on the standby minus the same version's on the primary (one
 * machine, one clock). Not the pipeline's own metrics, which could be wrong the same way it is.
 */
final class Arrivals {

  private static final Duration POLL = Duration.ofMillis(100);

  /** Microseconds per version, resizing: a pipeline that falls behind has no upper bound. */
  final Histogram latencies = new Histogram(3);
  int missing;
  Instant firstCommit = Instant.MAX;
  Instant lastArrival = Instant.MIN;

  private Arrivals() {}

  /** Reads every version of {@code <prefix>/k0 .. k<keys-1>} from both, waiting up to {@code patience} for the standby. */
  static Arrivals of(BenchVault primary, BenchVault standby, String prefix, int keys, Duration patience)
      throws InterruptedException {
    Arrivals arrivals = new Arrivals();
    Instant deadline = Instant.now().plus(patience);
    for (int k = 0; k < keys; k++) {
      String key = prefix + "/k" + k;
      List<Instant> committed = primary.createdTimes(key).orElse(List.of());
      awaitVersion(standby, key, committed.size(), deadline);
      List<Instant> applied = standby.createdTimes(key).orElse(List.of());
      for (int v = 0; v < committed.size(); v++) {
        arrivals.add(committed.get(v), v < applied.size() ? applied.get(v) : null);
      }
    }
    return arrivals;
  }

  /** Waits until the standby holds {@code expected} keys under {@code folder}; the time it saw them, if it did. */
  static Optional<Instant> awaitCount(BenchVault standby, String folder, int expected, Instant deadline)
      throws InterruptedException {
    while (Instant.now().isBefore(deadline)) {
      if (standby.count(folder) >= expected) {
        return Optional.of(Instant.now());
      }
      Thread.sleep(POLL.toMillis()); // polling a server for the end of a drain
    }
    return Optional.empty();
  }

  private static void awaitVersion(BenchVault standby, String key, int version, Instant deadline)
      throws InterruptedException {
    while (standby.currentVersion(key) < version && Instant.now().isBefore(deadline)) {
      Thread.sleep(POLL.toMillis()); // polling a server for the end of a drain
    }
  }

  private void add(Instant committed, Instant applied) {
    if (committed == null) {
      return; // the primary pruned it: nothing to compare
    }
    if (committed.isBefore(firstCommit)) {
      firstCommit = committed;
    }
    if (applied == null) {
      missing++;
      return;
    }
    if (applied.isAfter(lastArrival)) {
      lastArrival = applied;
    }
    latencies.recordValue(Math.max(0, Duration.between(committed, applied).toNanos() / 1_000));
  }

  double percentileMillis(double percentile) {
    return latencies.getValueAtPercentile(percentile) / 1e3;
  }

  double maxMillis() {
    return latencies.getMaxValue() / 1e3;
  }

  /** Versions per second from the first commit on the primary to the last arrival on the standby. */
  double perSecond() {
    double seconds = Duration.between(firstCommit, lastArrival).toNanos() / 1e9;
    return seconds <= 0 ? 0 : latencies.getTotalCount() / seconds;
  }
}
