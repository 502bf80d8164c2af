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
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.vault.VaultWriter;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

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
  private static final ObjectMapper JSON = new ObjectMapper();

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
      case SOFT_DELETE -> versions(state, change, v -> writer.kvSoftDelete(at.mount(), at.path(), v));
      case UNDELETE -> versions(state, change, v -> writer.kvUndelete(at.mount(), at.path(), v));
      case DESTROY -> versions(state, change, v -> writer.kvDestroy(at.mount(), at.path(), v));
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
    state = settings(at, change, state);
    SecretData payload = data != null ? data : PLACEHOLDER;
    long expected = state.knowsStandby() ? state.standbyCurrent() : 0;
    boolean adopted = false;
    long written = -1;
    for (int attempt = 0; attempt < CAS_ATTEMPTS && written < 0; attempt++) {
      OptionalLong created = writer.kvWrite(at.mount(), at.path(), payload, expected);
      if (created.isPresent()) {
        written = created.getAsLong();
        break;
      }
      KvMetadata standby = reader.kvMetadata(at.mount(), at.path()).orElse(null);
      long current = standby == null ? 0 : standby.currentVersion();
      OptionalLong there = alreadyThere(at, standby, payload, candidates(state, expected, version, current));
      if (there.isPresent()) {
        written = there.getAsLong();
        adopted = true;
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
   * Standby versions that may already hold this source version: the one after the expected
   * current (apply wrote it, then crashed before committing), and, when nothing is known of the
   * key, the same number (a standby that once was this source's primary, after a failback).
   */
  private static Set<Long> candidates(KeyState state, long expected, long version, long current) {
    Set<Long> candidates = new LinkedHashSet<>();
    if (expected + 1 <= current) {
      candidates.add(expected + 1);
    }
    if (state.versions().isEmpty() && version <= current) {
      candidates.add(version);
    }
    return candidates;
  }

  private OptionalLong alreadyThere(Location at, KvMetadata standby, SecretData payload, Set<Long> candidates) {
    if (standby == null) {
      return OptionalLong.empty();
    }
    for (long candidate : candidates) {
      if (!standby.versions().containsKey(candidate)) {
        continue;
      }
      Optional<SecretData> held = reader.kvVersion(at.mount(), at.path(), candidate);
      boolean placeholderDeleted = payload == PLACEHOLDER && held.isEmpty();
      if (placeholderDeleted || held.filter(h -> sameJson(h, payload)).isPresent()) {
        return OptionalLong.of(candidate);
      }
    }
    return OptionalLong.empty();
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

  private Outcome versions(KeyState state, SecretChange change, VersionCall call) {
    List<Long> standbyVersions = change.getVersions().stream().map(state::standbyVersion).filter(v -> v > 0)
        .distinct().toList();
    call.on(standbyVersions);
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
