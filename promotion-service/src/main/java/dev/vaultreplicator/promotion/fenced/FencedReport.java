package dev.vaultreplicator.promotion.fenced;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.FencedChange;
import dev.vaultreplicator.promotion.lag.LagTracker;
import dev.vaultreplicator.promotion.log.PartitionLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The changes a region's Vault committed while the epoch named another region, as its capture
 * recorded them on {@code <prefix>.fenced}: the writes a failover orphaned, to carry over by
 * hand. A change made after the region's own apply began applying at that epoch may be
 * replication into it, and is marked so.
 */
public final class FencedReport {

  /**
   * One change, never its value. {@code whileApplying}: null when this service does not follow the
   * region's apply; true when the region's apply was already applying at that epoch.
   */
  public record Change(String kind, String mount, String path, Long version, Instant commitTime,
      Instant recordedTime, long epoch, String primaryRegion, Boolean whileApplying) { }

  private final PartitionLog log;
  private final EventCodec codec;
  private final LagTracker tracker;

  public FencedReport(PartitionLog log, EventCodec codec, LagTracker tracker) {
    this.log = log;
    this.codec = codec;
    this.tracker = tracker;
  }

  /** How many fenced changes each region that has any recorded, by region name. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    for (ConsumerRecord<String, byte[]> record : log.readAll()) {
      decode(record.value()).ifPresent(c -> counts.merge(c.getSourceRegion(), 1L, Long::sum));
    }
    return counts;
  }

  /** The region's fenced changes, oldest first. */
  public List<Change> of(String region) {
    boolean followed = tracker.regions().contains(region);
    List<Change> changes = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : log.readAll()) {
      decode(record.value()).filter(c -> c.getSourceRegion().equals(region)).ifPresent(c -> {
        Optional<Instant> applying = tracker.firstApplied(region, c.getEpoch());
        Boolean whileApplying = followed ? applying.map(since -> !c.getCommitTime().isBefore(since)).orElse(false)
            : null;
        changes.add(new Change(c.getKind().name(), c.getMount(), c.getPath(), c.getVersion(), c.getCommitTime(),
            c.getRecordedTime(), c.getEpoch(), c.getPrimaryRegion(), whileApplying));
      });
    }
    changes.sort(Comparator.comparing(Change::commitTime));
    return changes;
  }

  private Optional<FencedChange> decode(byte[] value) {
    try {
      return Optional.of(codec.decode(value, FencedChange.class));
    } catch (EventDecodeException e) {
      return Optional.empty();
    }
  }
}
