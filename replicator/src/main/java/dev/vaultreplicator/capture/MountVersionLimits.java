package dev.vaultreplicator.capture;

import dev.vaultreplicator.vault.VaultGateway;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each KV v2 mount's {@code max_versions}, read from {@code <mount>/config} on first use and again
 * after its audit line or a scan: with a key's own setting it decides which versions a write prunes.
 */
final class MountVersionLimits {

  /** What KV v2 keeps when neither the key nor its mount sets {@code max_versions}. */
  static final int ENGINE_DEFAULT = 10;

  private final VaultGateway primary;
  private final Map<String, OptionalInt> known = new ConcurrentHashMap<>();

  MountVersionLimits(VaultGateway primary) {
    this.primary = primary;
  }

  /**
   * How many versions of a key the primary keeps: the larger of the key's and the mount's
   * {@code max_versions}, the engine's default when neither is set (as the KV plugin counts);
   * empty when this token may not read the mount's config.
   */
  OptionalInt kept(String mount, int keyMaxVersions) {
    OptionalInt mountMax = known.computeIfAbsent(mount, primary::kvMountMaxVersions);
    if (mountMax.isEmpty()) {
      return mountMax;
    }
    int limit = Math.max(keyMaxVersions, mountMax.getAsInt());
    return OptionalInt.of(limit == 0 ? ENGINE_DEFAULT : limit);
  }

  /** {@code mount}'s config was written. */
  void forget(String mount) {
    known.remove(mount);
  }

  /** A scan starts: a change to a config may have been among the lines a gap lost. */
  void forgetAll() {
    known.clear();
  }
}
