package dev.vaultreplicator.apply;

import static java.util.Objects.requireNonNull;

import dev.vaultreplicator.vault.KvSettings;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What apply knows of one KV v2 key on the standby, kept in the state store: which source it
 * follows, the newest source version applied, the standby's current version after that, the
 * settings last written, and which standby version holds each source version (the numbers differ
 * when the standby started from a compacted topic or held versions of its own).
 *
 * @param versions source version to standby version, the newest {@link #MAX_MAPPED} only
 */
record KeyState(String source, long lastSource, long standbyCurrent, KvSettings settings,
    NavigableMap<Long, Long> versions) {

  /** Older versions than this many are long pruned on both sides (Vault keeps 10 unless told). */
  static final int MAX_MAPPED = 1_000;

  KeyState {
    requireNonNull(source, "source");
    versions = Collections.unmodifiableNavigableMap(new TreeMap<>(requireNonNull(versions, "versions")));
  }

  static KeyState empty(String source) {
    return new KeyState(source, 0, -1, null, new TreeMap<>());
  }

  /** Whether the standby's current version is known (else it must be read before a write). */
  boolean knowsStandby() {
    return standbyCurrent >= 0;
  }

  KeyState written(long sourceVersion, long standbyVersion) {
    TreeMap<Long, Long> next = new TreeMap<>(versions);
    next.put(sourceVersion, standbyVersion);
    while (next.size() > MAX_MAPPED) {
      next.pollFirstEntry();
    }
    return new KeyState(source, Math.max(lastSource, sourceVersion), Math.max(standbyCurrent, standbyVersion),
        settings, next);
  }

  /**
   * Source versions up to {@code lastSource} are no longer on the changes topic and standby
   * versions up to {@code standbyCurrent} hold their places. They stay unmapped: no event names them
   * again but a destroy, which their placeholders already show.
   */
  KeyState gapFilled(long lastSource, long standbyCurrent) {
    return new KeyState(source, lastSource, standbyCurrent, settings, versions);
  }

  KeyState withSettings(KvSettings applied) {
    return new KeyState(source, lastSource, standbyCurrent, applied, versions);
  }

  /** The standby version holding a source version; the same number when this key's mapping is unknown. */
  long standbyVersion(long sourceVersion) {
    Long mapped = versions.get(sourceVersion);
    return mapped != null ? mapped : versions.isEmpty() ? sourceVersion : -1;
  }
}
