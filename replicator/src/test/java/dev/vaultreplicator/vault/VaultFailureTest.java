package dev.vaultreplicator.vault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VaultFailureTest {

  @Test
  void shouldRetryWhatPassesWithTimeAndNothingElse() {
    assertThat(java.util.List.of(0, 412, 429, 500, 502, 503)).allSatisfy(status ->
        assertThat(VaultFailure.classify(status)).isEqualTo(VaultFailure.RETRIABLE));
    assertThat(java.util.List.of(400, 401, 403, 404, 405, 413)).allSatisfy(status ->
        assertThat(VaultFailure.classify(status)).isEqualTo(VaultFailure.PERMANENT));
  }
}
