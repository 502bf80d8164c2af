package dev.vaultreplicator.capture;

import dev.failsafe.RateLimiter;
import dev.vaultreplicator.vault.VaultGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Walks every replicated mount and the policy list, and reconciles every key it finds: this is how
 * a new pipeline bootstraps and how whatever the stream missed is repaired. A published key the
 * walk no longer finds is reconciled too, which publishes its delete once the primary confirms it,
 * unless the {@link ScanGuard} holds deletes back. Any error ends the scan as failed, and a failed
 * scan publishes no deletes.
 *
 * <p>Keys are reconciled by {@link Pace#threads} side by side (the reconciler takes one key at a
 * time, so the audit stream and the scan never publish a key twice), no more than
 * {@link Pace#keysPerSecond} a second, so a scan of a large Vault does not flood the primary.
 */
public final class Scanner {

  private static final Logger LOG = LoggerFactory.getLogger(Scanner.class);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final String POLICIES = "policies";

  /** How fast a scan may walk: readers side by side, and keys a second for all of them (0: no bound). */
  public record Pace(int threads, int keysPerSecond) {
    public Pace {
      if (threads < 1 || keysPerSecond < 0) {
        throw new IllegalArgumentException("a scan needs a thread and a rate of at least 0");
      }
    }
  }

  /** The outcome of one complete scan. */
  public record Result(long keys, long events, Duration took, Set<String> guarded) {}

  private final VaultGateway primary;
  private final Map<String, Integer> mounts;
  private final Map<String, PathFilter> filters;
  private final boolean policies;
  private final Reconciler reconciler;
  private final PublishedState published;
  private final InFlight inFlight;
  private final ScanGuard guard;
  private final CaptureMetrics metrics;
  private final Pace pace;
  private final RateLimiter<Object> rate;
  private final Clock clock;

  public Scanner(VaultGateway primary, Map<String, Integer> mounts, Map<String, PathFilter> filters,
      boolean policies, Reconciler reconciler, PublishedState published, InFlight inFlight, ScanGuard guard,
      CaptureMetrics metrics, Pace pace, Clock clock) {
    this.primary = primary;
    this.mounts = Map.copyOf(mounts);
    this.filters = Map.copyOf(filters);
    this.policies = policies;
    this.reconciler = reconciler;
    this.published = published;
    this.inFlight = inFlight;
    this.guard = guard;
    this.metrics = metrics;
    mounts.keySet().forEach(metrics::guardWatches);
    if (policies) {
      metrics.guardWatches(POLICIES);
    }
    this.pace = pace;
    this.rate = pace.keysPerSecond() == 0 ? null
        : RateLimiter.smoothBuilder(pace.keysPerSecond(), Duration.ofSeconds(1)).withMaxWaitTime(Duration.ofDays(1))
            .build();
    this.clock = clock;
  }

  /** One complete scan. Throws on the first error; nothing is deleted by a failed scan. */
  public Result scan() {
    Instant started = clock.instant();
    reconciler.scanStarts();
    Progress progress = new Progress(started);
    Map<String, Long> publishedCounts = new HashMap<>();
    Map<String, Set<Target>> found = new HashMap<>();
    for (Map.Entry<String, Integer> mount : mounts.entrySet()) {
      publishedCounts.put(mount.getKey(), (long) published.targetsIn(mount.getKey()).size());
      found.put(mount.getKey(), listMount(mount.getKey(), mount.getValue()));
    }
    if (policies) {
      Set<Target> names = new LinkedHashSet<>();
      primary.policyNames().stream().filter(name -> !name.equals("root")).forEach(n -> names.add(Target.policy(n)));
      publishedCounts.put(POLICIES, (long) published.policies().size());
      found.put(POLICIES, names);
    }
    long total = found.values().stream().mapToLong(Set::size).sum();
    List<Target> every = new ArrayList<>();
    found.values().forEach(every::addAll);
    long events = reconcileAll(every, total, progress);
    Set<String> guarded = new LinkedHashSet<>();
    for (Map.Entry<String, Set<Target>> source : found.entrySet()) {
      Set<Target> gone = new LinkedHashSet<>(
          source.getKey().equals(POLICIES) ? published.policies() : published.targetsIn(source.getKey()));
      gone.removeAll(source.getValue());
      long publishedCount = publishedCounts.get(source.getKey());
      if (!gone.isEmpty() && guard.holdsDeletes(publishedCount, source.getValue().size())) {
        guarded.add(source.getKey());
        metrics.guardTripped(source.getKey());
        LOG.warn("empty-scan guard: {} lists {} keys where {} were published; holding back {} deletes "
            + "(scan.guard.ratio={}). Check the primary and capture's token.", source.getKey(),
            source.getValue().size(), publishedCount, gone.size(), guard.ratio());
        continue;
      }
      for (Target target : gone) {
        events += reconcile(target);
      }
    }
    long keys = total;
    Duration took = Duration.between(started, clock.instant());
    metrics.scanned(took, keys);
    LOG.info("scan complete: {} keys and policies in {} ms ({} keys/s), {} events published{}", keys,
        took.toMillis(), progress.rate(keys), events, guarded.isEmpty() ? "" : ", deletes held back for " + guarded);
    return new Result(keys, events, took, guarded);
  }

  /** Reconciles every target, {@link Pace#threads} at a time; the first failure cancels the rest and is thrown. */
  private long reconcileAll(List<Target> targets, long total, Progress progress) {
    AtomicLong done = new AtomicLong();
    AtomicLong events = new AtomicLong();
    Map<String, String> context = MDC.getCopyOfContextMap();
    ExecutorService readers = Executors.newFixedThreadPool(pace.threads(), runnable -> {
      Thread thread = new Thread(() -> {
        if (context != null) {
          MDC.setContextMap(context);
        }
        runnable.run();
      }, "capture-scan-reader");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<?>> reads = new ArrayList<>(targets.size());
      for (Target target : targets) {
        reads.add(readers.submit(() -> {
          if (rate != null) {
            rate.acquirePermit();
          }
          events.addAndGet(reconcile(target));
          progress.step(done.incrementAndGet(), total, events.get());
          return null;
        }));
      }
      for (Future<?> read : reads) {
        read.get();
      }
      return events.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime
          : new IllegalStateException("a scan read failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("the scan was interrupted");
    } finally {
      readers.shutdownNow();
    }
  }

  private int reconcile(Target target) {
    InFlight.Ticket ticket = inFlight.open(clock.instant());
    try {
      return reconciler.reconcile(target, null, ticket);
    } finally {
      ticket.release();
    }
  }

  /** Every key under a mount that its filter accepts. */
  private Set<Target> listMount(String mount, int version) {
    Set<Target> keys = new LinkedHashSet<>();
    PathFilter filter = filters.getOrDefault(mount, PathFilter.ALL);
    for (String path : primary.keys(mount, version)) {
      if (filter.accepts(path)) {
        keys.add(Target.kv(version, mount, path));
      }
    }
    return keys;
  }

  /**
   * A log line with counts and rate every few seconds of a long scan, and a bar redrawn in place on
   * stderr while capture runs attached to a terminal.
   */
  private final class Progress {
    private static final Duration REDRAW_EVERY = Duration.ofMillis(200);
    private static final int BAR_WIDTH = 30;
    private final Instant started;
    private final boolean terminal = System.console() != null;
    private Instant lastLog;
    private Instant lastDraw;

    Progress(Instant started) {
      this.started = started;
      this.lastLog = started;
      this.lastDraw = started;
    }

    synchronized void step(long done, long total, long events) {
      Instant now = clock.instant();
      if (Duration.between(lastLog, now).compareTo(PROGRESS_EVERY) >= 0) {
        lastLog = now;
        LOG.info("scan in progress: {} of {} keys read ({} keys/s), {} events published", done, total, rate(done),
            events);
      }
      if (terminal && (done == total || Duration.between(lastDraw, now).compareTo(REDRAW_EVERY) >= 0)) {
        lastDraw = now;
        int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * done / total);
        System.err.printf("\rscan [%s%s] %d/%d keys, %d keys/s, %d events%s", "#".repeat(filled),
            ".".repeat(BAR_WIDTH - filled), done, total, rate(done), events, done == total ? "\n" : "");
        System.err.flush();
      }
    }

    long rate(long keys) {
      long millis = Math.max(1, Duration.between(started, clock.instant()).toMillis());
      return keys * 1000 / millis;
    }
  }
}
