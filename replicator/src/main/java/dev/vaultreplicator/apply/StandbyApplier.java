package dev.vaultreplicator.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.ReplicatorException;
import dev.vaultreplicator.apply.PathRemap.Location;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.PolicyOperation;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.events.SecretMetadata;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.vault.KvMetadata;
import dev.vaultreplicator.vault.KvSettings;
import dev.vaultreplicator.vault.KvVersion;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.vault.VaultWriter;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one event true on the standby, exactly once in effect. KV v2 writes quote the standby's
 * expected current version ({@code cas}); when it is not what apply expected (a replay after a
 * crash, a standby with a history of its own), the standby is read, never written blindly: a
 * version already there with the same data is adopted, not written again. Every call is safe to
 * repeat, so the caller retries the whole event on a retriable failure.
 */
final class StandbyApplier {

  /** What applying one event came to. */
  sealed interface Outcome {
    /** The event is now true on the standby; {@code state} is the key's next state (null: forget the key). */
    record Applied(KeyState state, boolean adopted) implements Outcome { }

    record Skipped(SkipReason reason) implements Outcome { }
  }

  /** Data of a version that vanished on the primary before capture read it; soft-deleted at once. */
  static final SecretData PLACEHOLDER = SecretData.ofJson("{}");

  private static final int CAS_ATTEMPTS = 5;
  /** Versions per destroy call when placeholders are destroyed. */
  private static final int DESTROY_BATCH = 100;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(StandbyApplier.class);

  private final VaultWriter writer;
  private final VaultGateway reader;
  private final PathRemap remap;

  StandbyApplier(VaultWriter writer, VaultGateway reader, PathRemap remap) {
    this.writer = writer;
    this.reader = reader;
    this.remap = remap;
  }

  Location locate(SecretChange change) {
    return remap.locate(change.getMount(), change.getPath());
  }

  /** A KV v1 change; it has no versions, so writing it again is harmless. */
  Outcome kv1(SecretChange change, SecretData data) {
    Location at = locate(change);
    if (change.getOperation() == Operation.WRITE) {
      writer.kv1Write(at.mount(), at.path(), data);
    } else {
      writer.kv1Delete(at.mount(), at.path());
    }
    return new Outcome.Applied(null, false);
  }

  Outcome policy(PolicyChange change) {
    if (change.getOperation() == PolicyOperation.WRITE) {
      writer.policyWrite(change.getName(), change.getPolicy());
    } else {
      writer.policyDelete(change.getName());
    }
    return new Outcome.Applied(null, false);
  }

  /**
   * @param known what the store holds for the key, or null
   * @param data the opened data of a WRITE; null for other operations and for a vanished version
   */
  Outcome kv2(SecretChange change, SecretData data, KeyState known) {
    Location at = locate(change);
    KeyState state = known != null && known.source().equals(change.getSourceRegion()) ? known
        : KeyState.empty(change.getSourceRegion());
    return switch (change.getOperation()) {
      case WRITE -> write(at, change, data, state);
      case SOFT_DELETE -> versions(at, state, change, v -> writer.kvSoftDelete(at.mount(), at.path(), v));
      case UNDELETE -> versions(at, state, change, v -> writer.kvUndelete(at.mount(), at.path(), v));
      case DESTROY -> versions(at, state, change, v -> writer.kvDestroy(at.mount(), at.path(), v));
      case METADATA -> new Outcome.Applied(settings(at, change, state), false);
      case DELETE_METADATA -> {
        writer.kvDeleteMetadata(at.mount(), at.path());
        yield new Outcome.Applied(null, false);
      }
      case UNKNOWN -> throw new IllegalStateException("DecodeAndOpen lets no UNKNOWN operation through");
    };
  }

