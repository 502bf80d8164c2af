package dev.vaultreplicator.capture;

import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.epoch.EpochWatcher;
import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.PolicyOperation;
import dev.vaultreplicator.events.SealedData;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.events.SecretMetadata;
import dev.vaultreplicator.seal.Envelope;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.seal.SecretSealer;
import dev.vaultreplicator.vault.KvMetadata;
import dev.vaultreplicator.vault.KvSettings;
import dev.vaultreplicator.vault.KvVersion;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.vault.VersionState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.locks.Lock;

/**
 * Brings one target on the changes topic up to the primary's present: reads its current state,
 * compares it with what was published, and publishes the difference in order. Both the audit
 * stream and the scan come through here, one target at a time, so a version is published once.
 */
public final class Reconciler {

  /** Reads of a key whose version vanished between its metadata and data reads, before publishing it without data. */
  private static final int SETTLE_ATTEMPTS = 5;

  /** This region is not primary at the current epoch: nothing may be published. */
  public static final class FencedException extends dev.vaultreplicator.ReplicatorException {
    FencedException() {
      super("this region is not primary at the current epoch");
    }
  }

  private final VaultGateway primary;
  private final PublishedState published;
  private final EventPublisher publisher;
  private final SecretSealer sealer;
  private final EpochWatcher epochs;
  private final CaptureMetrics metrics;
  private final String region;
  private final Clock clock;
  private final MountVersionLimits limits;

  public Reconciler(VaultGateway primary, PublishedState published, EventPublisher publisher, SecretSealer sealer,
      EpochWatcher epochs, CaptureMetrics metrics, String region, Clock clock) {
    this.primary = primary;
    this.published = published;
    this.publisher = publisher;
    this.sealer = sealer;
    this.epochs = epochs;
    this.metrics = metrics;
    this.region = region;
    this.clock = clock;
    this.limits = new MountVersionLimits(primary);
  }

  /**
   * @param heardAt when the audit entry says the change happened; null from a scan
   * @return the number of events published
   * @throws dev.vaultreplicator.vault.VaultException when the primary could not be read
   * @throws FencedException when this region is not primary
   */
  public int reconcile(Target target, Instant heardAt, InFlight.Ticket ticket) {
    return reconcile(target, heardAt, 0, 0, ticket);
  }

  /**
   * @param writtenFrom the first of the KV v2 versions data writes made, one after another, as their
   *     audit lines name them; 0: none known
   * @param writtenTo the last of them
   * @see #reconcile(Target, Instant, InFlight.Ticket)
   */
  public int reconcile(Target target, Instant heardAt, long writtenFrom, long writtenTo, InFlight.Ticket ticket) {
    Lock notRebuilding = published.useLock();
    notRebuilding.lock();
    try {
      synchronized (published.lockFor(target)) {
        long epoch = publishingEpoch();
        return switch (target.kind()) {
          case KV_V2 -> kv2(target, epoch, heardAt, writtenFrom, writtenTo, ticket);
          case KV_V1 -> kv1(target, epoch, heardAt, ticket);
          case POLICY -> policy(target, epoch, heardAt, ticket);
        };
      }
    } finally {
      notRebuilding.unlock();
    }
  }

  /** The written versions the short way, one by one; the full read for anything it cannot tell. */
  private int kv2(Target target, long epoch, Instant heardAt, long writtenFrom, long writtenTo,
      InFlight.Ticket ticket) {
    int sent = 0;
    for (long version = writtenFrom; version > 0 && version <= writtenTo; version++) {
      if (!written(target, epoch, version, heardAt, ticket)) {
        return sent + kv2Settled(target, epoch, heardAt, ticket);
      }
      sent++;
    }
    return writtenFrom > 0 ? sent : kv2Settled(target, epoch, heardAt, ticket);
  }

  /** {@code mount}'s config was written: the versions a write prunes are read again. */
  public void mountConfigChanged(String mount) {
    limits.forget(mount);
  }

  /** A scan starts: every mount's config is read again, in case a gap lost the line of a change to it. */
  public void scanStarts() {
    limits.forgetAll();
  }

