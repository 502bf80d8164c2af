package dev.vaultreplicator.verify;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The data digests of the KV v2 versions a comparison read, for the next comparison to reuse. A
 * version's data never changes while it keeps its number and creation time (a rewrite is a new
 * version; a key deleted and written again has new creation times), so a comparison that reuses
 * them reads each key's metadata and only the data of versions it has not seen. It keeps what
 * the last comparison saw, no more than {@code limit} versions (a walk in the same order every
 * time would defeat an LRU smaller than it), and its digest key lives as long as it does.
 */
public final class VersionDigests {

  /** One version of one key on one Vault. */
  record Version(String vault, String mount, String key, long number, Instant created) { }

  private final KeyedDigest digest;
  private final int limit;
  private Map<Version, String> lastComparison = Map.of();
  private Map<Version, String> thisComparison = new HashMap<>();

  /** @param limit how many versions to keep between comparisons; 0 keeps none */
  public VersionDigests(int limit) {
    this(new KeyedDigest(), limit);
  }

  private VersionDigests(KeyedDigest digest, int limit) {
    this.digest = digest;
    this.limit = limit;
  }

  /** Digests kept for no longer than one comparison: each reads every version. */
  static VersionDigests none() {
    return new VersionDigests(0);
  }

  /** The same digest key, nothing kept: for a comparison that must not replace what this keeps. */
  VersionDigests uncached() {
    return new VersionDigests(digest, 0);
  }

  KeyedDigest digest() {
    return digest;
  }

  /**
   * The digest of a live version's data: the one the last comparison read, or {@code read}'s
   * (null when the version could not be read, which is never kept).
   */
  synchronized String of(Version version, Supplier<byte[]> read) {
    String known = version.created() == null ? null : lastComparison.get(version);
    if (known == null) {
      byte[] data = read.get();
      if (data == null) {
        return null;
      }
      known = digest.of(data);
    }
    if (version.created() != null && thisComparison.size() < limit) {
      thisComparison.put(version, known);
    }
    return known;
  }

  /** A comparison is over: what it saw is what the next may reuse. */
  synchronized void comparisonDone() {
    lastComparison = thisComparison;
    thisComparison = new HashMap<>();
  }

  synchronized int kept() {
    return lastComparison.size();
  }
}
