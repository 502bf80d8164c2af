package dev.vaultreplicator.apply;

import dev.vaultreplicator.ReplicatorException;

/**
 * The standby stayed unavailable for one retry budget. The stream thread is replaced and the
 * event retried from the last commit; it is never skipped.
 */
final class StandbyUnavailableException extends ReplicatorException {

  StandbyUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
