package dev.vaultreplicator.capture;

import dev.vaultreplicator.ReplicatorException;

/** Kafka did not take an event: its buffer stayed full or its metadata unavailable. Retriable. */
public final class PublishException extends ReplicatorException {

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
