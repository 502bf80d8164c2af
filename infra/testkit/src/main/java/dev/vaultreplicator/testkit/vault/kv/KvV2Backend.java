package dev.vaultreplicator.testkit.vault.kv;

import static dev.vaultreplicator.testkit.vault.core.VaultError.badRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vaultreplicator.testkit.vault.core.Backend;
import dev.vaultreplicator.testkit.vault.core.Flavour;
import dev.vaultreplicator.testkit.vault.core.GoDuration;
import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.Operation;
import dev.vaultreplicator.testkit.vault.core.VaultError;
import dev.vaultreplicator.testkit.vault.core.VaultResponse;

/**
 * The versioned KV engine (vault-plugin-secrets-kv): data, delete, undelete, destroy, metadata and
 * config paths, with version numbering, CAS, pruning and deletion times as ../shared/vault-api.md §1.
 */
public final class KvV2Backend implements Backend {

    static final String MOUNT_TYPE = "kv";
    private static final String INVALID_PATH = "Invalid path for a versioned K/V secrets engine. See the API docs for "
            + "the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv %s' for this operation.";
    private static final String ROOT_NOT_SUPPORTED = "Non-listing operations on the root of a K/V v2 mount are not supported.";

    private final ConcurrentHashMap<String, KvKey> keys = new ConcurrentHashMap<>();
    /** Sorted names for LIST; changed inside the key's compute, so it agrees with {@link #keys} per key. */
    private final ConcurrentSkipListSet<String> names = new ConcurrentSkipListSet<>();
    private volatile KvConfig config = KvConfig.DEFAULT;
    private final Flavour flavour;

    public KvV2Backend(Flavour flavour) {
        this.flavour = flavour;
    }

    @Override
    public Optional<Boolean> exists(String relativePath) {
        String[] route = route(relativePath);
        return switch (route[0]) {
            case "data", "metadata" -> Optional.of(keys.containsKey(route[1]));
            default -> Optional.empty();
        };
    }

    @Override
    public VaultResponse handle(Operation operation, String relativePath, ObjectNode data) {
        String[] route = route(relativePath);
        String section = route[0];
        String key = route[1];
        if (section.equals("config") && key == null) {
            return config(operation, data);
        }
        if (section.equals("metadata") && operation == Operation.LIST) {
            return list(key == null ? "" : key);
        }
        if (key == null || key.isEmpty()) {
            return invalidPath(ROOT_NOT_SUPPORTED);
        }
        if (key.endsWith("/")) {
            return invalidPath(INVALID_PATH.formatted(cliVerb(operation)));
        }
        return switch (section + ":" + operation) {
            case "data:READ" -> withIgnored(readData(key, data), data, "version");
            case "data:CREATE", "data:UPDATE" -> withIgnored(write(key, data), data, "data", "options", "version");
            case "data:DELETE" -> deleteLatest(key);
            case "delete:CREATE", "delete:UPDATE" -> deleteVersions(key, versions(data, "No version number provided"));
            case "undelete:CREATE", "undelete:UPDATE" -> undelete(key, versions(data, "No version number provided"));
            case "destroy:CREATE", "destroy:UPDATE" -> destroy(key, versions(data, "no version number provided"));
            case "metadata:READ" -> readMetadata(key);
            case "metadata:CREATE", "metadata:UPDATE" -> writeMetadata(key, data);
            case "metadata:DELETE" -> deleteMetadata(key);
            default -> switch (section) {
                case "data", "delete", "undelete", "destroy", "metadata" ->
                        throw new VaultError(405, "unsupported operation");
                default -> invalidPath(INVALID_PATH.formatted(cliVerb(operation)));
            };
        };
    }

    // ---- data ---------------------------------------------------------------------------------

    private VaultResponse readData(String path, ObjectNode request) {
        KvKey key = keys.get(path);
        if (key == null) {
            throw VaultError.notFound();
        }
        int requested = intField(request, "version", "error parsing version");
        int number = requested == 0 ? key.currentVersion() : requested;
        KvVersion version = key.versions().get(number);
        if (version == null) {
            throw VaultError.notFound();
        }
        ObjectNode body = Json.object();
        body.set("metadata", versionMetadata(key, number, version));
        if (!version.isReadableAt(Instant.now())) {
            body.set("data", NullNode.instance);
            return VaultResponse.data(body, MOUNT_TYPE).withStatus(404);
        }
        body.set("data", version.data());
        return VaultResponse.data(body, MOUNT_TYPE);
    }

