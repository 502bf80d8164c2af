package dev.vaultreplicator.testkit.vault.kv;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A KV v2 key's metadata and its tracked versions, immutable: every change makes a new one, so a
 * read never sees half of a write and needs no lock.
 *
 * @param metadataVersion OpenBao's {@code current_metadata_version}: 0 for metadata a data write
 *                        made, 1 for metadata a metadata write made, one more on each later one
 */
record KvKey(int currentVersion, int oldestVersion, int maxVersions, boolean casRequired, Duration deleteVersionAfter,
             Map<String, String> customMetadata, Instant createdTime, Instant updatedTime, int metadataVersion,
             NavigableMap<Integer, KvVersion> versions) {

    KvKey {
        versions = java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(versions));
    }

    static KvKey empty(Instant now) {
        return new KvKey(0, 0, 0, false, Duration.ZERO, null, now, now, 0, new TreeMap<>());
    }

    KvKey withVersion(int number, KvVersion version) {
        TreeMap<Integer, KvVersion> changed = new TreeMap<>(versions);
        changed.put(number, version);
        return new KvKey(currentVersion, oldestVersion, maxVersions, casRequired, deleteVersionAfter, customMetadata,
                createdTime, updatedTime, metadataVersion, changed);
    }

    KvKey mapVersions(Iterable<Integer> numbers, UnaryOperator<KvVersion> change) {
        KvKey result = this;
        for (int number : numbers) {
            KvVersion version = result.versions.get(number);
            if (version != null) {
                result = result.withVersion(number, change.apply(version));
            }
        }
        return result;
    }

    /** Adds the next version and prunes what the effective limit no longer keeps (plugin's AddVersion). */
    KvKey addVersion(KvVersion version, int mountMaxVersions) {
        int number = currentVersion + 1;
        TreeMap<Integer, KvVersion> changed = new TreeMap<>(versions);
        changed.put(number, version);
        int limit = Math.max(maxVersions, mountMaxVersions);
        if (limit == 0) {
            limit = 10;
        }
        int oldest = oldestVersion;
        if (number - oldest >= limit) {
            int lastRemoved = number - limit;
            changed.headMap(lastRemoved, true).clear();
            oldest = lastRemoved + 1;
        }
        return new KvKey(number, oldest, maxVersions, casRequired, deleteVersionAfter, customMetadata, createdTime,
                version.createdTime(), metadataVersion, changed);
    }

    /**
     * @param versioned OpenBao's way: the write counts as a metadata version and moves
     *                  {@code updated_time}; Vault's leaves {@code updated_time} at the last data write
     */
    KvKey withSettings(int newMaxVersions, boolean newCasRequired, Duration newDeleteVersionAfter,
                       Map<String, String> newCustomMetadata, Instant now, boolean fresh, boolean versioned) {
        Instant updated = versioned || currentVersion == 0 ? now : updatedTime;
        return new KvKey(currentVersion, oldestVersion, newMaxVersions, newCasRequired, newDeleteVersionAfter,
                newCustomMetadata, createdTime, updated, fresh ? 1 : metadataVersion + 1, versions);
    }
}
