package dev.vaultreplicator.testkit.vault.sys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vaultreplicator.testkit.vault.acl.Policy;
import dev.vaultreplicator.testkit.vault.acl.PolicyStore;
import dev.vaultreplicator.testkit.vault.audit.AuditBroker;
import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.Mount;
import dev.vaultreplicator.testkit.vault.core.Flavour;
import dev.vaultreplicator.testkit.vault.core.MountTable;
import dev.vaultreplicator.testkit.vault.core.Operation;
import dev.vaultreplicator.testkit.vault.core.SealState;
import dev.vaultreplicator.testkit.vault.core.VaultError;
import dev.vaultreplicator.testkit.vault.core.VaultResponse;
import dev.vaultreplicator.testkit.vault.kv.KvV1Backend;
import dev.vaultreplicator.testkit.vault.kv.KvV2Backend;

/** The {@code sys/} paths the project uses: health, seal, policies, mounts and audit devices. */
public final class SystemBackend {

    private static final String MOUNT_TYPE = "system";

    private final Flavour flavour;
    private final MountTable mounts;
    private final PolicyStore policies;
    private final AuditBroker audit;
    private final SealState seal;
    private final String clusterName;
    private final String clusterId;

    public SystemBackend(Flavour flavour, MountTable mounts, PolicyStore policies, AuditBroker audit, SealState seal,
                         String clusterName, String clusterId) {
        this.flavour = flavour;
        this.mounts = mounts;
        this.policies = policies;
        this.audit = audit;
        this.seal = seal;
        this.clusterName = clusterName;
        this.clusterId = clusterId;
    }

    /** Paths Vault serves without a token, sealed or not, and never audits. */
    public static boolean isUnauthenticated(String path) {
        return path.equals("sys/health") || path.equals("sys/seal-status") || path.equals("sys/unseal");
    }

    /** Root-protected paths also need {@code sudo}. */
    public static boolean needsSudo(String path) {
        return path.equals("sys/audit") || path.startsWith("sys/audit/") || path.equals("sys/seal")
                || path.startsWith("sys/auth/") || path.startsWith("sys/raw") || path.equals("sys/rotate");
    }

    public Optional<Boolean> exists(String path) {
        String name = policyName(path);
        return name == null ? Optional.empty() : Optional.of(policies.get(name).isPresent());
    }

    // ---- unauthenticated ----------------------------------------------------------------------

    public VaultResponse unauthenticated(String method, String path, ObjectNode data) {
        return switch (path) {
            case "sys/health" -> health(method, data);
            case "sys/seal-status" -> VaultResponse.bare(200, sealStatus());
            default -> unseal(method, data);
        };
    }

