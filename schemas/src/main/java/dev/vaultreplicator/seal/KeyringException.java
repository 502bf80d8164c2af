package dev.vaultreplicator.seal;

import dev.vaultreplicator.ReplicatorException;

/** A keyring that cannot be loaded. The message names the source and line, never key material. */
public final class KeyringException extends ReplicatorException {

  KeyringException(String message) {
    super(message);
  }

  KeyringException(String message, Throwable cause) {
    super(message, cause);
  }
}
