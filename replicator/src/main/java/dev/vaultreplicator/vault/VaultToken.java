package dev.vaultreplicator.vault;

import java.util.Optional;

/**
 * The token a request carries. A plain one is a lambda; a {@link VaultCredential} also gets a say
 * when Vault refuses it, so that an expired token is replaced rather than reported.
 */
@FunctionalInterface
public interface VaultToken {

  String get();

  /**
   * Called after a 403 to a request that carried {@code refused}.
   *
   * @return a token to send the request with once more, or empty when the refusal stands
   */
  default Optional<String> afterRefusal(String refused) {
    return Optional.empty();
  }
}
