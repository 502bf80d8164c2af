package dev.vaultreplicator.promotion.lag;

import dev.vaultreplicator.events.Heartbeat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One partition of the changes topic as the lag tracker has read it: its newest heartbeat, and how
 * many events (records that are not heartbeats) came before each recent heartbeat, so the events a
 * region still has to apply after the heartbeat it last applied can be counted exactly.
 */
final class ChangesPartition {

  /** Heartbeats remembered per partition; a region further behind gets an upper bound. */
  static final int REMEMBERED_HEARTBEATS = 4_096;

  private final int partition;
  private final TreeMap<Long, Long> eventsBeforeHeartbeat = new TreeMap<>();
  private Heartbeat newest;
  private long events;
  private long lastOffset = -1;

  ChangesPartition(int partition) {
    this.partition = partition;
  }

  int partition() {
    return partition;
  }

  void event(long offset) {
    events++;
    lastOffset = Math.max(lastOffset, offset);
  }

  /** A heartbeat from an older epoch than the newest one seen is a fenced primary's: ignored. */
  void heartbeat(long offset, Heartbeat heartbeat) {
    lastOffset = Math.max(lastOffset, offset);
    if (newest != null && heartbeat.getEpoch() < newest.getEpoch()) {
      return;
    }
    newest = heartbeat;
    eventsBeforeHeartbeat.put(offset, events);
    while (eventsBeforeHeartbeat.size() > REMEMBERED_HEARTBEATS) {
      eventsBeforeHeartbeat.pollFirstEntry();
    }
  }

  Optional<Heartbeat> newestHeartbeat() {
    return Optional.ofNullable(newest);
  }

  /**
   * Events after the heartbeat at {@code heartbeatOffset}: exact for a remembered heartbeat. For one
   * the tracker never read (compaction keeps only a partition's newest heartbeat) or no longer
   * remembers, an upper bound, so a region is never reported closer than it is.
   */
  long eventsAfter(long heartbeatOffset) {
    Map.Entry<Long, Long> atOrBefore = eventsBeforeHeartbeat.floorEntry(heartbeatOffset);
    if (atOrBefore != null) {
      return events - atOrBefore.getValue();
    }
    return Math.max(0, lastOffset - heartbeatOffset);
  }
}
