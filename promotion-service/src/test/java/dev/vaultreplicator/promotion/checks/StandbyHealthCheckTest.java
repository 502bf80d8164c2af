package dev.vaultreplicator.promotion.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import dev.vaultreplicator.vault.VaultHealth;
import org.junit.jupiter.api.Test;

/** Every sys/health answer's verdict; VaultChecksTest asks a real emulator for the ones it can give. */
class StandbyHealthCheckTest {

  @Test
  void shouldGiveEveryHealthItsVerdict() {
    assertThat(verdict(VaultHealth.ACTIVE)).isEqualTo(Status.PASS);
    assertThat(verdict(VaultHealth.STANDBY)).isEqualTo(Status.WARN);
    assertThat(verdict(VaultHealth.SEALED)).isEqualTo(Status.FAIL);
    assertThat(verdict(VaultHealth.UNINITIALIZED)).isEqualTo(Status.FAIL);
    assertThat(verdict(VaultHealth.UNREACHABLE)).isEqualTo(Status.FAIL);
    assertThat(verdict(VaultHealth.UNEXPECTED)).isEqualTo(Status.FAIL);
    assertThat(StandbyHealthCheck.verdict("west", "http://v:8200", VaultHealth.STANDBY).reason())
        .contains("HA standby node", "vault.west.address");
  }

  private static Status verdict(VaultHealth health) {
    return StandbyHealthCheck.verdict("west", "http://v:8200", health).status();
  }
}
