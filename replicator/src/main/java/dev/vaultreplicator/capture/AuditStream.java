package dev.vaultreplicator.capture;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.vaultreplicator.vault.VaultException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The stream half of capture: each audit line heard is parsed and queued as a trigger without
 * ever blocking the socket (so never Vault); reader threads take the triggers and reconcile their
 * targets, retrying the primary with backoff. A trigger the queue cannot take, or a target that
 * cannot be read, is a gap the next scan covers.
 */
final class AuditStream implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditStream.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final AuditLineParser parser;
  private final TriggerQueue queue;
  private final InFlight inFlight;
  private final Reconciler reconciler;
  private final FencedChanges fenced;
  private final ScanScheduler scans;
  private final CaptureMetrics metrics;
  private final Clock clock;
  private final RetryPolicy<Object> primaryRetry;
  private final List<Thread> readers = new ArrayList<>();
  private final AuditProof proof = new AuditProof();
  private final AtomicLong linesHeard = new AtomicLong();
  private volatile boolean running = true;

  AuditStream(AuditLineParser parser, TriggerQueue queue, InFlight inFlight, Reconciler reconciler,
      FencedChanges fenced, ScanScheduler scans, RetryPolicy<Object> primaryRetry, CaptureMetrics metrics,
      Clock clock) {
    this.fenced = fenced;
    this.parser = parser;
    this.queue = queue;
    this.inFlight = inFlight;
    this.reconciler = reconciler;
    this.scans = scans;
    this.primaryRetry = primaryRetry;
    this.metrics = metrics;
    this.clock = clock;
  }

  void startReaders(int threads, String region) {
    for (int i = 0; i < threads; i++) {
      Thread reader = new Thread(() -> {
        MDC.put("component", "capture");
        MDC.put("region", region);
        read();
      }, "capture-reader-" + i);
      reader.setDaemon(true);
      reader.start();
      readers.add(reader);
    }
  }

  /** Runs on the socket's reader thread: parse, then queue without ever blocking. */
  void hear(String line) {
    linesHeard.incrementAndGet();
    metrics.lineReceived();
    proof.hear(line);
    AuditLineParser.Verdict verdict = parser.parse(line, clock.instant());
    if (verdict instanceof AuditLineParser.Skip skip) {
      metrics.lineSkipped(skip.reason());
      return;
    }
    if (verdict instanceof AuditLineParser.MountConfigChanged config) {
      reconciler.mountConfigChanged(config.mount());
      return;
    }
    AuditLineParser.Change change = (AuditLineParser.Change) verdict;
    InFlight.Ticket ticket = inFlight.open(change.time());
    TriggerQueue.Trigger trigger = change.writtenVersion() > 0
        ? TriggerQueue.Trigger.written(change.target(), change.time(), ticket, change.writtenVersion())
        : new TriggerQueue.Trigger(change.target(), change.time(), ticket);
    if (queue.offer(trigger) == TriggerQueue.Offer.FULL) {
      ticket.release();
      metrics.overflow();
      scans.gap("the buffer of " + queue.capacity() + " changed paths is full (audit.buffer.size)");
    }
  }

  /**
   * True once the line of capture's own audited request arrived within {@code wait}; false means
   * the stream delivers nothing, whatever its connections say, and lines may have been lost.
   */
  boolean delivering(java.util.function.Supplier<String> probe, Duration wait) throws InterruptedException {
    return proof.prove(probe, wait);
  }

  /** Every audit line heard since start: any new one says the primary was active. */
  long linesHeard() {
    return linesHeard.get();
  }

  /** The audit connection ended: lines may have been lost with it. */
  void disconnected() {
    scans.gap("audit stream disconnected");
  }

  private void read() {
    while (running) {
      TriggerQueue.Trigger trigger;
      try {
        trigger = queue.poll(POLL);
      } catch (InterruptedException e) {
        return;
      }
      if (trigger != null) {
        try {
          Failsafe.with(primaryRetry).run(() -> reconciler.reconcile(trigger.target(), trigger.commitTime(),
              trigger.writtenFrom(), trigger.writtenTo(), trigger.ticket()));
        } catch (Reconciler.FencedException e) {
          fenced.heard(trigger.target(), trigger.commitTime(), trigger.writtenFrom(), trigger.writtenTo());
        } catch (VaultException | EventPublisher.OversizeException e) {
          if (e instanceof VaultException) {
            metrics.primaryReadFailed(false);
          }
          LOG.error("cannot capture {}: {}; a scan will retry it", trigger.target(), e.getMessage());
          scans.gap("a change could not be captured");
        } catch (FailsafeException e) {
          return; // interrupted while backing off: closing
        } catch (RuntimeException e) {
          // Only the type: an unexpected exception's message may quote what it was parsing.
          LOG.error("cannot capture {}: unexpected {}; a scan will retry it", trigger.target(),
              e.getClass().getName());
          scans.gap("a change could not be captured");
        } finally {
          trigger.ticket().release();
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    readers.forEach(Thread::interrupt);
    queue.clear();
  }
}
