package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScanSchedulerTest {

  private static final Duration INTERVAL = Duration.ofMillis(300);

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final List<Long> starts = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstMayEnd = new CountDownLatch(1);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void shouldStartTheNextPeriodicScanAFullIntervalAfterALongScanEnded() throws InterruptedException {
    // Given a first scan that lasts longer than the interval
    Supplier<Scanner.Result> scan = () -> {
      starts.add(System.nanoTime());
      if (starts.size() == 1) {
        await().atMost(Duration.ofSeconds(10)).until(() -> firstMayEnd.getCount() == 0);
      }
      return new Scanner.Result(0, 0, Duration.ZERO, Set.of());
    };
    ScanScheduler scheduler = new ScanScheduler(scan, executor, () -> true,
        new CaptureMetrics(new SimpleMeterRegistry(), "east"), Clock.systemUTC(), INTERVAL, Duration.ofSeconds(5));
    scheduler.start();
    scheduler.require("the first scan");
    await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() == 1);
    await().pollDelay(INTERVAL.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(() -> true);

    // When it ends
    long ended = System.nanoTime();
    firstMayEnd.countDown();

    // Then the periodic scan due meanwhile does not run at once, but an interval after the end
    await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() >= 2);
    assertThat(TimeUnit.NANOSECONDS.toMillis(starts.get(1) - ended)).isGreaterThanOrEqualTo(INTERVAL.toMillis() * 9 / 10);
  }
}
