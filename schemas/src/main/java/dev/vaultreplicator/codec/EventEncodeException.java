package dev.vaultreplicator.codec;

import dev.vaultreplicator.ReplicatorException;

/** An event that cannot be encoded: not an event type, or a required field left unset. */
public final class EventEncodeException extends ReplicatorException {

  EventEncodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
