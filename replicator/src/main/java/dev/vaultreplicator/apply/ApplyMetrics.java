package dev.vaultreplicator.apply;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Apply's meters, each tagged with the standby region; other tags are bounded (an operation, a
 * reason), never a secret path. Names follow the design's section 8.
 */
public final class ApplyMetrics {

  private final MeterRegistry registry;
  private final String region;
  private final Timer e2eLatency;
  private final Counter retries;
  private final Counter adopted;
  private final Counter watermarks;
  private final Map<String, Counter> applied = new ConcurrentHashMap<>();
  private final Map<SkipReason, Counter> skipped = new ConcurrentHashMap<>();
  private final Map<DlqReason, Counter> dlq = new ConcurrentHashMap<>();

  public ApplyMetrics(MeterRegistry registry, String region) {
    this.registry = registry;
    this.region = region;
    e2eLatency = Timer.builder("vault.replication.e2e.latency").tag("region", region)
        .description("From commit on the primary to applied on this standby")
        .publishPercentileHistogram().publishPercentiles(0.5, 0.9, 0.99)
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
    retries = Counter.builder("vault.apply.standby.retries").tag("region", region)
        .description("Attempts to write the standby that failed and were retried").register(registry);
    adopted = Counter.builder("vault.apply.versions.adopted").tag("region", region)
        .description("Versions found already on the standby after a replay (a crash before commit) and not written again")
        .register(registry);
    watermarks = Counter.builder("vault.apply.watermarks.published").tag("region", region)
        .description("Applied watermarks published, one per heartbeat reached").register(registry);
    // Every reason from the start at 0: an alert on increase() sees the first dead letter only
    // when the series was there before it.
    for (DlqReason reason : DlqReason.values()) {
      dlqCounter(reason);
    }
  }

  void applied(String operation, Duration sinceCommit) {
    applied.computeIfAbsent(operation, op -> Counter.builder("vault.replication.applied").tag("region", region)
        .tag("operation", op).description("Events applied to this standby").register(registry)).increment();
    e2eLatency.record(sinceCommit.isNegative() ? Duration.ZERO : sinceCommit);
  }

  void adopted() {
    adopted.increment();
  }

  void skipped(SkipReason reason) {
    skipped.computeIfAbsent(reason, r -> Counter.builder("vault.apply.skipped").tag("region", region)
        .tag("reason", r.label()).description("Records that were fine but changed nothing (replays, own changes)")
        .register(registry)).increment();
  }

  void deadLettered(DlqReason reason) {
    dlqCounter(reason).increment();
  }

  private Counter dlqCounter(DlqReason reason) {
    return dlq.computeIfAbsent(reason, r -> Counter.builder("vault.replication.dlq").tag("region", region)
        .tag("reason", r.label()).description("Records sent to the dead-letter topic").register(registry));
  }

  void watermark() {
    watermarks.increment();
  }

  void standbyRetry() {
    retries.increment();
  }
}
