package dev.vaultreplicator.apply;

import java.util.Locale;

/** Why a consumed record changed nothing on the standby, though it was fine. */
enum SkipReason {
  /** A version the standby already holds from this source: a replay or a duplicate. */
  DUPLICATE,
  /** Captured by this region itself, while it was primary. */
  OWN_REGION,
  /** A record without a value: on the compacted changes topic, a key's data leaving it. */
  TOMBSTONE,
  /** A heartbeat of a primary a newer epoch has fenced: it says nothing about the current primary. */
  STALE_HEARTBEAT;

  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