    private VaultResponse write(String path, ObjectNode request) {
        JsonNode data = request.get("data");
        if (data == null || data.isNull()) {
            throw badRequest("no data provided");
        }
        if (!data.isObject()) {
            throw badRequest("error parsing data: expected a map");
        }
        Optional<Integer> cas = cas(request.path("options"));
        Instant now = Instant.now();
        KvConfig mount = config;
        AtomicReference<KvKey> written = new AtomicReference<>();
        keys.compute(path, (name, existing) -> {
            KvKey key = existing == null ? KvKey.empty(now) : existing;
            if (cas.isPresent()) {
                if (cas.get() != key.currentVersion()) {
                    throw badRequest("check-and-set parameter did not match the current version");
                }
            } else if (mount.casRequired() || key.casRequired()) {
                throw badRequest("check-and-set parameter required for this call");
            }
            Duration after = effectiveDeleteVersionAfter(mount, key);
            Instant deletion = after.isZero() ? null : now.plus(after);
            KvKey next = key.addVersion(new KvVersion(now, deletion, false, ((ObjectNode) data).deepCopy()),
                    mount.maxVersions());
            names.add(name);
            written.set(next);
            return next;
        });
        KvKey key = written.get();
        return VaultResponse.data(versionMetadata(key, key.currentVersion(), key.versions().get(key.currentVersion())),
                MOUNT_TYPE);
    }

    private VaultResponse deleteLatest(String path) {
        Instant now = Instant.now();
        keys.computeIfPresent(path, (name, key) -> {
            KvVersion current = key.versions().get(key.currentVersion());
            if (current == null || current.destroyed() || current.isDeletedAt(now)) {
                return key;
            }
            return key.withVersion(key.currentVersion(), current.deleted(now));
        });
        return VaultResponse.noContent();
    }

    private VaultResponse deleteVersions(String path, List<Integer> numbers) {
        Instant now = Instant.now();
        keys.computeIfPresent(path, (name, key) ->
                key.mapVersions(numbers, v -> v.destroyed() ? v : v.deleted(now)));
        return VaultResponse.noContent();
    }

    private VaultResponse undelete(String path, List<Integer> numbers) {
        KvConfig mount = config;
        keys.computeIfPresent(path, (name, key) -> {
            Duration after = effectiveDeleteVersionAfter(mount, key);
            return key.mapVersions(numbers, v -> v.destroyed() ? v
                    : v.undeleted(after.isZero() ? null : v.createdTime().plus(after)));
        });
        return VaultResponse.noContent();
    }

    private VaultResponse destroy(String path, List<Integer> numbers) {
        keys.computeIfPresent(path, (name, key) -> key.mapVersions(numbers, KvVersion::destroyedVersion));
        return VaultResponse.noContent();
    }

    // ---- metadata -----------------------------------------------------------------------------

    private VaultResponse readMetadata(String path) {
        KvKey key = keys.get(path);
        if (key == null) {
            throw VaultError.notFound();
        }
        ObjectNode body = Json.object();
        body.put("cas_required", key.casRequired());
        body.put("created_time", Json.time(key.createdTime()));
        if (flavour.versionsKvMetadata()) {
            body.put("current_metadata_version", key.metadataVersion());
        }
        body.put("current_version", key.currentVersion());
        body.set("custom_metadata", customMetadata(key));
        body.put("delete_version_after", GoDuration.format(key.deleteVersionAfter()));
        body.put("max_versions", key.maxVersions());
        if (flavour.versionsKvMetadata()) {
            body.put("metadata_cas_required", false);
        }
        body.put("oldest_version", key.oldestVersion());
        body.put("updated_time", Json.time(key.updatedTime()));
        ObjectNode versions = body.putObject("versions");
        key.versions().forEach((number, version) -> {
            ObjectNode entry = versions.putObject(Integer.toString(number));
            entry.put("created_time", Json.time(version.createdTime()));
            entry.put("deletion_time", version.deletionTime() == null ? "" : Json.time(version.deletionTime()));
            entry.put("destroyed", version.destroyed());
        });
        return VaultResponse.data(body, MOUNT_TYPE);
    }

