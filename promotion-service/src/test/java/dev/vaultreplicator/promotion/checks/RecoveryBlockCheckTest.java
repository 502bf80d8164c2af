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

class RecoveryBlockCheckTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration BLOCK = Duration.ofHours(1);

  @Test
  void shouldPassWithoutAPromotionAndOnceTheLastIsOlderThanTheBlock() {
    assertThat(check(Optional.empty()).status()).isEqualTo(Status.PASS);
    assertThat(check(Optional.of(epoch(1, NOW.minusSeconds(5), null))).reason())
        .as("capture's claim of epoch 1 starts the pipeline; it is no promotion").isEqualTo("no promotion yet");
    CheckResult old = check(Optional.of(epoch(2, NOW.minus(Duration.ofMinutes(61)), "r-1")));
    assertThat(old.status()).isEqualTo(Status.PASS);
    assertThat(old.reason()).contains("epoch 2", "older than recovery-block 3600s");
  }

  @Test
  void shouldFailWithinTheBlockSayingWhenItOpensAndHowToAcknowledgeIt() {
    CheckResult recent = check(Optional.of(epoch(2, NOW.minus(Duration.ofMinutes(3)), "r-1")));

    assertThat(recent.status()).isEqualTo(Status.FAIL);
    assertThat(recent.reason()).contains("180s ago, within recovery-block 3600s",
        "promotions open at 2026-12-02T10:57:00Z", "recovery_block_ack");
    CheckResult acknowledged = RecoveryBlockCheck.acknowledged(recent, "olga", "west is burning too");
    assertThat(acknowledged.status()).isEqualTo(Status.WARN);
    assertThat(acknowledged.reason()).startsWith("acknowledged by olga (\"west is burning too\"): epoch 2");
  }

  @Test
  void shouldBeUnknownWhenTheControlTopicCannotBeRead() {
    CheckResult result = new RecoveryBlockCheck(() -> {
      throw new IllegalStateException("broker down");
    }, BLOCK, CLOCK).evaluate("west");

    assertThat(result.status()).isEqualTo(Status.UNKNOWN);
    assertThat(result.reason()).contains("control topic cannot be read");
  }

  private static CheckResult check(Optional<EpochRecord> current) {
    return new RecoveryBlockCheck(() -> current, BLOCK, CLOCK).evaluate("west");
  }

  private static EpochRecord epoch(long number, Instant since, String requestId) {
    return EpochRecord.newBuilder().setEpoch(number).setPrimaryRegion("west").setSince(since).setRequestedBy("olga")
        .setReason("test").setForced(false).setRequestId(requestId).build();
  }
}
