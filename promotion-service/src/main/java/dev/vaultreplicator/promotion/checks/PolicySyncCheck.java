package dev.vaultreplicator.promotion.checks;

import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import dev.vaultreplicator.vault.VaultException;
import dev.vaultreplicator.vault.VaultGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code policy-sync}: every ACL policy the changes topic carries is on the standby with the same
 * rules (by SHA-256), and every replicated delete is gone from it. The topic, not the primary, is
 * the reference, so the check works while the primary is down. Policies of the standby's own are
 * not judged.
 */
public final class PolicySyncCheck implements RegionCheck {

  public static final String NAME = "policy-sync";
  private static final int NAMED = 5;

  private final Map<String, VaultGateway> vaults;
  private final Supplier<Map<String, Optional<String>>> replicated;

  public PolicySyncCheck(Map<String, VaultGateway> vaults, Supplier<Map<String, Optional<String>>> replicated) {
    this.vaults = vaults;
    this.replicated = replicated;
  }

  @Override
  public CheckResult evaluate(String region) {
    VaultGateway vault = vaults.get(region);
    if (vault == null) {
      return StandbyHealthCheck.notConfigured(NAME, region);
    }
    Map<String, Optional<String>> expected = replicated.get();
    if (expected.isEmpty()) {
      return new CheckResult(NAME, Status.UNKNOWN, "no policy has been seen on the changes topic yet");
    }
    List<String> differ = new ArrayList<>();
    try {
      for (Map.Entry<String, Optional<String>> policy : expected.entrySet()) {
        Optional<String> held = vault.policy(policy.getKey()).map(Sha256::hex);
        if (!held.equals(policy.getValue())) {
          differ.add(policy.getKey() + (held.isEmpty() ? " (missing)" : policy.getValue().isEmpty()
              ? " (deleted on the primary)" : " (other rules)"));
        }
      }
    } catch (VaultException e) {
      return new CheckResult(NAME, Status.UNKNOWN, region + "'s policies could not be read: " + e.getMessage());
    }
    if (!differ.isEmpty()) {
      return new CheckResult(NAME, Status.FAIL, String.format("%d of %d replicated policies differ on %s: %s%s",
          differ.size(), expected.size(), region, String.join(", ", differ.subList(0, Math.min(NAMED, differ.size()))),
          differ.size() > NAMED ? ", ..." : ""));
    }
    return new CheckResult(NAME, Status.PASS, "the " + expected.size() + " replicated policies match");
  }
}
