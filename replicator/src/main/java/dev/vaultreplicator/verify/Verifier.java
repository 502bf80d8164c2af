package dev.vaultreplicator.verify;

import dev.vaultreplicator.vault.VaultGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a primary and a standby by keyed digests: every replicated KV key (settings, each
 * version's state and data), KV v1 key and ACL policy. A difference names the key and what
 * differs, never a value.
 */
public final class Verifier {

  /** What a comparison found; {@code compared} counts entries on either side. */
  public record Report(int compared, List<Difference> differences) {
    public boolean clean() {
      return differences.isEmpty();
    }
  }

  private Verifier() {}

  public static Report compare(VaultGateway primary, VaultGateway standby, List<String> mounts) {
    return compare(primary, standby, mounts, VersionDigests.none());
  }

  /**
   * The same, reusing the data digests of versions an earlier comparison with the same
   * {@code digests} read: for comparisons that repeat, such as the promotion service's.
   */
  public static Report compare(VaultGateway primary, VaultGateway standby, List<String> mounts,
      VersionDigests digests) {
    Instant now = Instant.now();
    VaultSnapshot left;
    VaultSnapshot right;
    try {
      left = VaultSnapshot.of(primary, mounts, digests, now);
      right = VaultSnapshot.of(standby, mounts, digests, now);
    } finally {
      digests.comparisonDone();
    }
    return differences(left, right);
  }

  /**
   * Only {@code subjects}, every version's data read afresh, with the digest key of
   * {@code digests}: a difference's digests can be set against those of the comparison that
   * found it. The versions {@code digests} keeps for the next full comparison stay as they were.
   */
  public static Report compareAgain(VaultGateway primary, VaultGateway standby, Collection<Subject> subjects,
      VersionDigests digests) {
    Instant now = Instant.now();
    VersionDigests fresh = digests.uncached();
    return differences(VaultSnapshot.of(primary, subjects, fresh, now), VaultSnapshot.of(standby, subjects, fresh, now));
  }

  private static Report differences(VaultSnapshot left, VaultSnapshot right) {
    Set<String> names = new TreeSet<>(left.entries.keySet());
    names.addAll(right.entries.keySet());
    List<Difference> differences = new ArrayList<>();
    for (String name : names) {
      String expected = left.entries.get(name);
      String found = right.entries.get(name);
      if (expected == null || !expected.equals(found)) {
        Subject subject = expected != null ? left.subjects.get(name) : right.subjects.get(name);
        differences.add(new Difference(subject, name, expected, found));
      }
    }
    return new Report(names.size(), differences);
  }
}
