package dev.vaultreplicator.capture;

import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.PolicyOperation;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.events.SecretMetadata;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.vault.KvSettings;
import dev.vaultreplicator.vault.VersionState;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What capture has published for each target: the dedupe memory that lets the stream and the scan
 * publish each (path, version) once. It is rebuilt at start from this region's events on the
 * changes topic, and updated by the same {@link #record} calls as each event is sent. Secret values
 * are kept only as SHA-256 digests (KV v1), never in clear.
 */
public final class PublishedState {

  /**
   * A KV v2 key: the oldest version whose records may still be on the topic (0: none), the newest
   * version published, each version's published state, its settings.
   */
  public record Kv2(long oldestOnTopic, long maxVersion, Map<Long, VersionState> states, KvSettings settings) {
    public Kv2 {
      states = Map.copyOf(states);
    }

    static final Kv2 NONE = new Kv2(0, 0, Map.of(), KvSettings.DEFAULTS);

    /** Versions no event mentioned since a compaction count as live. */
    public VersionState state(long version) {
      return states.getOrDefault(version, VersionState.LIVE);
    }
  }

  private static final int STRIPES = 256;

  private final ReentrantReadWriteLock rebuild = new ReentrantReadWriteLock();
  private volatile long epoch = -1;
  private final Map<Target, Kv2> kv2 = new ConcurrentHashMap<>();
  private final Map<Target, String> digests = new ConcurrentHashMap<>();
  private final Object[] locks = new Object[STRIPES];

  public PublishedState() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /** The epoch this state was rebuilt for: what this region published under it. -1: none. */
  public long epoch() {
    return epoch;
  }

  /**
   * Held for the whole of a reconcile (shared), so a {@link #rebuild} for a new epoch waits for
   * every reconcile under the old one to finish and none starts until it is done.
   */
  public Lock useLock() {
    return rebuild.readLock();
  }

  /** Empties the state and fills it for {@code epoch} (-1: none) with {@code load}, exclusively. */
  public void rebuild(long epoch, Consumer<PublishedState> load) {
    rebuild.writeLock().lock();
    try {
      kv2.clear();
      digests.clear();
      if (epoch >= 0) {
        load.accept(this);
      }
      this.epoch = epoch;
    } finally {
      rebuild.writeLock().unlock();
    }
  }

  /** One lock per target (striped), so the stream and the scan never interleave on a key. */
  public Object lockFor(Target target) {
    return locks[Math.floorMod(target.hashCode(), STRIPES)];
  }

  public Kv2 kv2(Target target) {
    return kv2.get(target);
  }

  public String digest(Target target) {
    return digests.get(target);
  }

  /** @param data the clear data of a WRITE, for a KV v1 digest; may be null otherwise */
  public void record(SecretChange change, SecretData data) {
    Target target = Target.of(change);
    if (change.getEngine() == Engine.KV_V1) {
      if (change.getOperation() == Operation.WRITE && data != null) {
        digests.put(target, Sha256.hex(data.json()));
      } else {
        digests.remove(target);
      }
      return;
    }
    if (change.getOperation() == Operation.DELETE_METADATA) {
      kv2.remove(target);
      return;
    }
    Kv2 before = kv2.getOrDefault(target, Kv2.NONE);
    Map<Long, VersionState> states = new HashMap<>(before.states());
    long oldest = before.oldestOnTopic();
    long max = before.maxVersion();
    List<Long> versions = change.getOperation() == Operation.WRITE ? List.of(change.getSourceVersion())
        : change.getVersions();
    switch (change.getOperation()) {
      case WRITE, UNDELETE -> versions.forEach(v -> states.put(v, VersionState.LIVE));
      case SOFT_DELETE -> versions.forEach(v -> states.put(v, VersionState.DELETED));
      case DESTROY -> versions.forEach(v -> states.put(v, VersionState.DESTROYED));
      default -> { }
    }
    // Each of these versions has a record on the topic now: a state's comes after the version's
    // data was published, even if compaction has removed that since.
    for (long version : versions) {
      oldest = oldest == 0 ? version : Math.min(oldest, version);
      max = Math.max(max, version);
    }
    // Only departures from "live" need remembering.
    states.values().removeIf(state -> state == VersionState.LIVE);
    KvSettings settings = change.getMetadata() == null ? before.settings() : settings(change.getMetadata());
    kv2.put(target, new Kv2(oldest, max, states, settings));
  }

  /**
   * Forgets that versions after {@code lastKept} of a KV v2 key were published, or that a KV v1
   * key was: the next reconcile of the key publishes them again, in order, as for a key it never
   * saw. Used to re-seal what the changes topic holds under a key that is no longer current.
   */
  public void rewind(Target target, long lastKept) {
    if (target.kind() == Target.Kind.KV_V1) {
      digests.remove(target);
      return;
    }
    kv2.computeIfPresent(target, (t, before) -> {
      Map<Long, VersionState> states = new HashMap<>(before.states());
      states.keySet().removeIf(version -> version > lastKept);
      return new Kv2(before.oldestOnTopic(), Math.min(before.maxVersion(), lastKept), states, before.settings());
    });
  }

  /** The primary pruned the key's versions below {@code oldestKept}, and their records were tombstoned. */
  public void pruned(Target target, long oldestKept) {
    kv2.computeIfPresent(target, (t, before) -> {
      Map<Long, VersionState> states = new HashMap<>(before.states());
      states.keySet().removeIf(version -> version < oldestKept);
      return new Kv2(oldestKept, before.maxVersion(), states, before.settings());
    });
  }

  public void record(PolicyChange change) {
    Target target = Target.policy(change.getName());
    if (change.getOperation() == PolicyOperation.WRITE && change.getPolicy() != null) {
      digests.put(target, Sha256.hex(change.getPolicy().getBytes(StandardCharsets.UTF_8)));
    } else {
      digests.remove(target);
    }
  }

  /** Published KV targets of one mount. */
  public Set<Target> targetsIn(String mount) {
    return java.util.stream.Stream.concat(kv2.keySet().stream(), digests.keySet().stream())
        .filter(t -> t.kind() != Target.Kind.POLICY && t.mount().equals(mount))
        .collect(Collectors.toSet());
  }

  public Set<Target> policies() {
    return digests.keySet().stream().filter(t -> t.kind() == Target.Kind.POLICY).collect(Collectors.toSet());
  }

  public int size() {
    return kv2.size() + digests.size();
  }

  static KvSettings settings(SecretMetadata metadata) {
    return new KvSettings(metadata.getCustomMetadata() == null ? Map.of() : metadata.getCustomMetadata(),
        metadata.getMaxVersions(), metadata.getCasRequired(), metadata.getDeleteVersionAfter());
  }

}
