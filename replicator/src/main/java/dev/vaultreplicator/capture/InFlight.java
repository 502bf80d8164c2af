package dev.vaultreplicator.capture;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Work that may still hold an unpublished change: a trigger waiting in the queue, a key being
 * read from the primary, an event Kafka has not acknowledged. Each is a {@link Ticket} opened when
 * capture first heard of the change and released once Kafka acknowledged everything it led to.
 * {@code captured_through} never passes the oldest open ticket.
 */
public final class InFlight {

  private final ConcurrentSkipListMap<Long, Instant> open = new ConcurrentSkipListMap<>();
  private final AtomicLong ids = new AtomicLong();

  /** @param since when capture heard of the change: no change after this is covered by the ticket */
  public Ticket open(Instant since) {
    long id = ids.incrementAndGet();
    open.put(id, since);
    return new Ticket(id);
  }

  /** The {@code since} of the oldest open ticket. */
  public Optional<Instant> oldest() {
    return open.values().stream().min(Instant::compareTo);
  }

  public int size() {
    return open.size();
  }

  /** Held once by its opener and once per event sent for it; closed when the count reaches 0. */
  public final class Ticket {
    private final long id;
    private final AtomicInteger holds = new AtomicInteger(1);

    private Ticket(long id) {
      this.id = id;
    }

    public void retain() {
      holds.incrementAndGet();
    }

    public void release() {
      if (holds.decrementAndGet() == 0) {
        open.remove(id);
      }
    }
  }
}
