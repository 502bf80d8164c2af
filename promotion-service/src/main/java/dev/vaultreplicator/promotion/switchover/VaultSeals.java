package dev.vaultreplicator.promotion.switchover;

import dev.vaultreplicator.vault.VaultGateway;
import java.util.Map;
import java.util.Optional;

/** Stops writes by sealing the region's Vault, with the token this service has for it ({@code vault.<region>.*}). */
public final class VaultSeals implements WriteStop {

  private final Map<String, VaultGateway> vaults;

  public VaultSeals(Map<String, VaultGateway> vaults) {
    this.vaults = Map.copyOf(vaults);
  }

  @Override
  public Optional<String> unable(String region) {
    return vaults.containsKey(region) ? Optional.empty()
        : Optional.of("vault." + region + ".address is not configured, so this service cannot seal " + region);
  }

  @Override
  public void stop(String region) {
    vaults.get(region).seal();
  }
}
