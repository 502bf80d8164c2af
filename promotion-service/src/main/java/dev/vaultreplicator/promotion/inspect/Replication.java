package dev.vaultreplicator.promotion.inspect;

import dev.vaultreplicator.promotion.lag.RegionLag;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the inspector must know of replication to tell drift from lag: how far a standby has
 * applied what the primary committed, and whether it trails too far for a comparison to say
 * anything but that.
 *
 * @param lags each region's lag now (the lag tracker's)
 * @param maxLag beyond it a comparison would only list what is still on its way ({@code check.max.lag})
 */
public record Replication(Function<String, RegionLag> lags, Duration maxLag) {

  /** Capture sends a heartbeat a second by default; a silence this short is the gap between two. */
  private static final Duration HEARTBEAT_AWAY = Duration.ofSeconds(2);

  /** Everything the primary committed before this has been applied, when known. */
  Optional<Instant> appliedThrough(String region) {
    RegionLag lag = lags.apply(region);
    return lag.state() == RegionLag.State.KNOWN ? Optional.of(lag.appliedThrough()) : Optional.empty();
  }

  boolean hasApplied(String region, Instant through) {
    return appliedThrough(region).map(applied -> !applied.isBefore(through)).orElse(false);
  }

  /**
   * Nothing the changes topic holds is left to apply and heartbeats still come: the next one it
   * applies is moments away.
   */
  boolean drained(String region) {
    RegionLag lag = lags.apply(region);
    return lag.state() == RegionLag.State.KNOWN && lag.pendingEvents() == 0
        && lag.primarySilence().compareTo(HEARTBEAT_AWAY) <= 0;
  }

  /** Why what was on its way will not come, if the primary has been silent for longer than max-lag. */
  Optional<String> primarySilent(String region) {
    RegionLag lag = lags.apply(region);
    if (lag.state() != RegionLag.State.KNOWN || lag.primarySilence().compareTo(maxLag) <= 0) {
      return Optional.empty();
    }
    return Optional.of(String.format("the primary (%s) has been silent for %.1fs", lag.primaryRegion(),
        lag.primarySilence().toMillis() / 1000.0));
  }

  /** The heartbeats come from this region: it is the primary, and there is nothing to compare it with. */
  boolean isPrimary(String region) {
    return lags.apply(region).state() == RegionLag.State.PRIMARY;
  }

  /** Why the region cannot be compared usefully now, if it cannot. */
  Optional<String> tooFarBehind(String region) {
    RegionLag lag = lags.apply(region);
    return switch (lag.state()) {
      case UNKNOWN -> Optional.of(lag.reason());
      case PRIMARY -> Optional.empty();
      case KNOWN -> lag.lag().compareTo(maxLag) > 0
          ? Optional.of(String.format("%s trails the primary by %.1fs, more than max-lag %.1fs", region,
              lag.lag().toMillis() / 1000.0, maxLag.toMillis() / 1000.0))
          : Optional.empty();
    };
  }
}
