package dev.vaultreplicator.promotion.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FencingCheckTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  @Test
  void shouldPassOnAnEmptyLogAndOnAnyEpochWhileNoOtherPromotionIsInFlight() {
    assertThat(check(Optional.empty(), false).status()).isEqualTo(Status.PASS);
    CheckResult recent = check(Optional.of(epoch(2, NOW.minusSeconds(5), "r-1")), false);
    assertThat(recent.status()).as("the recovery block is a check of its own").isEqualTo(Status.PASS);
    assertThat(recent.reason()).contains("epoch 2 names west primary");
  }

  @Test
  void shouldFailWhileAnotherPromotionIsInFlight() {
    CheckResult inFlight = check(Optional.empty(), true);

    assertThat(inFlight.status()).isEqualTo(Status.FAIL);
    assertThat(inFlight.reason()).contains("another promotion is in flight");
  }

  @Test
  void shouldBeUnknownWhenTheControlTopicCannotBeRead() {
    FencingCheck check = new FencingCheck(() -> {
      throw new IllegalStateException("broker down");
    }, () -> false);

    CheckResult result = check.evaluate("west");

    assertThat(result.status()).isEqualTo(Status.UNKNOWN);
    assertThat(result.reason()).contains("control topic cannot be read");
  }

  private static CheckResult check(Optional<EpochRecord> current, boolean inFlight) {
    return new FencingCheck(() -> current, () -> inFlight).evaluate("west");
  }

  private static EpochRecord epoch(long number, Instant since, String requestId) {
    return EpochRecord.newBuilder().setEpoch(number).setPrimaryRegion("west").setSince(since).setRequestedBy("olga")
        .setReason("test").setForced(false).setRequestId(requestId).build();
  }
}
