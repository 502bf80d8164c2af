package dev.vaultreplicator.promotion.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FencingCheckTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration BLOCK = Duration.ofMinutes(10);

  @Test
  void shouldPassOnAnEmptyLogAndOnceTheLastPromotionIsOlderThanTheBlock() {
    assertThat(check(Optional.empty(), false).status()).isEqualTo(Status.PASS);
    CheckResult old = check(Optional.of(epoch(2, NOW.minus(Duration.ofMinutes(11)), "r-1")), false);
    assertThat(old.status()).isEqualTo(Status.PASS);
    assertThat(old.reason()).contains("epoch 2 names west primary");
  }

  @Test
  void shouldNotCountCapturesBootstrapClaimAsAPromotion() {
    assertThat(check(Optional.of(epoch(1, NOW.minusSeconds(5), null)), false).status()).isEqualTo(Status.PASS);
  }

  @Test
  void shouldFailWithinTheRecoveryBlockOrWhileAnotherPromotionIsInFlight() {
    CheckResult recent = check(Optional.of(epoch(2, NOW.minus(Duration.ofMinutes(3)), "r-1")), false);
    CheckResult inFlight = check(Optional.empty(), true);

    assertThat(recent.status()).isEqualTo(Status.FAIL);
    assertThat(recent.reason()).contains("within recovery-block 600s", "promotions open at 2026-11-24T10:07:00Z");
    assertThat(inFlight.status()).isEqualTo(Status.FAIL);
    assertThat(inFlight.reason()).contains("another promotion is in flight");
  }

  @Test
  void shouldBeUnknownWhenTheControlTopicCannotBeRead() {
    FencingCheck check = new FencingCheck(() -> {
      throw new IllegalStateException("broker down");
    }, BLOCK, () -> false, CLOCK);

    CheckResult result = check.evaluate("west");

    assertThat(result.status()).isEqualTo(Status.UNKNOWN);
    assertThat(result.reason()).contains("control topic cannot be read");
  }

  private static CheckResult check(Optional<EpochRecord> current, boolean inFlight) {
    return new FencingCheck(() -> current, BLOCK, () -> inFlight, CLOCK).evaluate("west");
  }

  private static EpochRecord epoch(long number, Instant since, String requestId) {
    return EpochRecord.newBuilder().setEpoch(number).setPrimaryRegion("west").setSince(since).setRequestedBy("olga")
        .setReason("test").setForced(false).setRequestId(requestId).build();
  }
}