    private VaultResponse health(String method, ObjectNode query) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new VaultError(405, List.of());
        }
        int status;
        try {
            status = seal.isSealed() ? code(query, "sealedcode", 503) : code(query, "activecode", 200);
        } catch (NumberFormatException e) {
            throw new VaultError(400, List.of());
        }
        ObjectNode body = Json.object();
        body.put("initialized", true);
        body.put("sealed", seal.isSealed());
        body.put("standby", seal.isSealed());
        body.put("performance_standby", false);
        body.put("replication_performance_mode", seal.isSealed() ? "unknown" : "disabled");
        body.put("replication_dr_mode", seal.isSealed() ? "unknown" : "disabled");
        body.put("server_time_utc", Instant.now().getEpochSecond());
        body.put("version", flavour.version());
        body.put("enterprise", false);
        if (!seal.isSealed()) {
            body.put("cluster_name", clusterName);
            body.put("cluster_id", clusterId);
        }
        body.put("echo_duration_ms", 0);
        body.put("clock_skew_ms", 0);
        body.put("replication_primary_canary_age_ms", 0);
        return VaultResponse.bare(status, body);
    }

    private static int code(ObjectNode query, String name, int fallback) {
        JsonNode value = query.get(name);
        return value == null ? fallback : Integer.parseInt(value.asText());
    }

    private ObjectNode sealStatus() {
        ObjectNode body = Json.object();
        body.put("type", "shamir");
        body.put("initialized", true);
        body.put("sealed", seal.isSealed());
        body.put("t", 1);
        body.put("n", 1);
        body.put("progress", 0);
        body.put("nonce", "");
        body.put("version", flavour.version());
        body.put("build_date", "2025-10-01T00:00:00Z");
        body.put("migration", false);
        if (!seal.isSealed()) {
            body.put("cluster_name", clusterName);
            body.put("cluster_id", clusterId);
        }
        body.put("recovery_seal", false);
        body.put("storage_type", "inmem");
        return body;
    }

    private VaultResponse unseal(String method, ObjectNode data) {
        if (!method.equals("PUT") && !method.equals("POST")) {
            throw new VaultError(405, List.of());
        }
        Map<String, JsonNode> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        data.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        if (fields.containsKey("reset") && fields.get("reset").asBoolean()) {
            if (!seal.isSealed()) {
                throw VaultError.badRequest("vault is unsealed");
            }
            return VaultResponse.bare(200, sealStatus());
        }
        JsonNode key = fields.get("key");
        if (key == null || key.asText().isEmpty()) {
            throw VaultError.badRequest("'key' must be specified in request body as JSON, or 'reset' set to true");
        }
        if (seal.isSealed()) {
            seal.unseal(key.asText());
        }
        return VaultResponse.bare(200, sealStatus());
    }

    // ---- authenticated ------------------------------------------------------------------------

    public VaultResponse handle(Operation operation, String path, ObjectNode data) {
        if (path.equals("sys/seal")) {
            if (operation != Operation.UPDATE && operation != Operation.CREATE) {
                throw new VaultError(405, "unsupported operation");
            }
            seal.seal();
            return VaultResponse.noContent();
        }
        if (path.equals("sys/policy") || path.equals("sys/policy/")) {
            ObjectNode body = Json.object();
            body.set("keys", Json.tree(policies.names()));
            body.set("policies", Json.tree(policies.names()));
            return VaultResponse.data(body, MOUNT_TYPE).injectedAtTopLevel();
        }
        if (path.equals("sys/policies/acl/") || path.equals("sys/policies/acl")) {
            if (operation != Operation.LIST) {
                throw new VaultError(405, "unsupported operation");
            }
            return VaultResponse.data(Json.object().set("keys", Json.tree(policies.names())), MOUNT_TYPE);
        }
        String policyName = policyName(path);
        if (policyName != null) {
            return policy(operation, path.startsWith("sys/policy/"), policyName, data);
        }
        if (path.equals("sys/mounts")) {
            return VaultResponse.data(mountList(), MOUNT_TYPE).injectedAtTopLevel();
        }
        if (path.startsWith("sys/mounts/")) {
            return mount(operation, withSlash(path.substring("sys/mounts/".length())), data);
        }
        if (path.equals("sys/audit")) {
            return VaultResponse.data(audit.describe(), MOUNT_TYPE).injectedAtTopLevel();
        }
        if (path.startsWith("sys/audit/")) {
            return auditDevice(operation, withSlash(path.substring("sys/audit/".length())), data);
        }
        if (path.startsWith("sys/audit-hash/")) {
            String device = withSlash(path.substring("sys/audit-hash/".length()));
            String hash = audit.hash(device, data.path("input").asText());
            return VaultResponse.data(Json.object().put("hash", hash), MOUNT_TYPE);
        }
        throw new VaultError(404, "unsupported path");
    }

    public static String policyName(String path) {
        for (String prefix : List.of("sys/policy/", "sys/policies/acl/")) {
            if (path.startsWith(prefix) && path.length() > prefix.length() && !path.endsWith("/")) {
                return path.substring(prefix.length());
            }
        }
        return null;
    }

    private VaultResponse policy(Operation operation, boolean legacy, String name, ObjectNode data) {
        switch (operation) {
            case READ -> {
                Policy policy = policies.get(name).orElseThrow(VaultError::notFound);
                ObjectNode body = Json.object();
                body.put("name", policy.name());
                body.put(legacy ? "rules" : "policy", policy.text());
                VaultResponse response = VaultResponse.data(body, MOUNT_TYPE);
                return legacy ? response.injectedAtTopLevel() : response;
            }
            case CREATE, UPDATE -> {
                List<String> warnings = new java.util.ArrayList<>();
                JsonNode text = data.get("policy");
                if ((text == null || text.asText().isEmpty()) && legacy && data.has("rules")) {
                    text = data.get("rules");
                    warnings.add("'rules' is deprecated, please use 'policy' instead");
                }
                String stored = policies.put(name, text == null ? "" : text.asText());
                if (!stored.equals(name) && flavour.warnsOfPolicyNameCase()) {
                    warnings.add("policy name was converted to " + stored);
                }
                return VaultResponse.noContent().withWarnings(warnings);
            }
            case DELETE -> {
                policies.delete(name);
                return VaultResponse.noContent();
            }
            default -> throw new VaultError(405, "unsupported operation");
        }
    }

    private ObjectNode mountList() {
        ObjectNode all = Json.object();
        for (String builtIn : MountTable.BUILT_IN) {
            String type = builtIn.substring(0, builtIn.length() - 1).replace("sys", "system");
            all.set(builtIn, describe(builtIn, type, null, builtIn + " mount", type + "_builtin", clusterId));
        }
        for (Mount mount : mounts.all()) {
            all.set(mount.path(), describe(mount));
        }
        return all;
    }

    private ObjectNode describe(Mount mount) {
        return describe(mount.path(), mount.type(), mount.version(), mount.description(), mount.accessor(),
                mount.uuid());
    }

    private ObjectNode describe(String path, String type, String version, String description, String accessor,
                                       String uuid) {
        ObjectNode entry = Json.object();
        entry.put("accessor", accessor);
        ObjectNode config = entry.putObject("config");
        config.put("default_lease_ttl", 0);
        config.put("force_no_cache", false);
        config.put("max_lease_ttl", 0);
        entry.put("deprecation_status", "supported");
        entry.put("description", description);
        entry.put("external_entropy_access", false);
        entry.put("local", false);
        if (version == null) {
            entry.putNull("options");
        } else {
            entry.putObject("options").put("version", version);
        }
        entry.put("plugin_version", "");
        entry.put("running_plugin_version", flavour.runningPluginVersion("kv".equals(type)));
        entry.put("running_sha256", "");
        entry.put("seal_wrap", false);
        entry.put("type", type);
        entry.put("uuid", uuid);
        return entry;
    }

    private VaultResponse mount(Operation operation, String path, ObjectNode data) {
        switch (operation) {
            case READ -> {
                return VaultResponse.data(describe(mounts.get(path).orElseThrow(VaultError::notFound)), MOUNT_TYPE);
            }
            case CREATE, UPDATE -> {
                mounts.add(newMount(path, data, flavour));
                return VaultResponse.noContent();
            }
            case DELETE -> {
                mounts.remove(path);
                return VaultResponse.noContent();
            }
            default -> throw new VaultError(405, "unsupported operation");
        }
    }

    /** {@code kv-v2}, {@code kv} with {@code options.version=2}, or KV v1 ({@code kv}, {@code kv-v1}). */
    public static Mount newMount(String path, ObjectNode data, Flavour flavour) {
        String type = data.path("type").asText("");
        String version = data.path("options").path("version").asText("");
        if (!type.equals("kv") && !type.equals("kv-v1") && !type.equals("kv-v2")) {
            if (!version.isEmpty()) {
                throw VaultError.badRequest("secrets engine \"" + type + "\" does not allow setting a version");
            }
            throw VaultError.badRequest("plugin not found in the catalog: " + type);
        }
        boolean v2 = type.equals("kv-v2") || (type.equals("kv") && version.equals("2"));
        String description = data.path("description").asText("");
        return v2 ? Mount.of(path, "kv", "2", description, new KvV2Backend(flavour))
                : Mount.of(path, "kv", "1", description, new KvV1Backend());
    }

    private VaultResponse auditDevice(Operation operation, String path, ObjectNode data) {
        switch (operation) {
            case CREATE, UPDATE -> {
                if (!flavour.enablesAuditDevicesByApi()) {
                    throw VaultError.badRequest("cannot enable audit device via API; use declarative, config-based "
                            + "audit device management instead");
                }
                Map<String, String> options = data.has("options")
                        ? Json.MAPPER.convertValue(data.get("options"), new TypeReference<TreeMap<String, String>>() { })
                        : Map.of();
                audit.enable(path, data.path("type").asText(""), options);
                return VaultResponse.noContent();
            }
            case DELETE -> {
                audit.disable(path);
                return VaultResponse.noContent();
            }
            default -> throw new VaultError(405, "unsupported operation");
        }
    }

    private static String withSlash(String path) {
        return path.endsWith("/") ? path : path + "/";
    }
}