  /**
   * A data write whose audit line named the version it made, on a key whose every earlier version
   * was published: that version alone is read (its data and its own metadata, one request), not
   * the key's metadata first, so the primary serves one read per change instead of two. The key's
   * settings are what capture published last (a change to them is a trigger of its own, and one
   * waiting beside this write makes it a full read), and the versions the write pruned follow
   * from its {@code max_versions} and the mount's.
   *
   * @return whether it was published; false when only the full read can tell: a key capture has
   *     published nothing of, a version after one it has not seen, a version no longer live, a
   *     mount whose config this token may not read
   */
  private boolean written(Target target, long epoch, long version, Instant heardAt, InFlight.Ticket ticket) {
    PublishedState.Kv2 before = published.kv2(target);
    if (before == null || before.maxVersion() != version - 1) {
      return false;
    }
    OptionalInt kept = limits.kept(target.mount(), before.settings().maxVersions());
    if (kept.isEmpty()) {
      return false;
    }
    Instant capturedAt = clock.instant();
    Optional<VaultGateway.VersionRead> read = primary.kvVersionRead(target.mount(), target.path(), version);
    if (read.isEmpty() || read.get().version().stateAt(capturedAt) != VersionState.LIVE) {
      return false;
    }
    SecretChange.Builder change = change(target, Engine.KV_V2, epoch, Operation.WRITE, capturedAt)
        .setMetadata(metadata(before.settings()))
        .setSourceVersion(version)
        .setCommitTime(orElse(read.get().version().createdTime(), heardAt, capturedAt));
    send(ChangeKeys.ofKv2(target, Operation.WRITE, version), change, read.get().data(), heardAt, ticket);
    metrics.versionReadAlone();
    long oldestKept = version - kept.getAsInt() + 1;
    PublishedState.Kv2 after = published.kv2(target);
    if (after.oldestOnTopic() > 0 && after.oldestOnTopic() < oldestKept) {
      dropVersions(target, after, oldestKept, ticket);
      published.pruned(target, oldestKept);
    }
    return true;
  }

  /**
   * The metadata is read before the versions' data, so a version can be deleted in between: its
   * data is then gone though the metadata called it live. Publishing it without data would
   * record it live with nothing to show for it, and an undelete right after would change nothing
   * capture can see. So the key is read again, a few times; only a version that stays unreadable
   * while its metadata calls it live is published without data.
   */
  private int kv2Settled(Target target, long epoch, Instant heardAt, InFlight.Ticket ticket) {
    int published = 0;
    for (int attempt = 1; ; attempt++) {
      try {
        return published + kv2(target, epoch, heardAt, ticket, attempt < SETTLE_ATTEMPTS);
      } catch (MetadataMovedException e) {
        published += e.published;
      }
    }
  }

  /** The key changed between its metadata read and a version read; {@code published} events went out before. */
  private static final class MetadataMovedException extends RuntimeException {
    private final int published;

    MetadataMovedException(int published) {
      super(null, null, false, false);
      this.published = published;
    }
  }

  private int kv2(Target target, long epoch, Instant heardAt, InFlight.Ticket ticket, boolean rereadIfMoved) {
    Instant capturedAt = clock.instant();
    KvMetadata now = primary.kvMetadata(target.mount(), target.path()).orElse(null);
    PublishedState.Kv2 before = published.kv2(target);
    List<SecretDiff.Step> steps = SecretDiff.between(before, now, capturedAt);
    int sent = 0;
    for (SecretDiff.Step step : steps) {
      SecretChange.Builder change = change(target, Engine.KV_V2, epoch, step.operation(), capturedAt)
          .setVersions(step.versions())
          .setMetadata(now == null || step.operation() == Operation.DELETE_METADATA ? null : metadata(now.settings()));
      SecretData data = null;
      switch (step.operation()) {
        case WRITE -> {
          KvVersion version = now.versions().get(step.version());
          change.setSourceVersion(step.version()).setCommitTime(orElse(version.createdTime(), heardAt, capturedAt));
          data = primary.kvVersion(target.mount(), target.path(), step.version()).orElse(null);
          if (data == null && rereadIfMoved && version.stateAt(capturedAt) == VersionState.LIVE) {
            throw new MetadataMovedException(sent);
          }
          if (data == null) {
            metrics.writeWithoutData();
          }
        }
        case SOFT_DELETE -> change.setSourceVersion(now.currentVersion())
            .setCommitTime(orElse(deletedAt(now, step.versions()), heardAt, capturedAt));
        case DELETE_METADATA -> {
          change.setSourceVersion(before == null ? 0 : before.maxVersion())
              .setCommitTime(orElse(heardAt, null, capturedAt));
          // Nothing of the deleted secret may outlive it on the topic, or a new region would bring it back.
          dropVersions(target, before, before == null ? 0 : before.maxVersion() + 1, ticket);
          publisher.tombstone(ChangeKeys.settings(target), ticket);
        }
        default -> change.setSourceVersion(now.currentVersion()).setCommitTime(orElse(heardAt, null, capturedAt));
      }
      if (step.operation() == Operation.DESTROY) {
        // The destroy event stays; the sealed data it destroyed leaves the topic. The tombstone goes
        // first: send records the step as published, so a retry after a refused tombstone would skip it.
        publisher.tombstone(ChangeKeys.version(target, step.version()), ticket);
      }
      send(ChangeKeys.ofKv2(target, step.operation(), step.version()), change, data, heardAt, ticket);
      sent++;
    }
    if (now != null) {
      dropPruned(target, now, ticket);
    }
    return sent;
  }

