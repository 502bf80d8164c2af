package dev.vaultreplicator.testkit.vault.kv;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One version of a KV v2 secret; {@code data} is null once destroyed. */
record KvVersion(Instant createdTime, Instant deletionTime, boolean destroyed, ObjectNode data) {

    boolean isDeletedAt(Instant now) {
        return deletionTime != null && !deletionTime.isAfter(now);
    }

    boolean isReadableAt(Instant now) {
        return !destroyed && !isDeletedAt(now);
    }

    KvVersion deleted(Instant at) {
        return isDeletedAt(at) ? this : new KvVersion(createdTime, at, destroyed, data);
    }

    KvVersion undeleted(Instant newDeletionTime) {
        return new KvVersion(createdTime, newDeletionTime, destroyed, data);
    }

    KvVersion destroyedVersion() {
        return new KvVersion(createdTime, deletionTime, true, null);
    }
}
