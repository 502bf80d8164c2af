package dev.vaultreplicator.seal;

import static java.util.Objects.requireNonNull;

import dev.vaultreplicator.ReplicatorException;

/** Sealed data that does not open. The message names the key id, never any secret data. */
public final class SealException extends ReplicatorException {

  /** Why the data did not open. */
  public enum Reason {
    /** Sealed under a key id this keyring does not hold. */
    UNKNOWN_KEY_ID,
    /** The authentication tag did not verify: wrong key, altered ciphertext or nonce, or another envelope. */
    AUTHENTICATION_FAILED,
    /** Not shaped like sealed data: a nonce of the wrong size, or a ciphertext shorter than its tag. */
    MALFORMED
  }

  private final Reason reason;

  SealException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
