package dev.vaultreplicator.apply;

import dev.vaultreplicator.ReplicatorException;

/** Apply cannot go on: a permanent standby failure, a poison record under poison.policy=stop, or a stop request mid-retry. */
public final class ApplyStoppedException extends ReplicatorException {

  public ApplyStoppedException(String message, Throwable cause) {
    super(message, cause);
  }
}
