package dev.vaultreplicator.promotion.checks;

import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import dev.vaultreplicator.vault.TokenInfo;
import dev.vaultreplicator.vault.VaultException;
import dev.vaultreplicator.vault.VaultGateway;
import java.time.Duration;
import java.util.Map;

/**
 * {@code standby-credential}: the token configured for the region (the one its replicator will
 * use once it is primary) answers {@code lookup-self}, lives longer than the floor, and can be renewed.
 */
public final class StandbyCredentialCheck implements RegionCheck {

  public static final String NAME = "standby-credential";

  private final Map<String, VaultGateway> vaults;
  private final Duration minTtl;

  public StandbyCredentialCheck(Map<String, VaultGateway> vaults, Duration minTtl) {
    this.vaults = vaults;
    this.minTtl = minTtl;
  }

  @Override
  public CheckResult evaluate(String region) {
    VaultGateway vault = vaults.get(region);
    if (vault == null) {
      return StandbyHealthCheck.notConfigured(NAME, region);
    }
    TokenInfo token;
    try {
      token = vault.tokenSelf();
    } catch (VaultException e) {
      return e.status() == 403
          ? new CheckResult(NAME, Status.FAIL, region + "'s Vault refuses the token (lookup-self answered 403): "
              + "issue a new one")
          : new CheckResult(NAME, Status.UNKNOWN, region + "'s token could not be looked up: " + e.getMessage());
    }
    if (!token.expires()) {
      return new CheckResult(NAME, Status.PASS, "the token does not expire");
    }
    if (token.ttl().compareTo(minTtl) < 0) {
      return new CheckResult(NAME, Status.FAIL, String.format("the token expires in %ss, under the floor of %ss "
          + "(check.min.token.ttl): renew it or issue a new one", token.ttl().toSeconds(), minTtl.toSeconds()));
    }
    if (!token.renewable()) {
      return new CheckResult(NAME, Status.WARN, String.format("the token expires in %ss and cannot be renewed",
          token.ttl().toSeconds()));
    }
    return new CheckResult(NAME, Status.PASS, String.format("the token expires in %ss and is renewable",
        token.ttl().toSeconds()));
  }
}
