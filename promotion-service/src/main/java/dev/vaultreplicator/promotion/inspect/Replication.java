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

  /** Everything the primary committed before this has been applied, when known. */
  Optional<Instant> appliedThrough(String region) {
    RegionLag lag = lags.apply(region);
    return lag.state() == RegionLag.State.KNOWN ? Optional.of(lag.appliedThrough()) : Optional.empty();
  }

  boolean hasApplied(String region, Instant through) {
    return appliedThrough(region).map(applied -> !applied.isBefore(through)).orElse(false);
  }

  /** Nothing the changes topic holds is left to apply: the next heartbeat it applies is moments away. */
  boolean drained(String region) {
    RegionLag lag = lags.apply(region);
    return lag.state() == RegionLag.State.KNOWN && lag.pendingEvents() == 0;
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
