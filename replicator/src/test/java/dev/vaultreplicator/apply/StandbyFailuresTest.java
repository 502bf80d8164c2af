package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.apply.PathRemap.Location;
import dev.vaultreplicator.vault.VaultFailure;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.vault.VaultException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StandbyFailuresTest {

  @Test
  void shouldRetryAStandbyThatDoesNotAnswer() {
    VaultException refused = unreachable();
    assertThat(refused.status()).isZero();
    assertThat(StandbyFailures.classify(refused)).isEqualTo(VaultFailure.RETRIABLE);
  }

  @Test
  void shouldRetryAKeyTheStandbyKeepsChangingUnderApply() {
    assertThat(StandbyFailures.classify(new StandbyApplier.StandbyContentionException(new Location("secret", "a"), 5)))
        .isEqualTo(VaultFailure.RETRIABLE);
  }

  @Test
  void shouldStopOnAnythingElseRatherThanSkipIt() {
    assertThat(StandbyFailures.classify(new IllegalStateException("a bug"))).isEqualTo(VaultFailure.PERMANENT);
    assertThat(StandbyFailures.classify(new ApplyStoppedException("poison", null))).isEqualTo(VaultFailure.PERMANENT);
  }

  /** A real refused connection: nothing listens on port 1. */
  private static VaultException unreachable() {
    try {
      new VaultGateway(URI.create("http://127.0.0.1:1"), () -> "t", Duration.ofSeconds(1)).auditedProbe();
    } catch (VaultException e) {
      return e;
    }
    throw new AssertionError("port 1 answered");
  }
}
