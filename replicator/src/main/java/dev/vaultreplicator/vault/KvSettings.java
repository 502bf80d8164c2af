package dev.vaultreplicator.vault;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The per-key settings of a KV v2 secret, as its metadata reports them.
 *
 * @param customMetadata never null; empty when Vault reports {@code null}
 * @param deleteVersionAfter a Go duration string, exactly as Vault reports it
 */
public record KvSettings(Map<String, String> customMetadata, int maxVersions, boolean casRequired,
    String deleteVersionAfter) {

  public static final KvSettings DEFAULTS = new KvSettings(Map.of(), 0, false, "0s");

  public KvSettings {
    customMetadata = Map.copyOf(requireNonNull(customMetadata, "customMetadata"));
    requireNonNull(deleteVersionAfter, "deleteVersionAfter");
  }
}
