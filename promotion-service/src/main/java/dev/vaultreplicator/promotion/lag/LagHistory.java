package dev.vaultreplicator.promotion.lag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The last minutes of each region's replication, sampled from the tracker, so the dashboard opened
 * in the middle of an outage shows how the lag got where it is, not only where it is now.
 */
public final class LagHistory implements AutoCloseable {

  public static final Duration INTERVAL = Duration.ofSeconds(2);
  public static final Duration KEPT = Duration.ofMinutes(15);

  /** One sample: figures null while the region's state is not known. */
  public record Sample(Instant at, RegionLag.State state, Double lagSeconds, Long pendingEvents,
      Double primarySilenceSeconds) {

    static Sample of(RegionLag lag, Instant at) {
      return new Sample(at, lag.state(), lag.lagSeconds(), lag.knownPendingEvents(), lag.primarySilenceSeconds());
    }
  }

  private final List<String> regions;
  private final Function<String, RegionLag> lags;
  private final BooleanSupplier caughtUp;
  private final Clock clock;
  private final int capacity = (int) (KEPT.toMillis() / INTERVAL.toMillis());
  private final Map<String, Deque<Sample>> samples = new LinkedHashMap<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "lag-history");
    thread.setDaemon(true);
    return thread;
  });

  /** @param caughtUp whether the tracker has read its topics to the end: before that its figures are partial */
  public LagHistory(List<String> regions, Function<String, RegionLag> lags, BooleanSupplier caughtUp, Clock clock) {
    this.regions = List.copyOf(regions);
    this.lags = lags;
    this.caughtUp = caughtUp;
    this.clock = clock;
    regions.forEach(region -> samples.put(region, new ArrayDeque<>()));
  }

  public void start() {
    scheduler.scheduleAtFixedRate(this::sample, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Takes one sample of every region; the oldest beyond {@link #KEPT} is dropped. None while the
   * tracker is still reading its topics: a restarted service would chart the lag of its partial
   * view (minutes, from old watermarks) as if the standby had fallen behind.
   */
  public synchronized void sample() {
    if (!caughtUp.getAsBoolean()) {
      return;
    }
    Instant now = clock.instant();
    for (String region : regions) {
      Deque<Sample> kept = samples.get(region);
      kept.addLast(Sample.of(lags.apply(region), now));
      while (kept.size() > capacity) {
        kept.removeFirst();
      }
    }
  }

  /** Each region's samples, oldest first. */
  public synchronized Map<String, List<Sample>> samples() {
    Map<String, List<Sample>> copy = new LinkedHashMap<>();
    samples.forEach((region, kept) -> copy.put(region, List.copyOf(kept)));
    return copy;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
