package dev.vaultreplicator.apply;

import static java.util.Objects.requireNonNull;

import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.SecretData;

/**
 * A record of the changes topic on its way through apply, decoded and opened. Every kind keeps the
 * original bytes, so a record rejected at any step reaches the dead-letter topic unchanged. Lives
 * in memory between processors of one task only: it is never serialized.
 */
sealed interface Inbound {

  byte[] original();

  /** Source region and epoch, for the fence. */
  String sourceRegion();

  long epoch();

  /** A secret change; {@code data} is the opened secret, null when the event carries none. */
  record Secret(byte[] original, SecretChange change, SecretData data) implements Inbound {
    public Secret {
      requireNonNull(change, "change");
    }

    @Override
    public String sourceRegion() {
      return change.getSourceRegion();
    }

    @Override
    public long epoch() {
      return change.getEpoch();
    }
  }

  record Policy(byte[] original, PolicyChange change) implements Inbound {
    public Policy {
      requireNonNull(change, "change");
    }

    @Override
    public String sourceRegion() {
      return change.getSourceRegion();
    }

    @Override
    public long epoch() {
      return change.getEpoch();
    }
  }

  /** A heartbeat at {@code offset} of {@code partition}: everything before it on the partition is handled. */
  record Beat(byte[] original, Heartbeat heartbeat, int partition, long offset) implements Inbound {
    public Beat {
      requireNonNull(heartbeat, "heartbeat");
    }

    @Override
    public String sourceRegion() {
      return heartbeat.getSourceRegion();
    }

    @Override
    public long epoch() {
      return heartbeat.getEpoch();
    }
  }

  /** Bound for the dead-letter topic; {@code detail} names what was wrong, never content. */
  record Rejected(byte[] original, DlqReason reason, String detail) implements Inbound {
    public Rejected {
      requireNonNull(reason, "reason");
      requireNonNull(detail, "detail");
    }

    @Override
    public String sourceRegion() {
      return "";
    }

    @Override
    public long epoch() {
      return -1;
    }
  }
}