    private VaultResponse writeMetadata(String path, ObjectNode request) {
        boolean hasMax = request.has("max_versions");
        boolean hasCas = request.has("cas_required");
        boolean hasAfter = request.has("delete_version_after");
        boolean hasCustom = request.has("custom_metadata");
        if (!hasMax && !hasCas && !hasAfter && !hasCustom) {
            return VaultResponse.noContent();
        }
        int maxVersions = hasMax ? intField(request, "max_versions", "error parsing max_versions") : 0;
        boolean casRequired = hasCas && request.get("cas_required").asBoolean();
        Duration after = hasAfter ? duration(request.get("delete_version_after"), "delete_version_after") : null;
        Map<String, String> custom = hasCustom ? validCustomMetadata(request.get("custom_metadata")) : null;
        Instant now = Instant.now();
        keys.compute(path, (name, existing) -> {
            KvKey key = existing == null ? KvKey.empty(now) : existing;
            names.add(name);
            return key.withSettings(
                    hasMax ? maxVersions : key.maxVersions(),
                    hasCas ? casRequired : key.casRequired(),
                    hasAfter ? after : key.deleteVersionAfter(),
                    hasCustom ? custom : key.customMetadata(),
                    now, existing == null, flavour.versionsKvMetadata());
        });
        if (hasCas && !casRequired && config.casRequired()) {
            return VaultResponse.noContent().withWarnings(List.of("\"cas_required\" set to false, but is mandated by "
                    + "backend config. This value will be ignored."));
        }
        return VaultResponse.noContent();
    }

    private VaultResponse deleteMetadata(String path) {
        keys.computeIfPresent(path, (name, key) -> {
            names.remove(name);
            return null;
        });
        return VaultResponse.noContent();
    }

    private VaultResponse list(String folder) {
        return VaultResponse.data(Children.listBody(names, folder), MOUNT_TYPE);
    }

    // ---- config -------------------------------------------------------------------------------

    private VaultResponse config(Operation operation, ObjectNode request) {
        if (operation == Operation.READ) {
            ObjectNode body = (ObjectNode) Json.tree(config.asBody());
            if (flavour.versionsKvMetadata()) {
                body.put("metadata_cas_required", false);
            }
            return VaultResponse.data(body, MOUNT_TYPE);
        }
        if (operation != Operation.CREATE && operation != Operation.UPDATE) {
            throw new VaultError(405, "unsupported operation");
        }
        KvConfig current = config;
        config = new KvConfig(
                request.has("max_versions") ? intField(request, "max_versions", "error parsing max_versions")
                        : current.maxVersions(),
                request.has("cas_required") ? request.get("cas_required").asBoolean() : current.casRequired(),
                request.has("delete_version_after")
                        ? normalise(duration(request.get("delete_version_after"), "delete_version_after"))
                        : current.deleteVersionAfter());
        return VaultResponse.noContent();
    }

