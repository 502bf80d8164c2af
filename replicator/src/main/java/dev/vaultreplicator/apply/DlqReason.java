package dev.vaultreplicator.apply;

import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.seal.SealException;
import java.util.Locale;

/**
 * Why a record went to the dead-letter topic; the {@code vr.dlq.reason} header and the
 * {@code reason} tag of {@code vault_replication_dlq_total} carry {@link #label()}.
 */
public enum DlqReason {
  /** Not an event: too short, not single-object encoded, or a body that does not decode. */
  UNDECODABLE,
  /** Larger than the codec accepts for one event. */
  OVERSIZE,
  /** Written under a schema this build does not ship: a newer capture, or not ours. */
  UNKNOWN_FINGERPRINT,
  /** Sealed under a key id this region's keyring does not hold. */
  UNKNOWN_KEY_ID,
  /** The sealed data did not open: altered, moved to another key or path, or the wrong key. */
  AUTHENTICATION_FAILED,
  /** An event without a field apply needs (a path, a known operation, data for a KV v1 write). */
  MISSING_FIELD,
  /** From an epoch older than the control topic's current one: a fenced primary's late write. */
  STALE_EPOCH;

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static DlqReason of(EventDecodeException.Reason reason) {
    return switch (reason) {
      case TOO_LARGE -> OVERSIZE;
      case UNKNOWN_FINGERPRINT -> UNKNOWN_FINGERPRINT;
      case TOO_SHORT, BAD_MARKER, CORRUPT_BODY, UNEXPECTED_TYPE -> UNDECODABLE;
    };
  }

  static DlqReason of(SealException.Reason reason) {
    return switch (reason) {
      case UNKNOWN_KEY_ID -> UNKNOWN_KEY_ID;
      case AUTHENTICATION_FAILED, MALFORMED -> AUTHENTICATION_FAILED;
    };
  }
}
