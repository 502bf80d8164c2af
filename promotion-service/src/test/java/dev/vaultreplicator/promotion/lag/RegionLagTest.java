package dev.vaultreplicator.promotion.lag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.events.AppliedWatermark;
import dev.vaultreplicator.events.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegionLagTest {

  private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

  private final ChangesPartition p0 = new ChangesPartition(0);
  private final ChangesPartition p1 = new ChangesPartition(1);

  @Test
  void shouldBeUnknownNotZeroBeforeEveryPartitionHasAHeartbeat() {
    p0.heartbeat(0, heartbeat("east", 1, 0, T));

    RegionLag lag = RegionLag.of("west", List.of(p0, p1), Map.of(0, applied(0, 0, T)), T);

    assertThat(lag.state()).isEqualTo(RegionLag.State.UNKNOWN);
    assertThat(lag.reason()).contains("partitions [1]");
    assertThat(lag.lag()).isNull();
    assertThat(RegionLag.of("west", List.of(), Map.of(), T).state()).isEqualTo(RegionLag.State.UNKNOWN);
  }

  @Test
  void shouldBeUnknownWhileTheRegionHasAppliedNoHeartbeatOnSomePartition() {
    p0.heartbeat(0, heartbeat("east", 1, 0, T));
    p1.heartbeat(0, heartbeat("east", 1, 1, T));

    RegionLag lag = RegionLag.of("west", List.of(p0, p1), Map.of(1, applied(1, 0, T)), T);

    assertThat(lag.state()).isEqualTo(RegionLag.State.UNKNOWN);
    assertThat(lag.reason()).contains("west has applied no heartbeat", "[0]");
  }

  @Test
  void shouldMeasureLagFromTheOldestPartitionOnEachSideAndCountThePendingEvents() {
    p0.heartbeat(0, heartbeat("east", 1, 0, T));
    p0.event(1);
    p0.event(2);
    p0.heartbeat(3, heartbeat("east", 1, 0, T.plusSeconds(4)));
    p0.event(4);
    p1.heartbeat(0, heartbeat("east", 1, 1, T.plusSeconds(3)));

    RegionLag lag = RegionLag.of("west", List.of(p0, p1), Map.of(0, applied(0, 0, T), 1, applied(1, 0,
        T.plusSeconds(3))), T.plusSeconds(5));

    assertThat(lag.state()).isEqualTo(RegionLag.State.KNOWN);
    assertThat(lag.capturedThrough()).isEqualTo(T.plusSeconds(3));
    assertThat(lag.appliedThrough()).isEqualTo(T);
    assertThat(lag.lag()).isEqualTo(Duration.ofSeconds(3));
    assertThat(lag.pendingEvents()).isEqualTo(3);
  }

  @Test
  void shouldDrainToZeroLagWhileSilenceGrowsWhenThePrimaryIsGone() {
    p0.event(0);
    p0.heartbeat(1, heartbeat("east", 1, 0, T));
    p1.heartbeat(0, heartbeat("east", 1, 1, T));
    Map<Integer, AppliedWatermark> drained = Map.of(0, applied(0, 1, T), 1, applied(1, 0, T));

    RegionLag oneMinuteLater = RegionLag.of("west", List.of(p0, p1), drained, T.plusSeconds(60));
    RegionLag tenMinutesLater = RegionLag.of("west", List.of(p0, p1), drained, T.plusSeconds(600));

    assertThat(oneMinuteLater.lag()).isEqualTo(Duration.ZERO);
    assertThat(oneMinuteLater.pendingEvents()).isZero();
    assertThat(oneMinuteLater.primarySilence()).isEqualTo(Duration.ofSeconds(60));
    assertThat(tenMinutesLater.lag()).isEqualTo(Duration.ZERO);
    assertThat(tenMinutesLater.primarySilence()).isEqualTo(Duration.ofSeconds(600));
  }

  @Test
  void shouldSayARegionWhoseOwnHeartbeatsTheseAreIsThePrimary() {
    p0.heartbeat(0, heartbeat("west", 2, 0, T));

    RegionLag lag = RegionLag.of("west", List.of(p0), Map.of(), T);

    assertThat(lag.state()).isEqualTo(RegionLag.State.PRIMARY);
    assertThat(lag.epoch()).isEqualTo(2);
  }

  @Test
  void shouldIgnoreAFencedPrimarysLateHeartbeat() {
    p0.heartbeat(0, heartbeat("west", 2, 0, T.plusSeconds(10)));
    p0.heartbeat(1, heartbeat("east", 1, 0, T.plusSeconds(20)));

    RegionLag lag = RegionLag.of("north", List.of(p0), Map.of(0, applied(0, 0, T.plusSeconds(10))), T);

    assertThat(lag.primaryRegion()).isEqualTo("west");
    assertThat(lag.lag()).isEqualTo(Duration.ZERO);
  }

  @Test
  void shouldCountEveryLaterRecordForAHeartbeatCompactionRemoved() {
    // After a restart on a compacted topic only the newest heartbeat is left, at offset 9.
    p0.event(5);
    p0.event(7);
    p0.heartbeat(9, heartbeat("east", 1, 0, T));

    RegionLag lag = RegionLag.of("west", List.of(p0), Map.of(0, applied(0, 4, T.minusSeconds(1))), T);

    assertThat(lag.pendingEvents()).isEqualTo(5);
  }

  private static Heartbeat heartbeat(String region, long epoch, int partition, Instant capturedThrough) {
    return new Heartbeat(region, epoch, partition, capturedThrough, capturedThrough);
  }

  private static AppliedWatermark applied(int partition, long offset, Instant capturedThrough) {
    return AppliedWatermark.newBuilder().setRegion("west").setPartition(partition).setCapturedThrough(capturedThrough)
        .setOffset(offset).setSourceRegion("east").setEpoch(1).setAppliedTime(capturedThrough).build();
  }
}
