package dev.vaultreplicator.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.vault.KvMetadata;
import dev.vaultreplicator.vault.KvVersion;
import dev.vaultreplicator.vault.VaultGateway;
import java.io.IOException;
import java.time.Instant;
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

  static VaultSnapshot of(VaultGateway vault, Iterable<String> mounts, VersionDigests digests, Instant now) {
    KeyedDigest digest = digests.digest();
    VaultSnapshot snapshot = new VaultSnapshot();
    Map<String, Integer> kv = vault.kvMounts();
    for (String mount : mounts) {
      Integer version = kv.get(mount);
      if (version == null) {
        throw new IllegalArgumentException("'" + mount + "' is not a KV mount on " + vault.address());
      }
      for (String key : vault.keys(mount, version)) {
        if (version == 2) {
          snapshot.kv2(vault, mount, key, digests, now);
        } else {
          vault.kv1(mount, key).ifPresent(data -> snapshot.entries.put(mount + "/" + key, digest.of(canonical(data))));
        }
      }
    }
    for (String name : vault.policyNames()) {
      if (!name.equals("root")) {
        vault.policy(name).ifPresent(rules -> snapshot.entries.put("policy " + name, digest.of(rules)));
      }
    }
    return snapshot;
  }

  private void kv2(VaultGateway vault, String mount, String key, VersionDigests digests, Instant now) {
    KeyedDigest digest = digests.digest();
    Optional<KvMetadata> found = vault.kvMetadata(mount, key);
    if (found.isEmpty()) {
      return;
    }
    KvMetadata metadata = found.get();
    String name = mount + "/" + key;
    var settings = metadata.settings();
    entries.put(name + " settings", digest.of(new TreeMap<>(settings.customMetadata()) + " max_versions="
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
      entries.put(name + " v" + version.version(), state + " " + data);
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
