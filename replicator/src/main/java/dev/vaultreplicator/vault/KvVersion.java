package dev.vaultreplicator.vault;

import java.time.Instant;

/** One version of a KV v2 secret as its metadata describes it. */
public record KvVersion(long version, Instant createdTime, Instant deletionTime, boolean destroyed) {

  /** The version's state at {@code now}: a deletion time still in the future does not count yet. */
  public VersionState stateAt(Instant now) {
    if (destroyed) {
      return VersionState.DESTROYED;
    }
    return deletionTime != null && !deletionTime.isAfter(now) ? VersionState.DELETED : VersionState.LIVE;
  }
}
