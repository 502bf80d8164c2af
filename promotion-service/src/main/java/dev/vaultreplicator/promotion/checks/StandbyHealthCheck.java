package dev.vaultreplicator.promotion.checks;

import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.vault.VaultHealth;
import java.util.Map;

/** {@code standby-health}: the standby Vault answers {@code sys/health} initialized, unsealed and active. */
public final class StandbyHealthCheck implements RegionCheck {

  public static final String NAME = "standby-health";

  private final Map<String, VaultGateway> vaults;

  public StandbyHealthCheck(Map<String, VaultGateway> vaults) {
    this.vaults = vaults;
  }

  @Override
  public CheckResult evaluate(String region) {
    VaultGateway vault = vaults.get(region);
    if (vault == null) {
      return notConfigured(NAME, region);
    }
    return verdict(region, vault.address().toString(), vault.health());
  }

  /** What a {@code sys/health} answer means for a promotion. */
  static CheckResult verdict(String region, String address, VaultHealth health) {
    String at = region + "'s Vault at " + address;
    return switch (health) {
      case ACTIVE -> new CheckResult(NAME, Status.PASS, at + " is initialized, unsealed and active");
      case STANDBY -> new CheckResult(NAME, Status.WARN, at + " answers as an HA standby node; point vault."
          + region + ".address at the active node or its load balancer");
      case SEALED -> new CheckResult(NAME, Status.FAIL, at + " is sealed: unseal it before promoting");
      case UNINITIALIZED -> new CheckResult(NAME, Status.FAIL, at + " is not initialized");
      case UNREACHABLE -> new CheckResult(NAME, Status.FAIL, at + " cannot be reached");
      case UNEXPECTED -> new CheckResult(NAME, Status.FAIL, at + " answered sys/health with an unexpected status");
    };
  }

  static CheckResult notConfigured(String name, String region) {
    return new CheckResult(name, Status.UNKNOWN, "vault." + region + ".address is not configured, so " + region
        + "'s Vault cannot be checked");
  }
}
