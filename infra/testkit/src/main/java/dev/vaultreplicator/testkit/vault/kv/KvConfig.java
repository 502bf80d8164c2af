package dev.vaultreplicator.testkit.vault.kv;

import java.time.Duration;
import java.util.Map;

import dev.vaultreplicator.testkit.vault.core.GoDuration;

/** A KV v2 mount's {@code config}: defaults every key inherits. */
record KvConfig(int maxVersions, boolean casRequired, Duration deleteVersionAfter) {

    static final KvConfig DEFAULT = new KvConfig(0, false, Duration.ZERO);

    Map<String, Object> asBody() {
        return Map.of("cas_required", casRequired, "delete_version_after", GoDuration.format(deleteVersionAfter),
                "max_versions", maxVersions);
    }
}
