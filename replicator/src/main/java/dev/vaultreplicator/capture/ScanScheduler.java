package dev.vaultreplicator.capture;

import dev.vaultreplicator.ReplicatorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When scans run, on one thread: {@code scan.interval} after the last scan ended, after every gap
 * (something since then may have been missed), and again {@code retry.backoff.max} after a
 * failure. Keeps the {@link ScanCoverage} that tells whether the scans so far cover every gap.
 * The interval counts from the end of the last scan, whatever made it run: a first scan of a
 * large Vault that takes longer than the interval is not followed at once by a periodic one.
 */
final class ScanScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScanScheduler.class);

  private final Supplier<Scanner.Result> scanner;
  private final ScheduledExecutorService executor;
  private final BooleanSupplier primary;
  private final CaptureMetrics metrics;
  private final Clock clock;
  private final Duration interval;
  private final Duration retryAfter;
  private final ScanCoverage coverage;
  private final AtomicBoolean queued = new AtomicBoolean();
  /** Whether required scans wait for {@link #release}; guarded by this, as is queuing a scan. */
  private boolean held;
  private boolean lastFailed;
  /** The next periodic scan; touched only on the executor's thread, and by start. */
  private ScheduledFuture<?> nextPeriodic;

  /**
   * @param scanner one complete scan ({@link Scanner#scan})
   * @param primary whether this region is primary now: a scan runs only then
   */
  ScanScheduler(Supplier<Scanner.Result> scanner, ScheduledExecutorService executor, BooleanSupplier primary, CaptureMetrics metrics,
      Clock clock, Duration interval, Duration retryAfter) {
    this.scanner = scanner;
    this.executor = executor;
    this.primary = primary;
    this.metrics = metrics;
    this.clock = clock;
    this.interval = interval;
    this.retryAfter = retryAfter;
    this.coverage = new ScanCoverage(clock.instant());
  }

  /** The periodic scans; the first one is queued by whoever makes this region primary. */
  void start() {
    executor.execute(this::schedulePeriodic);
  }

  private void schedulePeriodic() {
    if (executor.isShutdown()) {
      return;
    }
    if (nextPeriodic != null) {
      nextPeriodic.cancel(false);
    }
    nextPeriodic = executor.schedule(this::scan, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** True when the last scan succeeded and started after every known gap. */
  boolean current() {
    return coverage.current();
  }

  /** Something since now may have been missed: captured_through freezes until a scan covers it. */
  void gap(String why) {
    // A burst of gaps (a full buffer drops many lines) is one incident: warn once, the rest at DEBUG.
    boolean firstSinceLastScan = coverage.current();
    require(why);
    if (firstSinceLastScan) {
      LOG.warn("{}: captured_through is frozen until a scan completes", why);
    } else {
      LOG.debug("{}: captured_through is frozen until a scan completes", why);
    }
  }

  /** Queues a scan that must complete before captured_through moves again. */
  void require(String why) {
    coverage.require(clock.instant());
    synchronized (this) {
      if (queued.compareAndSet(false, true)) {
        LOG.debug("scan queued: {}", why);
        if (!held) {
          executor.execute(this::scan);
        }
      }
    }
  }

  /**
   * Holds back the scans required from now on until {@link #release}: a scan that starts before
   * the audit stream delivers leaves a gap behind it, which a second full scan would have to cover.
   */
  synchronized void hold() {
    held = true;
  }

  /** Runs the scan required while held, if any; from now on each runs as soon as it is required. */
  synchronized void release() {
    if (held) {
      held = false;
      if (queued.get()) {
        executor.execute(this::scan);
      }
    }
  }

  private void scan() {
    queued.set(false);
    try {
      scanIfPrimary();
    } finally {
      schedulePeriodic();
    }
  }

  private void scanIfPrimary() {
    if (!primary.getAsBoolean()) {
      return;
    }
    Instant started = clock.instant();
    try {
      Scanner.Result result = scanner.get();
      lastFailed = false;
      if (result.guarded().isEmpty()) {
        coverage.completed(started);
      } else {
        // The standbys keep keys the primary no longer has: captured_through must not claim otherwise.
        coverage.failed();
        LOG.warn("captured_through stays frozen while the empty-scan guard holds deletes for {}; if the deletes "
            + "are real, lower scan.guard.ratio and restart capture", result.guarded());
      }
    } catch (Reconciler.FencedException e) {
      // The epoch moved while the scan ran: from here on the new primary's capture publishes.
      LOG.info("scan stopped: this region is no longer primary");
    } catch (RuntimeException e) {
      coverage.failed();
      metrics.scanFailed();
      // Only our own exceptions' messages are known to hold no secret value.
      String why = e instanceof ReplicatorException ? e.getMessage() : "unexpected " + e.getClass().getName();
      if (lastFailed) {
        LOG.debug("scan failed again, retry in {} ms: {}", retryAfter.toMillis(), why);
      } else {
        LOG.warn("scan failed, no deletes published, retry in {} ms: {}", retryAfter.toMillis(), why);
      }
      lastFailed = true;
      if (queued.compareAndSet(false, true)) {
        executor.schedule(this::scan, retryAfter.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
