package dev.vaultreplicator.apply;

import dev.vaultreplicator.vault.VaultException;
import dev.vaultreplicator.vault.VaultFailure;

/**
 * The one place apply decides whether a failure to apply an event passes with time. Retriable:
 * no response, 5xx (a sealed standby answers 503), 429, 412, and a key the standby keeps changing
 * under apply. Everything else (403, 400, 404 of a missing mount, a bug) is permanent: apply stops
 * with the message rather than park good data in the dead-letter topic.
 */
final class StandbyFailures {

  private StandbyFailures() {}

  static VaultFailure classify(Throwable failure) {
    if (failure instanceof VaultException vault) {
      return vault.failure();
    }
    if (failure instanceof StandbyApplier.StandbyContentionException) {
      return VaultFailure.RETRIABLE;
    }
    return VaultFailure.PERMANENT;
  }
}
