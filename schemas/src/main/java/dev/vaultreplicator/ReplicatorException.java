package dev.vaultreplicator;

/**
 * The root of every exception vault-replicator throws on purpose. Subclasses carry the context a
 * caller needs to act (a reason, a key id, a file), never a secret value.
 */
public class ReplicatorException extends RuntimeException {

  public ReplicatorException(String message) {
    super(message);
  }

  public ReplicatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
