package dev.vaultreplicator.promotion.lag;

import dev.vaultreplicator.events.AppliedWatermark;
import dev.vaultreplicator.events.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How far one standby region trails the primary (design section 6), or why that is not known.
 *
 * <ul>
 *   <li>{@code capturedThrough} C: the oldest of the newest heartbeats over the changes partitions.
 *   <li>{@code appliedThrough} A: the oldest of the region's newest applied watermarks.
 *   <li>{@code lag} C − A: 0 once the region applied everything captured, however old C is.
 *   <li>{@code pendingEvents}: events on the changes topic after the heartbeats the region applied.
 *   <li>{@code primarySilence}: how long ago the heartbeat that set C was sent. It grows when the
 *       primary or its capture is down, while lag can still reach 0 as the region drains.
 * </ul>
 *
 * Not enough data is {@link State#UNKNOWN}, never a lag of 0.
 */
public record RegionLag(String region, State state, String reason, Instant capturedThrough, Instant appliedThrough,
    Duration lag, long pendingEvents, Duration primarySilence, String primaryRegion, long epoch) {

  public enum State {
    /** Every partition has a heartbeat and a watermark of this region: the figures hold. */
    KNOWN,
    /** Some partition has no heartbeat yet, or none this region applied. */
    UNKNOWN,
    /** The heartbeats come from this region: it is the primary and trails nobody. */
    PRIMARY
  }

  /**
   * @param partitions every partition of the changes topic
   * @param applied the region's newest applied watermark per partition
   */
  static RegionLag of(String region, Collection<ChangesPartition> partitions, Map<Integer, AppliedWatermark> applied,
      Instant now) {
    if (partitions.isEmpty()) {
      return unknown(region, "the changes topic has not been read yet");
    }
    List<Integer> silent = partitions.stream().filter(p -> p.newestHeartbeat().isEmpty())
        .map(ChangesPartition::partition).sorted().toList();
    if (!silent.isEmpty()) {
      return unknown(region, "no heartbeat yet on changes partitions " + silent
          + ": capture has not published one since it started");
    }
    Heartbeat oldest = partitions.stream().map(p -> p.newestHeartbeat().orElseThrow())
        .min(Comparator.comparing(Heartbeat::getCapturedThrough)).orElseThrow();
    Duration silence = nonNegative(Duration.between(oldest.getSentTime(), now));
    if (oldest.getSourceRegion().equals(region)) {
      return new RegionLag(region, State.PRIMARY, region + " is the primary (epoch " + oldest.getEpoch() + ")",
          oldest.getCapturedThrough(), null, null, 0, silence, oldest.getSourceRegion(), oldest.getEpoch());
    }
    List<Integer> unapplied = partitions.stream().filter(p -> !applied.containsKey(p.partition()))
        .map(ChangesPartition::partition).sorted().toList();
    if (!unapplied.isEmpty()) {
      return unknown(region, region + " has applied no heartbeat yet on changes partitions " + unapplied
          + ": is its apply running?");
    }
    Instant appliedThrough = applied.values().stream().map(AppliedWatermark::getCapturedThrough)
        .min(Comparator.naturalOrder()).orElseThrow();
    long pending = partitions.stream().mapToLong(p -> p.eventsAfter(applied.get(p.partition()).getOffset())).sum();
    Duration lag = nonNegative(Duration.between(appliedThrough, oldest.getCapturedThrough()));
    return new RegionLag(region, State.KNOWN, "", oldest.getCapturedThrough(), appliedThrough, lag, pending, silence,
        oldest.getSourceRegion(), oldest.getEpoch());
  }

  /** The lag in seconds, as the API shows it; null when not known. */
  public Double lagSeconds() {
    return seconds(lag);
  }

  /** The primary's silence in seconds, as the API shows it; null when not known. */
  public Double primarySilenceSeconds() {
    return seconds(primarySilence);
  }

  /** The pending events while the figures hold ({@link State#KNOWN}), null otherwise. */
  public Long knownPendingEvents() {
    return state == State.KNOWN ? pendingEvents : null;
  }

  private static Double seconds(Duration duration) {
    return duration == null ? null : duration.toMillis() / 1000.0;
  }

  private static RegionLag unknown(String region, String reason) {
    return new RegionLag(region, State.UNKNOWN, reason, null, null, null, -1, null, null, -1);
  }

  private static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