    /** A negative delete_version_after disables it and reads back as {@code -1s}. */
    private static Duration normalise(Duration d) {
        return d.isNegative() ? Duration.ofSeconds(-1) : d;
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The shorter of the mount's and the key's positive settings. */
    private static Duration effectiveDeleteVersionAfter(KvConfig mount, KvKey key) {
        Duration a = mount.deleteVersionAfter();
        Duration b = key.deleteVersionAfter();
        boolean aOn = a.compareTo(Duration.ZERO) > 0;
        boolean bOn = b.compareTo(Duration.ZERO) > 0;
        if (aOn && bOn) {
            return a.compareTo(b) <= 0 ? a : b;
        }
        return aOn ? a : bOn ? b : Duration.ZERO;
    }

    private static ObjectNode versionMetadata(KvKey key, int number, KvVersion version) {
        ObjectNode meta = Json.object();
        meta.put("created_time", Json.time(version.createdTime()));
        meta.set("custom_metadata", customMetadata(key));
        meta.put("deletion_time", version.deletionTime() == null ? "" : Json.time(version.deletionTime()));
        meta.put("destroyed", version.destroyed());
        meta.put("version", number);
        return meta;
    }

    private static JsonNode customMetadata(KvKey key) {
        return key.customMetadata() == null ? NullNode.instance : Json.tree(key.customMetadata());
    }

    /** The CAS option is weakly decoded, as Go's mapstructure does: {@code 1} and {@code "1"} both work. */
    private static Optional<Integer> cas(JsonNode options) {
        JsonNode cas = options.get("cas");
        if (cas == null || cas.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(cas.isNumber() ? cas.intValue() : Integer.parseInt(cas.asText().trim()));
        } catch (NumberFormatException e) {
            throw badRequest("error parsing check-and-set parameter");
        }
    }

    private static List<Integer> versions(ObjectNode request, String emptyMessage) {
        JsonNode node = request.get("versions");
        List<Integer> numbers = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> numbers.add(n.isNumber() ? n.intValue() : Integer.parseInt(n.asText().trim())));
        } else if (node != null && !node.isNull()) {
            for (String part : node.asText().split(",")) {
                if (!part.isBlank()) {
                    numbers.add(Integer.parseInt(part.trim()));
                }
            }
        }
        if (numbers.isEmpty()) {
            throw badRequest(emptyMessage);
        }
        return numbers;
    }

    private static int intField(ObjectNode request, String field, String error) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return 0;
        }
        try {
            return node.isNumber() ? node.intValue() : Integer.parseInt(node.asText().trim());
        } catch (NumberFormatException e) {
            throw badRequest(error);
        }
    }

    private static Duration duration(JsonNode node, String field) {
        try {
            return GoDuration.parse(node);
        } catch (IllegalArgumentException e) {
            throw badRequest("error parsing " + field + ": " + e.getMessage());
        }
    }

    private static Map<String, String> validCustomMetadata(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw badRequest("custom_metadata validation failed: expected a map of strings");
        }
        Map<String, String> custom = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (node.size() > 64) {
            problems.add("payload must contain at most 64 keys, provided " + node.size());
        }
        node.fields().forEachRemaining(e -> {
            String value = e.getValue().asText();
            if (e.getKey().isEmpty() || e.getKey().length() > 128) {
                problems.add("length of key \"" + e.getKey() + "\" is " + e.getKey().length()
                        + " which exceeds the limit of 128");
            }
            if (value.isEmpty() || value.length() > 512) {
                problems.add("length of value for key \"" + e.getKey() + "\" is " + value.length()
                        + " which exceeds the limit of 512");
            }
            custom.put(e.getKey(), value);
        });
        if (!problems.isEmpty()) {
            throw badRequest("custom_metadata validation failed: " + String.join("; ", problems));
        }
        return custom;
    }

    private static VaultResponse withIgnored(VaultResponse response, ObjectNode request, String... known) {
        Set<String> unknown = new TreeSet<>();
        request.fieldNames().forEachRemaining(unknown::add);
        unknown.removeAll(Set.of(known));
        if (unknown.isEmpty() || response.status() != 200) {
            return response;
        }
        return response.withWarnings(List.of("Endpoint ignored these unrecognized parameters: "
                + unknown.toString().replace(",", "")));
    }

    private static VaultResponse invalidPath(String warning) {
        return VaultResponse.data(null, MOUNT_TYPE).withWarnings(List.of(warning)).withStatus(404);
    }

    private static String cliVerb(Operation operation) {
        return switch (operation) {
            case READ -> "get";
            case LIST -> "list";
            case DELETE -> "delete";
            case PATCH -> "patch";
            default -> "put";
        };
    }

    /** {@code data/a/b} → {@code ["data", "a/b"]}; {@code config} → {@code ["config", null]}. */
    private static String[] route(String relativePath) {
        int slash = relativePath.indexOf('/');
        return slash < 0 ? new String[] {relativePath, null}
                : new String[] {relativePath.substring(0, slash), relativePath.substring(slash + 1)};
    }

    // ---- persistence --------------------------------------------------------------------------

    @Override
    public JsonNode snapshot() {
        ObjectNode state = Json.object();
        state.set("config", Json.tree(config));
        state.set("keys", Json.tree(Map.copyOf(keys)));
        return state;
    }

    @Override
    public ObjectNode changeRecord(String relativePath) {
        String[] route = route(relativePath);
        ObjectNode record = Json.object();
        if (route[1] == null) {
            return record.set("config", Json.tree(config));
        }
        KvKey key = keys.get(route[1]);
        return record.put("key", route[1]).set("state", key == null ? NullNode.getInstance() : Json.tree(key));
    }

    @Override
    public void restoreChange(JsonNode record) {
        if (record.has("config")) {
            config = Json.MAPPER.convertValue(record.get("config"), KvConfig.class);
            return;
        }
        String name = record.get("key").asText();
        JsonNode state = record.get("state");
        if (state == null || state.isNull()) {
            keys.remove(name);
            names.remove(name);
        } else {
            keys.put(name, Json.MAPPER.convertValue(state, KvKey.class));
            names.add(name);
        }
    }

    @Override
    public void restore(JsonNode snapshot) {
        config = Json.MAPPER.convertValue(snapshot.get("config"), KvConfig.class);
        Map<String, KvKey> restored = Json.MAPPER.convertValue(snapshot.get("keys"), new TypeReference<>() { });
        keys.clear();
        names.clear();
        keys.putAll(restored);
        names.addAll(restored.keySet());
    }
}
