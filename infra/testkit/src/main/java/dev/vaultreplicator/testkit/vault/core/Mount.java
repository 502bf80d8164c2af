package dev.vaultreplicator.testkit.vault.core;

import java.util.UUID;

/** A mount table entry: where an engine lives and what {@code sys/mounts} and audit entries say about it. */
public record Mount(String path, String type, String version, String accessor, String uuid, String description,
                    Backend backend) {

    public static Mount of(String path, String type, String version, String description, Backend backend) {
        String accessor = type + "_" + UUID.randomUUID().toString().substring(0, 8);
        return new Mount(path, type, version, accessor, UUID.randomUUID().toString(), description, backend);
    }

    /** The path inside this mount: {@code secret/data/a} → {@code data/a}; the mount itself → empty. */
    public String relative(String requestPath) {
        return requestPath.length() > path.length() ? requestPath.substring(path.length()) : "";
    }

    public boolean isKv() {
        return "kv".equals(type);
    }
}
