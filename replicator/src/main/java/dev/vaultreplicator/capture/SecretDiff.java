package dev.vaultreplicator.capture;

import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.vault.KvMetadata;
import dev.vaultreplicator.vault.KvSettings;
import dev.vaultreplicator.vault.KvVersion;
import dev.vaultreplicator.vault.VersionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The KV v2 operations that take a key from what was published to what the primary holds now.
 * A pure function, so the stream and the scan agree and each version is published once.
 */
public final class SecretDiff {

  /**
   * One operation. A WRITE, soft delete, undelete or destroy concerns one {@code version} (also the
   * one element of {@code versions} for the last three): each is its own record key on the
   * compacted changes topic ({@link ChangeKeys}).
   */
  public record Step(Operation operation, long version, List<Long> versions) {
    public Step {
      versions = List.copyOf(versions);
    }

    static Step of(Operation operation) {
      return new Step(operation, 0, List.of());
    }
  }

  private SecretDiff() {}

  /**
   * @param before what was published; null when nothing was
   * @param now the primary's metadata; null when the key does not exist there
   * @param at the primary's present, for deletion times set in the future
   */
  public static List<Step> between(PublishedState.Kv2 before, KvMetadata now, Instant at) {
    List<Step> steps = new ArrayList<>();
    // A current version below what was published means the key was deleted and made anew.
    if (before != null && (now == null || now.currentVersion() < before.maxVersion())) {
      steps.add(Step.of(Operation.DELETE_METADATA));
      before = null;
    }
    if (now == null) {
      return steps;
    }
    // Settings go first: the standby must prune with the new max_versions as versions arrive.
    KvSettings published = before == null ? KvSettings.DEFAULTS : before.settings();
    if (!published.equals(now.settings()) || (before == null && now.versions().isEmpty())) {
      steps.add(Step.of(Operation.METADATA));
    }
    long newest = before == null ? 0 : before.maxVersion();
    for (KvVersion version : now.versions().tailMap(newest, false).values()) {
      steps.add(new Step(Operation.WRITE, version.version(), List.of()));
    }
    List<Long> deleted = new ArrayList<>();
    List<Long> undeleted = new ArrayList<>();
    List<Long> destroyed = new ArrayList<>();
    for (KvVersion version : now.versions().values()) {
      VersionState was = before == null || version.version() > newest ? VersionState.LIVE : before.state(version.version());
      VersionState is = version.stateAt(at);
      if (is == was) {
        continue;
      }
      switch (is) {
        case DESTROYED -> destroyed.add(version.version());
        case DELETED -> deleted.add(version.version());
        case LIVE -> undeleted.add(version.version());
      }
    }
    addEach(steps, Operation.SOFT_DELETE, deleted);
    addEach(steps, Operation.UNDELETE, undeleted);
    addEach(steps, Operation.DESTROY, destroyed);
    return steps;
  }

  private static void addEach(List<Step> steps, Operation operation, List<Long> versions) {
    versions.forEach(version -> steps.add(new Step(operation, version, List.of(version))));
  }
}
