package dev.vaultreplicator.promotion.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LagHistoryTest {

  private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
  private final AtomicBoolean caughtUp = new AtomicBoolean(true);

  private static RegionLag lagOf(Duration lag) {
    return new RegionLag("west", RegionLag.State.KNOWN, "", T, T.minus(lag), lag, 3, Duration.ofMillis(400), "east", 1);
  }

  @Test
  void shouldKeepTheLastFifteenMinutesOfSamplesOldestFirst() {
    int[] taken = {0};
    LagHistory history = new LagHistory(List.of("west"), region -> lagOf(Duration.ofSeconds(taken[0]++)),
        caughtUp::get, Clock.fixed(T, ZoneOffset.UTC));
    int kept = (int) (LagHistory.KEPT.toMillis() / LagHistory.INTERVAL.toMillis());

    for (int i = 0; i < kept + 5; i++) {
      history.sample();
    }

    List<LagHistory.Sample> samples = history.samples().get("west");
    assertThat(samples).hasSize(kept);
    assertThat(samples.get(0).lagSeconds()).isEqualTo(5.0);
    assertThat(samples.get(kept - 1).lagSeconds()).isEqualTo(kept + 4.0);
    assertThat(samples.get(0).pendingEvents()).isEqualTo(3);
    assertThat(samples.get(0).primarySilenceSeconds()).isEqualTo(0.4);
  }

  @Test
  void shouldTakeNoSampleWhileTheTrackerIsStillReadingItsTopics() {
    LagHistory history = new LagHistory(List.of("west"), region -> lagOf(Duration.ofMinutes(3)), caughtUp::get,
        Clock.fixed(T, ZoneOffset.UTC));
    caughtUp.set(false);

    history.sample();
    caughtUp.set(true);
    history.sample();

    assertThat(history.samples().get("west")).hasSize(1);
  }

  @Test
  void shouldLeaveTheFiguresOfARegionWhoseLagIsUnknownEmpty() {
    RegionLag unknown = new RegionLag("west", RegionLag.State.UNKNOWN, "no heartbeat yet", null, null, null, -1, null,
        null, -1);
    LagHistory history = new LagHistory(List.of("west"), region -> unknown, caughtUp::get,
        Clock.fixed(T, ZoneOffset.UTC));

    history.sample();

    LagHistory.Sample sample = history.samples().get("west").get(0);
    assertThat(sample.state()).isEqualTo(RegionLag.State.UNKNOWN);
    assertThat(sample.lagSeconds()).isNull();
    assertThat(sample.pendingEvents()).isNull();
    assertThat(sample.at()).isEqualTo(T);
  }
}
