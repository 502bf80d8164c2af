package dev.vaultreplicator.codec;

import static java.util.Objects.requireNonNull;

import dev.vaultreplicator.ReplicatorException;

/** Bytes that are not an event this codec can read; {@link #reason()} says what was wrong. */
public final class EventDecodeException extends ReplicatorException {

  /** What was wrong with the bytes. */
  public enum Reason {
    /** Fewer bytes than the 10-byte single-object header. */
    TOO_SHORT,
    /** More bytes than the codec's limit for one event. */
    TOO_LARGE,
    /** The first two bytes are not the single-object marker C3 01. */
    BAD_MARKER,
    /** The writer's schema fingerprint is none of the schemas this build ships: a newer writer, or not ours. */
    UNKNOWN_FINGERPRINT,
    /** The header is fine but the body does not decode under the writer's schema. */
    CORRUPT_BODY,
    /** A valid event, but of another type than the caller asked for. */
    UNEXPECTED_TYPE
  }

  private final Reason reason;

  EventDecodeException(Reason reason, String message) {
    this(reason, message, null);
  }

  EventDecodeException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
