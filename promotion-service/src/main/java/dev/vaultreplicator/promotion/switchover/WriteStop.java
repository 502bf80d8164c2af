package dev.vaultreplicator.promotion.switchover;

import java.util.Optional;

/** Stops a region's Vault taking writes, for a switchover with {@code stop_writes}: it seals it. */
public interface WriteStop {

  /** Why this service cannot stop the region's writes (no Vault of it configured), or empty when it can. */
  Optional<String> unable(String region);

  /** @throws dev.vaultreplicator.ReplicatorException when the Vault refuses or does not answer */
  void stop(String region);
}
