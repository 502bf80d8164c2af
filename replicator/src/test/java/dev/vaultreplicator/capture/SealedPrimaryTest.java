package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SealedPrimaryTest {

  private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
  private final SealedPrimary sealed = new SealedPrimary(Duration.ofMillis(250));

  @Test
  void shouldVouchForTheLatestSealedAnswerOnceTheLinesFromBeforeTheSealHaveHadTheirAllowance() {
    assertThat(sealed.quietThrough(T, 10, 1)).isEmpty();
    assertThat(sealed.quietThrough(T.plusMillis(100), 10, 1)).isEmpty();
    assertThat(sealed.quietThrough(T.plusMillis(250), 10, 1)).contains(T.plusMillis(250));
    assertThat(sealed.quietThrough(T.plusSeconds(2), 10, 1)).contains(T.plusSeconds(2));
  }

  @Test
  void shouldStartOverOnAnyLineOrConnectionSinceTheFirstSealedAnswer() {
    sealed.quietThrough(T, 10, 1);

    assertThat(sealed.quietThrough(T.plusSeconds(1), 11, 1)).as("a line: the Vault was active").isEmpty();
    assertThat(sealed.quietThrough(T.plusSeconds(2), 11, 2)).as("a new audit connection").isEmpty();
    assertThat(sealed.quietThrough(T.plusMillis(2100), 11, 2)).isEmpty();
    assertThat(sealed.quietThrough(T.plusMillis(2250), 11, 2)).contains(T.plusMillis(2250));
  }

  @Test
  void shouldStartOverWhenThePrimaryAnsweredAnythingButSealed() {
    sealed.quietThrough(T, 10, 1);
    sealed.unsealed();

    assertThat(sealed.quietThrough(T.plusSeconds(5), 10, 1)).isEmpty();
    assertThat(sealed.quietThrough(T.plusSeconds(6), 10, 1)).contains(T.plusSeconds(6));
  }
}
