package dev.vaultreplicator.promotion;

import dev.vaultreplicator.promotion.drill.Drills;
import dev.vaultreplicator.promotion.gate.PromotionGate;
import dev.vaultreplicator.promotion.lag.LagTracker;
import dev.vaultreplicator.promotion.lag.RegionLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * The lag figures per region as gauges (design section 8), read from the tracker at each scrape.
 * A figure that is not known is NaN, never 0, so an alert on "lag above X" cannot be fooled.
 */
final class PromotionMetrics {

  private PromotionMetrics() {}

  static void register(MeterRegistry registry, LagTracker tracker, PromotionGate gate, Drills drills) {
    for (String region : tracker.regions()) {
      gauge(registry, "vault.replication.lag", "seconds", region, tracker,
          t -> seconds(t.lag(region).lag()), "Capture watermark minus applied watermark; NaN when not known");
      gauge(registry, "vault.replication.pending.events", null, region, tracker,
          t -> known(t.lag(region)) ? t.lag(region).pendingEvents() : Double.NaN,
          "Events on the changes topic after the newest heartbeat the region applied");
      gauge(registry, "vault.replication.primary.silence", "seconds", region, tracker,
          t -> seconds(t.lag(region).primarySilence()), "Time since the heartbeat that set the capture watermark");
      gauge(registry, "vault.promotion.ready", null, region, tracker,
          t -> gate.readiness(region).stream().allMatch(c -> c.status().allowsPromotion()) ? 1 : 0,
          "1 when the region's readiness checks allow a promotion");
      Gauge.builder("vault.promotion.last.drill.timestamp", drills,
              d -> d.last(region).map(last -> last.at().toEpochMilli() / 1000.0).orElse(Double.NaN))
          .baseUnit("seconds").tag("region", region).description("When the region was last drilled; NaN before the first")
          .register(registry);
      Gauge.builder("vault.promotion.last.drill.passed", drills,
              d -> d.last(region).map(last -> last.passed() ? 1.0 : 0.0).orElse(Double.NaN))
          .tag("region", region).description("1 when the last drill found the region fit to promote, 0 when not")
          .register(registry);
    }
  }

  private static void gauge(MeterRegistry registry, String name, String unit, String region, LagTracker tracker,
      ToDoubleFunction<LagTracker> value, String description) {
    Gauge.builder(name, tracker, value).baseUnit(unit).tag("region", region).description(description)
        .register(registry);
  }

  private static boolean known(RegionLag lag) {
    return lag.state() == RegionLag.State.KNOWN;
  }

  private static double seconds(Duration duration) {
    return duration == null ? Double.NaN : duration.toMillis() / 1000.0;
  }
}
