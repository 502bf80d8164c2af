package dev.vaultreplicator.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.vault.KvMetadata;
import dev.vaultreplicator.vault.KvVersion;
import dev.vaultreplicator.vault.VaultGateway;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One Vault's replicated state reduced to keyed digests: per KV key, its settings and each
 * version's state and data digest; per KV v1 key its data digest; per policy its rules digest.
 * Values never leave this class in clear.
 */
final class VaultSnapshot {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Everything compared, by a name a person reads: "secret/app/db v3", "secret/app/db settings", "policy x". */
  final Map<String, String> entries = new TreeMap<>();
  /** The subject of each entry. */
  final Map<String, Subject> subjects = new HashMap<>();

  /** Every key of the mounts, and every policy but root. */
  static VaultSnapshot of(VaultGateway vault, Iterable<String> mounts, VersionDigests digests, Instant now) {
    VaultSnapshot snapshot = new VaultSnapshot();
    Map<String, Integer> kv = vault.kvMounts();
    for (String mount : mounts) {
      Integer version = kv.get(mount);
      if (version == null) {
        throw new IllegalArgumentException("'" + mount + "' is not a KV mount on " + vault.address());
      }
      for (String key : vault.keys(mount, version)) {
        snapshot.read(vault, version == 2 ? Subject.kv2(mount, key) : Subject.kv1(mount, key), digests, now);
      }
    }
    for (String name : vault.policyNames()) {
      if (!name.equals("root")) {
        snapshot.read(vault, Subject.policy(name), digests, now);
      }
    }
    return snapshot;
  }

  /** Only these subjects: a comparison repeated for what differed. */
  static VaultSnapshot of(VaultGateway vault, Collection<Subject> subjects, VersionDigests digests, Instant now) {
    VaultSnapshot snapshot = new VaultSnapshot();
    subjects.forEach(subject -> snapshot.read(vault, subject, digests, now));
    return snapshot;
  }

  private void read(VaultGateway vault, Subject subject, VersionDigests digests, Instant now) {
    KeyedDigest digest = digests.digest();
    switch (subject.kind()) {
      case KV2 -> kv2(vault, subject, digests, now);
      case KV1 -> vault.kv1(subject.mount(), subject.name())
          .ifPresent(data -> put(subject.toString(), subject, digest.of(canonical(data))));
      case POLICY -> vault.policy(subject.name()).ifPresent(rules -> put(subject.toString(), subject, digest.of(rules)));
    }
  }

  private void put(String entry, Subject subject, String digest) {
    entries.put(entry, digest);
    subjects.put(entry, subject);
  }

  private void kv2(VaultGateway vault, Subject subject, VersionDigests digests, Instant now) {
    KeyedDigest digest = digests.digest();
    String mount = subject.mount();
    String key = subject.name();
    Optional<KvMetadata> found = vault.kvMetadata(mount, key);
    if (found.isEmpty()) {
      return;
    }
    KvMetadata metadata = found.get();
    String name = subject.toString();
    var settings = metadata.settings();
    put(name + " settings", subject, digest.of(new TreeMap<>(settings.customMetadata()) + " max_versions="
        + settings.maxVersions() + " cas_required=" + settings.casRequired() + " delete_version_after="
        + settings.deleteVersionAfter() + " current_version=" + metadata.currentVersion()));
    for (KvVersion version : metadata.versions().values()) {
      String state = version.stateAt(now).name();
      String data = switch (version.stateAt(now)) {
        case LIVE -> Objects.requireNonNullElse(digests.of(
            new VersionDigests.Version(vault.address().toString(), mount, key, version.version(), version.createdTime()),
            () -> vault.kvVersion(mount, key, version.version()).map(VaultSnapshot::canonical).orElse(null)), "gone");
        case DELETED, DESTROYED -> "-";
      };
      put(name + " v" + version.version(), subject, state + " " + data);
    }
  }

  /** The data as a sorted JSON tree, so that key order never counts as a difference. */
  private static byte[] canonical(SecretData data) {
    try {
      JsonNode tree = JSON.readTree(data.json());
      Object sorted = JSON.treeToValue(tree, TreeMap.class);
      return JSON.writeValueAsBytes(sorted);
    } catch (IOException e) {
      return data.json();
    }
  }
}
