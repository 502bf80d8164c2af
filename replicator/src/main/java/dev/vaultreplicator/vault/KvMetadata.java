package dev.vaultreplicator.vault;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A KV v2 key's metadata: its settings and every version Vault still tracks (pruned versions are
 * gone from it).
 */
public record KvMetadata(long currentVersion, Instant createdTime, Instant updatedTime, KvSettings settings,
    NavigableMap<Long, KvVersion> versions) {

  public KvMetadata {
    requireNonNull(settings, "settings");
    versions = Collections.unmodifiableNavigableMap(new TreeMap<>(requireNonNull(versions, "versions")));
  }
}
