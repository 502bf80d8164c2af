package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapturedThroughTest {

  private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
  private final CapturedThrough through = new CapturedThrough(Duration.ofMillis(250));

  @Test
  void shouldTrailTheLastHealthyCheckByTheAllowance() {
    assertThat(through.advance(T, true, true, Optional.empty())).contains(T.minusMillis(250));
  }

  @Test
  void shouldStayBehindTheOldestChangeNotYetAcknowledged() {
    assertThat(through.advance(T, true, true, Optional.of(T.minusSeconds(5)))).contains(T.minusSeconds(5).minusMillis(1));
  }

  @Test
  void shouldFreezeWhileThePrimaryTheStreamOrTheScansAreNotHealthy() {
    through.advance(T, true, true, Optional.empty());
    Instant later = T.plusSeconds(10);

    assertThat(through.advance(null, true, true, Optional.empty())).contains(T.minusMillis(250));
    assertThat(through.advance(later, false, true, Optional.empty())).contains(T.minusMillis(250));
    assertThat(through.advance(later, true, false, Optional.empty())).contains(T.minusMillis(250));
    assertThat(through.advance(later, true, true, Optional.empty())).contains(later.minusMillis(250));
  }

  @Test
  void shouldNeverMoveBackwards() {
    through.advance(T, true, true, Optional.empty());

    assertThat(through.advance(T.plusSeconds(1), true, true, Optional.of(T.minusSeconds(30))))
        .contains(T.minusMillis(250));
  }

  @Test
  void shouldReachTheQuietSealedMomentWithNoAllowanceButStayBehindWhatIsStillUnpublished() {
    through.advance(T, true, true, Optional.empty());
    Instant sealedAnswer = T.plusSeconds(3);

    assertThat(through.advanceWhileSealed(null, true, true, Optional.empty())).contains(T.minusMillis(250));
    assertThat(through.advanceWhileSealed(sealedAnswer, true, true, Optional.of(T.plusSeconds(1))))
        .contains(T.plusSeconds(1).minusMillis(1));
    assertThat(through.advanceWhileSealed(sealedAnswer, true, true, Optional.empty())).contains(sealedAnswer);
  }

  @Test
  void shouldNotVouchForASealedPrimaryWhoseStreamOrScansWereNotProvenOrWhenNothingWasEstablished() {
    Instant sealedAnswer = T.plusSeconds(3);

    assertThat(through.advanceWhileSealed(sealedAnswer, true, true, Optional.empty())).isEmpty();
    through.advance(T, true, true, Optional.empty());
    assertThat(through.advanceWhileSealed(sealedAnswer, false, true, Optional.empty())).contains(T.minusMillis(250));
    assertThat(through.advanceWhileSealed(sealedAnswer, true, false, Optional.empty())).contains(T.minusMillis(250));
  }

  @Test
  void shouldHaveNoValueUntilFirstEstablished() {
    assertThat(through.advance(T, false, true, Optional.empty())).isEmpty();
    assertThat(through.value()).isNull();
  }
}
