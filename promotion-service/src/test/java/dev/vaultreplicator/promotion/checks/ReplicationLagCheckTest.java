package dev.vaultreplicator.promotion.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import dev.vaultreplicator.promotion.lag.RegionLag;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplicationLagCheckTest {

  private static final Instant C = Instant.parse("2026-11-24T10:00:00Z");

  private final ReplicationLagCheck check = new ReplicationLagCheck(Duration.ofSeconds(5), 0);

  @Test
  void shouldPassACaughtUpStandbyOfALivePrimary() {
    CheckResult result = check.evaluate(known(Duration.ZERO, 0, Duration.ofMillis(300)));

    assertThat(result.status()).isEqualTo(Status.PASS);
    assertThat(result.reason()).isEqualTo("lag 0.000s, 0 events pending");
  }

  @Test
  void shouldFailAStandbyBeyondMaxLagOrWithPendingEvents() {
    CheckResult behind = check.evaluate(known(Duration.ofSeconds(6), 12, Duration.ofMillis(300)));
    CheckResult pending = check.evaluate(known(Duration.ofSeconds(1), 3, Duration.ofMillis(300)));

    assertThat(behind.status()).isEqualTo(Status.FAIL);
    assertThat(behind.reason()).contains("trails the primary by 6.000s", "max-lag 5.000s", "12 events pending");
    assertThat(pending.status()).isEqualTo(Status.FAIL);
    assertThat(pending.reason()).contains("3 events", "not yet applied");
  }

  @Test
  void shouldWarnButAllowADrainedStandbyOfASilentPrimary() {
    CheckResult result = check.evaluate(known(Duration.ZERO, 0, Duration.ofMinutes(3)));

    assertThat(result.status()).isEqualTo(Status.WARN);
    assertThat(result.status().allowsPromotion()).isTrue();
    assertThat(result.reason()).contains("silent for 180.000s", C.toString());
  }

  @Test
  void shouldBeUnknownWithoutDataAndFailForThePrimaryItself() {
    RegionLag unknown = new RegionLag("west", RegionLag.State.UNKNOWN, "no heartbeat yet", null, null, null, -1, null,
        null, -1);
    RegionLag primary = new RegionLag("west", RegionLag.State.PRIMARY, "west is the primary (epoch 2)", C, null, null,
        0, Duration.ZERO, "west", 2);

    assertThat(check.evaluate(unknown).status()).isEqualTo(Status.UNKNOWN);
    assertThat(check.evaluate(unknown).status().allowsPromotion()).isFalse();
    assertThat(check.evaluate(primary).status()).isEqualTo(Status.FAIL);
  }

  private static RegionLag known(Duration lag, long pending, Duration silence) {
    return new RegionLag("west", RegionLag.State.KNOWN, "", C, C.minus(lag), lag, pending, silence, "east", 1);
  }
}