  /** Versions the primary no longer tracks ({@code max_versions}) leave the topic too. */
  private void dropPruned(Target target, KvMetadata now, InFlight.Ticket ticket) {
    long oldestKept = now.versions().isEmpty() ? now.currentVersion() + 1 : now.versions().firstKey();
    PublishedState.Kv2 state = published.kv2(target);
    if (state != null && state.oldestOnTopic() > 0 && state.oldestOnTopic() < oldestKept) {
      dropVersions(target, state, oldestKept, ticket);
      published.pruned(target, oldestKept);
    }
  }

  /**
   * Tombstones the data and state records of every version below {@code below} that may still be on
   * the topic: versions the primary pruned, or all of a deleted secret's.
   */
  private void dropVersions(Target target, PublishedState.Kv2 state, long below, InFlight.Ticket ticket) {
    if (state == null || state.oldestOnTopic() == 0) {
      return;
    }
    for (long version = state.oldestOnTopic(); version < below; version++) {
      publisher.tombstone(ChangeKeys.version(target, version), ticket);
      publisher.tombstone(ChangeKeys.versionState(target, version), ticket);
    }
  }

  private int kv1(Target target, long epoch, Instant heardAt, InFlight.Ticket ticket) {
    Instant capturedAt = clock.instant();
    Optional<SecretData> now = primary.kv1(target.mount(), target.path());
    String before = published.digest(target);
    Operation operation;
    if (now.isPresent()) {
      if (Sha256.hex(now.get().json()).equals(before)) {
        return 0;
      }
      operation = Operation.WRITE;
    } else {
      if (before == null) {
        return 0;
      }
      operation = Operation.DELETE_METADATA;
    }
    SecretChange.Builder change = change(target, Engine.KV_V1, epoch, operation, capturedAt)
        .setSourceVersion(0).setCommitTime(orElse(heardAt, null, capturedAt));
    send(target.key(), change, now.orElse(null), heardAt, ticket);
    return 1;
  }

  private int policy(Target target, long epoch, Instant heardAt, InFlight.Ticket ticket) {
    if (target.path().equals("root")) {
      return 0;
    }
    Instant capturedAt = clock.instant();
    Optional<String> now = primary.policy(target.path());
    String before = published.digest(target);
    if (now.isPresent() && Sha256.hex(now.get().getBytes(StandardCharsets.UTF_8)).equals(before)) {
      return 0;
    }
    if (now.isEmpty() && before == null) {
      return 0;
    }
    PolicyChange change = PolicyChange.newBuilder()
        .setSourceRegion(region).setEpoch(epoch).setName(target.path())
        .setOperation(now.isPresent() ? PolicyOperation.WRITE : PolicyOperation.DELETE)
        .setPolicy(now.orElse(null))
        .setCommitTime(orElse(heardAt, null, capturedAt)).setCaptureTime(capturedAt)
        .build();
    publisher.send(target.key(), change, "policy_" + change.getOperation(), heardAt == null ? null
        : change.getCommitTime(), ticket);
    published.record(change);
    return 1;
  }

  private void send(String key, SecretChange.Builder builder, SecretData data, Instant heardAt,
      InFlight.Ticket ticket) {
    SecretChange change = builder.setSealedData(null).build();
    if (data != null && change.getOperation() == Operation.WRITE) {
      SealedData sealed = sealer.seal(Envelope.of(change), data);
      change.setSealedData(sealed);
    }
    publisher.send(key, change, change.getOperation().name(), heardAt == null ? null
        : change.getCommitTime(), ticket);
    published.record(change, data);
  }

  private SecretChange.Builder change(Target target, Engine engine, long epoch, Operation operation,
      Instant capturedAt) {
    return SecretChange.newBuilder()
        .setSourceRegion(region).setEpoch(epoch)
        .setMount(target.mount()).setPath(target.path())
        .setEngine(engine).setOperation(operation)
        .setVersions(List.of()).setMetadata(null)
        .setCaptureTime(capturedAt);
  }

  /** The current epoch, if it names this region and what was published under it is known. */
  private long publishingEpoch() {
    OptionalLong epoch = epochs.publishingEpoch();
    if (epoch.isEmpty() || epoch.getAsLong() != published.epoch()) {
      throw new FencedException();
    }
    return epoch.getAsLong();
  }

  private static SecretMetadata metadata(KvSettings settings) {
    return SecretMetadata.newBuilder()
        .setCustomMetadata(settings.customMetadata().isEmpty() ? null : new HashMap<>(settings.customMetadata()))
        .setMaxVersions(settings.maxVersions())
        .setCasRequired(settings.casRequired())
        .setDeleteVersionAfter(settings.deleteVersionAfter())
        .build();
  }

  private static Instant deletedAt(KvMetadata now, List<Long> versions) {
    return versions.stream().map(v -> now.versions().get(v).deletionTime()).filter(Objects::nonNull)
        .max(Instant::compareTo).orElse(null);
  }

  private static Instant orElse(Instant first, Instant second, Instant last) {
    return first != null ? first : second != null ? second : last;
  }
}