  private Outcome write(Location at, SecretChange change, SecretData data, KeyState state) {
    long version = change.getSourceVersion();
    if (state.lastSource() >= version) {
      return new Outcome.Skipped(SkipReason.DUPLICATE);
    }
    SecretData payload = data != null ? data : PLACEHOLDER;
    long written = createdWithDefaults(at, change, state, payload);
    if (written > 0) {
      state = state.withSettings(KvSettings.DEFAULTS);
    } else {
      state = fillGap(at, settings(at, change, state), version - 1);
    }
    long expected = state.knowsStandby() ? state.standbyCurrent() : 0;
    boolean adopted = false;
    for (int attempt = 0; attempt < CAS_ATTEMPTS && written < 0; attempt++) {
      OptionalLong created = writer.kvWrite(at.mount(), at.path(), payload, expected);
      if (created.isPresent()) {
        written = created.getAsLong();
        break;
      }
      KvMetadata standby = reader.kvMetadata(at.mount(), at.path()).orElse(null);
      long current = standby == null ? 0 : standby.currentVersion();
      OptionalLong there = alreadyThere(at, standby, payload, state, expected, version);
      if (there.isPresent()) {
        written = there.getAsLong();
        adopted = true;
      } else {
        LOG.warn("{}/{}: the standby is at version {}, not {}, and holds no copy of source version {}; "
            + "writing it on top", at.mount(), at.path(), current, expected, version);
      }
      expected = current;
    }
    if (written < 0) {
      throw new StandbyContentionException(at, CAS_ATTEMPTS);
    }
    if (data == null) {
      writer.kvSoftDelete(at.mount(), at.path(), List.of(written));
    }
    return new Outcome.Applied(state.written(version, written), adopted);
  }

  /**
   * A key's first version with the default settings, on a standby that does not hold the key,
   * needs no settings write: creating the key with {@code cas=0} gives it exactly those. This
   * halves the standby writes of a bootstrap. Returns the version created, or -1 when the
   * shortcut does not apply or the key was there after all (the usual path then writes settings).
   */
  private long createdWithDefaults(Location at, SecretChange change, KeyState state, SecretData payload) {
    boolean unknownKey = !state.knowsStandby() && state.settings() == null && state.lastSource() == 0;
    if (!unknownKey || change.getSourceVersion() != 1 || !KvSettings.DEFAULTS.equals(settingsOf(change.getMetadata()))) {
      return -1;
    }
    return writer.kvWrite(at.mount(), at.path(), payload, 0).orElse(-1);
  }

  /**
   * Source versions up to {@code upTo} that the changes topic no longer holds still take their
   * numbers on the standby, as destroyed placeholders, so every later version keeps the primary's
   * number. Compaction removes a version's data only once the primary pruned or destroyed it, so a
   * new region meets such a gap below a secret's first version, and a region reading far behind
   * meets one above its last.
   *
   * <p>Standby versions in the gap that are already there were written by apply before a crash (or,
   * for a key apply does not know, while the standby was itself primary): they are not written
   * again, and whatever data they hold is destroyed, since the primary holds none for them.
   */
  private KeyState fillGap(Location at, KeyState state, long upTo) {
    if (upTo <= state.lastSource()) {
      return state;
    }
    long shift = state.knowsStandby() ? state.standbyCurrent() - state.lastSource() : 0;
    long after = state.knowsStandby() ? state.standbyCurrent() : 0;
    long target = upTo + shift;
    long current = standbyCurrent(at);
    for (int contended = 0; current < target; ) {
      OptionalLong created = writer.kvWrite(at.mount(), at.path(), PLACEHOLDER, current);
      if (created.isPresent()) {
        current = created.getAsLong();
      } else if (++contended < CAS_ATTEMPTS) {
        current = standbyCurrent(at);
      } else {
        throw new StandbyContentionException(at, CAS_ATTEMPTS);
      }
    }
    destroyHeld(at, after, target);
    LOG.info("{}/{}: source versions {} to {} are no longer on the changes topic; standby versions {} to {} "
        + "hold their places, destroyed", at.mount(), at.path(), state.lastSource() + 1, upTo, after + 1, target);
    return state.gapFilled(upTo, target);
  }

  private long standbyCurrent(Location at) {
    return reader.kvMetadata(at.mount(), at.path()).map(KvMetadata::currentVersion).orElse(0L);
  }

  /** Destroys the standby versions in {@code (after, upTo]} that still hold data, a bounded number per call. */
  private void destroyHeld(Location at, long after, long upTo) {
    KvMetadata standby = reader.kvMetadata(at.mount(), at.path()).orElse(null);
    if (standby == null) {
      return;
    }
    List<Long> held = standby.versions().subMap(after, false, upTo, true).values().stream()
        .filter(version -> !version.destroyed()).map(KvVersion::version).toList();
    for (int from = 0; from < held.size(); from += DESTROY_BATCH) {
      writer.kvDestroy(at.mount(), at.path(), held.subList(from, Math.min(held.size(), from + DESTROY_BATCH)));
    }
  }

