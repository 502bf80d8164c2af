package dev.vaultreplicator.vault;

import dev.vaultreplicator.ReplicatorException;

/**
 * A Vault request that did not succeed. The message names the method, the path and the status,
 * never a request or response body, since either may hold a secret value.
 */
public class VaultException extends ReplicatorException {

  private final int status;
  private final VaultFailure failure;

  VaultException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.failure = VaultFailure.classify(status);
  }

  /** The HTTP status, or 0 when no response came back (refused, reset, timed out). */
  public int status() {
    return status;
  }

  public VaultFailure failure() {
    return failure;
  }

  public boolean retriable() {
    return failure == VaultFailure.RETRIABLE;
  }
}
