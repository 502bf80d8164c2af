package dev.vaultreplicator.capture;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Targets waiting to be re-read from the primary, oldest first, each at most once: a second
 * change to a waiting target adds nothing, since the read that follows sees both; but unless both
 * are data writes of versions one after another, only the key's metadata tells what they did. Bounded, and
 * {@link #offer} never blocks, so a slow Kafka can never stall the audit socket and with it Vault.
 */
public final class TriggerQueue {

  /**
   * One changed target; its ticket holds {@code captured_through} back until it is published.
   *
   * @param writtenFrom the first of the KV v2 versions data writes made, one after another, since
   *     the target was last read; 0: read the target whole
   * @param writtenTo the last of them
   */
  public record Trigger(Target target, Instant commitTime, InFlight.Ticket ticket, long writtenFrom, long writtenTo) {
    public Trigger(Target target, Instant commitTime, InFlight.Ticket ticket) {
      this(target, commitTime, ticket, 0, 0);
    }

    /** The trigger of one data write that made {@code version}. */
    public static Trigger written(Target target, Instant commitTime, InFlight.Ticket ticket, long version) {
      return new Trigger(target, commitTime, ticket, version, version);
    }

    /** This trigger with {@code later} merged in: still the versions one after another, or a whole read. */
    Trigger merge(Trigger later) {
      boolean next = writtenFrom != 0 && later.writtenFrom == writtenTo + 1;
      return new Trigger(target, commitTime, ticket, next ? writtenFrom : 0, next ? later.writtenTo : 0);
    }
  }

  private final int capacity;
  private final LinkedHashMap<Target, Trigger> waiting = new LinkedHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();

  public TriggerQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Queued, already waiting (the trigger's ticket is released), or refused because full. */
  public enum Offer { QUEUED, MERGED, FULL }

  public Offer offer(Trigger trigger) {
    lock.lock();
    try {
      Trigger already = waiting.get(trigger.target());
      if (already != null) {
        trigger.ticket().release();
        waiting.put(already.target(), already.merge(trigger));
        return Offer.MERGED;
      }
      if (waiting.size() >= capacity) {
        return Offer.FULL;
      }
      waiting.put(trigger.target(), trigger);
      notEmpty.signal();
      return Offer.QUEUED;
    } finally {
      lock.unlock();
    }
  }

  /** The oldest trigger, or null when none arrives within {@code timeout}. */
  public Trigger poll(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (waiting.isEmpty()) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      Iterator<Map.Entry<Target, Trigger>> first = waiting.entrySet().iterator();
      Trigger trigger = first.next().getValue();
      first.remove();
      return trigger;
    } finally {
      lock.unlock();
    }
  }

  public int capacity() {
    return capacity;
  }

  public int depth() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /** Releases every waiting ticket; for shutdown. */
  public void clear() {
    lock.lock();
    try {
      waiting.values().forEach(t -> t.ticket().release());
      waiting.clear();
    } finally {
      lock.unlock();
    }
  }
}
