package dev.vaultreplicator.testkit.vault.audit;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.vaultreplicator.testkit.vault.core.Flavour;
import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.VaultError;
import dev.vaultreplicator.testkit.vault.core.VaultResponse;

/**
 * The enabled audit devices, and the entries written to them: a {@code request} entry before the
 * handler runs and a {@code response} entry after, in Vault's JSON format with strings HMAC'd
 * (vault-api.md §10). A request goes on if at least one device took its entry.
 */
public final class AuditBroker implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final ConcurrentHashMap<String, AuditDevice> devices = new ConcurrentHashMap<>();
    private final Flavour flavour;
    /** Paths of the devices the operator declared, as OpenBao's config file does; the rest came through the API. */
    private final java.util.Set<String> declared = ConcurrentHashMap.newKeySet();

    public AuditBroker(Flavour flavour) {
        this.flavour = flavour;
    }

    public boolean isEmpty() {
        return devices.isEmpty();
    }

    public void enable(String path, String type, Map<String, String> options) {
        enable(path, type, options, randomSalt(), !"true".equals(options.get("skip_test")));
    }

    private void enable(String path, String type, Map<String, String> options, byte[] salt, boolean test) {
        if (devices.containsKey(path)) {
            throw VaultError.badRequest("path already in use");
        }
        AuditDevice device;
        try {
            device = AuditDevice.of(type, path, options, salt);
        } catch (IllegalArgumentException e) {
            throw VaultError.badRequest(e.getMessage());
        }
        if (test && !device.write(testProbe(device))) {
            device.close();
            throw VaultError.badRequest("audit backend failed test message: " + (type.equals("socket")
                    ? "dial tcp " + options.get("address") + ": connect: connection refused"
                    : "open " + options.get("file_path") + ": permission denied"));
        }
        devices.put(path, device);
    }

    /**
     * Makes the declared devices exactly these, as OpenBao does from its config file at start and
     * on SIGHUP: devices no longer declared are removed, new ones are tested with a probe line and
     * added, and a device declared before is kept as it is (its salt too, so hashes stay the same).
     */
    public synchronized void declare(List<dev.vaultreplicator.testkit.vault.AuditDeclaration> wanted) {
        java.util.Set<String> paths = new java.util.HashSet<>();
        wanted.forEach(device -> paths.add(withSlash(device.path())));
        for (String path : List.copyOf(declared)) {
            if (!paths.contains(path)) {
                disable(path);
                declared.remove(path);
            }
        }
        for (var device : wanted) {
            String path = withSlash(device.path());
            if (!declared.contains(path)) {
                enable(path, device.type(), device.options());
                declared.add(path);
            }
        }
    }

    private static String withSlash(String path) {
        return path.endsWith("/") ? path : path + "/";
    }

    public void disable(String path) {
        AuditDevice device = devices.remove(path);
        if (device != null) {
            device.close();
        }
    }

    /** {@code sys/audit}: a map keyed by path with a trailing slash. */
    public ObjectNode describe() {
        ObjectNode all = Json.object();
        new TreeMap<>(devices).forEach((path, device) -> {
            ObjectNode entry = all.putObject(path);
            entry.put("type", device.type());
            entry.put("description", "");
            entry.set("options", Json.tree(device.options()));
            entry.put("local", false);
            entry.put("path", path);
        });
        return all;
    }

    public String hash(String path, String input) {
        AuditDevice device = devices.get(path);
        if (device == null) {
            throw VaultError.badRequest("unknown audit backend " + path);
        }
        return device.hash(input);
    }

    public boolean logRequest(AuditContext context, VaultError error) {
        return writeToAll(device -> entry(device, "request", context, null, error));
    }

    public boolean logResponse(AuditContext context, VaultResponse response, VaultError error) {
        return writeToAll(device -> entry(device, "response", context, response, error));
    }

    private boolean writeToAll(java.util.function.Function<AuditDevice, ObjectNode> entryFor) {
        if (devices.isEmpty()) {
            return true;
        }
        boolean anyWritten = false;
        for (AuditDevice device : devices.values()) {
            anyWritten |= device.write(Json.line(entryFor.apply(device)));
        }
        return anyWritten;
    }

    private ObjectNode entry(AuditDevice device, String type, AuditContext context,
                                    VaultResponse response, VaultError error) {
        ObjectNode entry = Json.object();
        entry.put("time", Json.time(Instant.now()));
        entry.put("type", type);
        if (context.token() != null) {
            entry.set("auth", auth(device, context));
        }
        entry.set("request", request(device, context));
        if (type.equals("response")) {
            entry.set("response", response(device, context, response, error));
        }
        if (error != null) {
            entry.put("error", String.join("\n", error.errors()));
        }
        return entry;
    }

    private ObjectNode auth(AuditDevice device, AuditContext context) {
        var token = context.token();
        ObjectNode auth = Json.object();
        auth.put("client_token", hashed(device, token.id()));
        auth.put("accessor", device.hmacAccessor() ? hashed(device, token.accessor()) : token.accessor());
        auth.put("display_name", token.displayName());
        auth.set("policies", Json.tree(token.policies()));
        auth.set("token_policies", Json.tree(token.policies()));
        if (token.meta() != null) {
            auth.set("metadata", Json.tree(token.meta()));
        }
        ObjectNode results = auth.putObject("policy_results");
        results.put("allowed", context.allowed());
        ArrayNode granting = results.putArray("granting_policies");
        if (context.allowed()) {
            if (flavour.auditsAnEmptyGrantingPolicy()) {
                granting.addObject().put("type", "");
            }
            for (String name : context.grantingPolicies()) {
                granting.addObject().put("name", name).put("namespace_id", "root").put("type", "acl");
            }
        }
        auth.put("token_issue_time", Json.time(token.issueTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        if (token.expires()) {
            auth.put("token_ttl", token.ttl().toSeconds());
        }
        auth.put("token_type", "service");
        return auth;
    }

    private ObjectNode request(AuditDevice device, AuditContext context) {
        var request = context.request();
        ObjectNode node = Json.object();
        node.put("id", request.id());
        node.put("operation", request.operation().auditName());
        if (request.token() != null && !request.token().isEmpty()) {
            node.put("client_token", hashed(device, request.token()));
            if (context.token() != null) {
                node.put("client_token_accessor", device.hmacAccessor()
                        ? hashed(device, context.token().accessor()) : context.token().accessor());
            }
        }
        mountFields(node, context, "mount_running_version");
        node.set("namespace", Json.object().put("id", "root"));
        node.put("path", request.path());
        if (request.data() != null && !request.data().isEmpty()) {
            node.set("data", hashStrings(device, request.data()));
        }
        if (request.remoteAddress() != null) {
            node.put("remote_address", request.remoteAddress());
            node.put("remote_port", request.remotePort());
        }
        node.put("request_uri", "/v1/" + request.path());
        return node;
    }

    private ObjectNode response(AuditDevice device, AuditContext context, VaultResponse response,
                                       VaultError error) {
        ObjectNode node = Json.object();
        mountFields(node, context, "mount_running_plugin_version");
        if (error != null) {
            node.set("data", Json.object().put("error", hashed(device, String.join("\n", error.errors()))));
            return node;
        }
        if (response != null && response.data() != null && !response.data().isNull()) {
            node.set("data", hashStrings(device, response.data()));
        }
        if (response != null && response.auth() != null) {
            ObjectNode auth = response.auth().deepCopy();
            auth.put("client_token", hashed(device, auth.path("client_token").asText()));
            auth.put("accessor", hashed(device, auth.path("accessor").asText()));
            node.set("auth", auth);
        }
        if (response != null && !response.warnings().isEmpty()) {
            node.set("warnings", Json.tree(response.warnings()));
        }
        return node;
    }

    private void mountFields(ObjectNode node, AuditContext context, String versionField) {
        if (context.mount() == null) {
            return;
        }
        node.put("mount_accessor", context.mount().accessor());
        node.put("mount_class", context.mount().isKv() ? "secret" : "");
        node.put("mount_point", context.mount().path());
        node.put("mount_type", context.mount().type());
        node.put(versionField, flavour.runningPluginVersion(context.mount().isKv()));
    }

    private static String hashed(AuditDevice device, String value) {
        return device.logRaw() ? value : device.hash(value);
    }

    /**
     * Every string value at any depth is replaced by its HMAC; keys, numbers, booleans and nulls
     * stay, and so, on OpenBao, does a string that reads as an RFC 3339 time.
     */
    private JsonNode hashStrings(AuditDevice device, JsonNode node) {
        if (device.logRaw()) {
            return node;
        }
        if (node.isTextual()) {
            if (!flavour.hashesTimestamps() && GoTime.isRfc3339(node.asText())) {
                return node;
            }
            return TextNode.valueOf(device.hash(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), hashStrings(device, e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.forEach(n -> copy.add(hashStrings(device, n)));
            return copy;
        }
        return node;
    }

    /** The probe Vault writes when a device is enabled: an update of {@code sys/audit/test}, without auth. */
    private static byte[] testProbe(AuditDevice device) {
        ObjectNode entry = Json.object();
        entry.put("time", Json.time(Instant.now()));
        entry.put("type", "request");
        ObjectNode request = entry.putObject("request");
        request.put("operation", "update");
        request.put("path", "sys/audit/test");
        request.set("namespace", Json.object().put("id", "root"));
        return Json.line(entry);
    }

    private static byte[] randomSalt() {
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        return salt;
    }

    public JsonNode snapshot() {
        Map<String, Object> state = new LinkedHashMap<>();
        devices.forEach((path, device) -> state.put(path, Map.of("type", device.type(),
                "options", device.options(), "salt", Base64.getEncoder().encodeToString(device.salt()),
                "declared", declared.contains(path))));
        return Json.tree(state);
    }

    /** Devices come back as they were, without a test probe: Vault reconnects lazily after a restart. */
    public void restore(JsonNode snapshot) {
        close();
        declared.clear();
        Map<String, Map<String, Object>> state = Json.MAPPER.convertValue(snapshot, new TypeReference<>() { });
        state.forEach((path, device) -> {
            Map<String, String> options = Json.MAPPER.convertValue(device.get("options"), new TypeReference<>() { });
            String type = (String) device.getOrDefault("type", "socket");
            enable(path, type, options, Base64.getDecoder().decode((String) device.get("salt")), false);
            if (Boolean.TRUE.equals(device.get("declared"))) {
                declared.add(path);
            }
        });
    }

    @Override
    public void close() {
        devices.values().forEach(AuditDevice::close);
        devices.clear();
    }

    /** For tests of fail-closed behaviour: the paths of the enabled devices. */
    public List<String> paths() {
        return List.copyOf(new TreeMap<>(devices).keySet());
    }
}
