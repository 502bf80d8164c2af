package dev.vaultreplicator.testkit.vault.kv;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vaultreplicator.testkit.vault.core.Backend;
import dev.vaultreplicator.testkit.vault.core.GoDuration;
import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.Operation;
import dev.vaultreplicator.testkit.vault.core.VaultError;
import dev.vaultreplicator.testkit.vault.core.VaultResponse;

/** The unversioned KV engine: one JSON object per path, replaced whole on every write (vault-api.md §2). */
public final class KvV1Backend implements Backend {

    /** The mount's default lease TTL, 768 h, which a read reports as lease_duration. */
    private static final long DEFAULT_LEASE_SECONDS = Duration.ofHours(768).toSeconds();

    private final ConcurrentHashMap<String, ObjectNode> entries = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<String> names = new ConcurrentSkipListSet<>();

    @Override
    public Optional<Boolean> exists(String relativePath) {
        return Optional.of(entries.containsKey(relativePath));
    }

    @Override
    public VaultResponse handle(Operation operation, String path, ObjectNode data) {
        return switch (operation) {
            case READ -> read(path);
            case CREATE, UPDATE -> write(path, data);
            case DELETE -> delete(path);
            case LIST -> list(path);
            case PATCH -> throw new VaultError(405, "unsupported operation");
        };
    }

    private VaultResponse read(String path) {
        ObjectNode entry = entries.get(path);
        if (entry == null) {
            throw VaultError.notFound();
        }
        return VaultResponse.data(entry.deepCopy(), KvV2Backend.MOUNT_TYPE).withLeaseDuration(leaseSeconds(entry));
    }

    /** lease_duration is advisory on KV v1: a {@code ttl} (or {@code lease}) inside the data, else the mount's. */
    static long leaseSeconds(JsonNode entry) {
        JsonNode ttl = entry.has("ttl") ? entry.get("ttl") : entry.get("lease");
        if (ttl == null) {
            return DEFAULT_LEASE_SECONDS;
        }
        try {
            return GoDuration.parse(ttl).toSeconds();
        } catch (IllegalArgumentException e) {
            return DEFAULT_LEASE_SECONDS;
        }
    }

    private VaultResponse write(String path, ObjectNode data) {
        if (data.isEmpty()) {
            throw VaultError.badRequest("missing data fields");
        }
        ObjectNode copy = data.deepCopy();
        entries.compute(path, (name, old) -> {
            names.add(name);
            return copy;
        });
        return VaultResponse.noContent();
    }

    private VaultResponse delete(String path) {
        entries.computeIfPresent(path, (name, old) -> {
            names.remove(name);
            return null;
        });
        return VaultResponse.noContent();
    }

    private VaultResponse list(String folder) {
        return VaultResponse.data(Children.listBody(names, folder), KvV2Backend.MOUNT_TYPE);
    }

    @Override
    public ObjectNode changeRecord(String relativePath) {
        ObjectNode entry = entries.get(relativePath);
        return Json.object().put("key", relativePath).set("state", entry == null ? NullNode.getInstance() : entry);
    }

    @Override
    public void restoreChange(JsonNode record) {
        String name = record.get("key").asText();
        JsonNode state = record.get("state");
        if (state == null || state.isNull()) {
            entries.remove(name);
            names.remove(name);
        } else {
            entries.put(name, (ObjectNode) state);
            names.add(name);
        }
    }

    @Override
    public JsonNode snapshot() {
        return Json.tree(Map.copyOf(entries));
    }

    @Override
    public void restore(JsonNode snapshot) {
        Map<String, ObjectNode> restored = Json.MAPPER.convertValue(snapshot, new TypeReference<>() { });
        entries.clear();
        names.clear();
        entries.putAll(restored);
        names.addAll(restored.keySet());
    }
}