  /**
   * The standby version that already holds this source version, if one does.
   *
   * <p>When apply knows the key, the standby's versions after the one it last committed were
   * written by apply itself before a crash stopped it from committing, in the order the replay
   * brings them again: the next one is this source version. Its data is compared when the standby
   * still has it; once it is gone (pruned by {@code max_versions} after a long uncommitted run,
   * deleted or destroyed by a later event also replayed), its position is the proof. This holds
   * because nothing but apply writes to a standby (docs/apply.md).
   *
   * <p>When apply knows nothing of the key (its first commit never happened, or the standby once
   * was this source's primary: a failback), the same version number is the candidate: it must
   * hold the same data, unless the standby pruned it, in which case writing it again would only
   * add a version the primary never had.
   */
  private OptionalLong alreadyThere(Location at, KvMetadata standby, SecretData payload, KeyState state,
      long expected, long version) {
    if (standby == null) {
      return OptionalLong.empty();
    }
    if (state.knowsStandby()) {
      long next = expected + 1;
      if (next > standby.currentVersion()) {
        return OptionalLong.empty();
      }
      Optional<SecretData> held = standby.versions().containsKey(next)
          ? reader.kvVersion(at.mount(), at.path(), next) : Optional.empty();
      return held.isEmpty() || sameJson(held.get(), payload) ? OptionalLong.of(next) : OptionalLong.empty();
    }
    if (version > standby.currentVersion()) {
      return OptionalLong.empty();
    }
    if (!standby.versions().containsKey(version)) {
      return OptionalLong.of(version);
    }
    Optional<SecretData> held = reader.kvVersion(at.mount(), at.path(), version);
    boolean same = held.isEmpty() ? payload == PLACEHOLDER : sameJson(held.get(), payload);
    return same ? OptionalLong.of(version) : OptionalLong.empty();
  }

  /** Vault answers with the keys of a secret sorted; what capture sealed may be in another order. */
  private static boolean sameJson(SecretData a, SecretData b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return JSON.readTree(a.json()).equals(JSON.readTree(b.json()));
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes the key's settings when they differ from those last written; returns the state that records them. */
  private KeyState settings(Location at, SecretChange change, KeyState state) {
    KvSettings settings = settingsOf(change.getMetadata());
    if (settings == null || settings.equals(state.settings())) {
      return state;
    }
    boolean hadCustom = state.settings() != null && !state.settings().customMetadata().isEmpty();
    writer.kvSettings(at.mount(), at.path(), settings, hadCustom);
    return state.withSettings(settings);
  }

  /** A soft delete, undelete or destroy; a version beyond the last applied one fills the gap up to it first. */
  private Outcome versions(Location at, KeyState state, SecretChange change, VersionCall call) {
    state = fillGap(at, state, change.getVersions().stream().mapToLong(Long::longValue).max().orElse(0));
    List<Long> standbyVersions = change.getVersions().stream().map(state::standbyVersion).filter(v -> v > 0)
        .distinct().toList();
    if (!standbyVersions.isEmpty()) {
      call.on(standbyVersions);
    }
    return new Outcome.Applied(state, false);
  }

  private static KvSettings settingsOf(SecretMetadata metadata) {
    if (metadata == null) {
      return null;
    }
    Map<String, String> custom = metadata.getCustomMetadata() == null ? Map.of() : metadata.getCustomMetadata();
    return new KvSettings(custom, metadata.getMaxVersions(), metadata.getCasRequired(),
        metadata.getDeleteVersionAfter());
  }

  @FunctionalInterface
  private interface VersionCall {
    void on(List<Long> versions);
  }

  /** Someone else keeps writing the same key on the standby: retriable, and worth a look. */
  static final class StandbyContentionException extends ReplicatorException {
    StandbyContentionException(Location at, int attempts) {
      super("the standby's current version of " + at + " changed under apply " + attempts + " times in a row");
    }
  }
}
