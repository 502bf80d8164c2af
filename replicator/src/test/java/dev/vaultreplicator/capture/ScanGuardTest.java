package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScanGuardTest {

  private final ScanGuard guard = new ScanGuard(0.5, 10);

  @Test
  void shouldHoldDeletesWhenAScanListsFewerThanTheRatioOfWhatWasPublished() {
    assertThat(guard.holdsDeletes(20, 9)).isTrue();
    assertThat(guard.holdsDeletes(20, 0)).as("an empty listing").isTrue();
  }

  @Test
  void shouldLetDeletesThroughAtTheRatioAndAbove() {
    assertThat(guard.holdsDeletes(20, 10)).isFalse();
    assertThat(guard.holdsDeletes(20, 19)).isFalse();
  }

  @Test
  void shouldNotApplyBelowTheMinimumOfPublishedKeys() {
    assertThat(guard.holdsDeletes(9, 0)).isFalse();
    assertThat(new ScanGuard(0.5, 0).holdsDeletes(0, 0)).as("nothing published, nothing to hold").isFalse();
  }
}
