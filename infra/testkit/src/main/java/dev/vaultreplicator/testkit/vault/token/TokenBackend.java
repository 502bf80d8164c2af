package dev.vaultreplicator.testkit.vault.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vaultreplicator.testkit.vault.acl.PolicyStore;
import dev.vaultreplicator.testkit.vault.core.GoDuration;
import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.Operation;
import dev.vaultreplicator.testkit.vault.core.VaultError;
import dev.vaultreplicator.testkit.vault.core.VaultResponse;

/** {@code auth/token/create}, {@code lookup-self} and {@code renew-self} (vault-api.md §6). */
public final class TokenBackend {

    static final String MOUNT_TYPE = "token";
    private static final Duration DEFAULT_TTL = Duration.ofHours(768);

    private final TokenStore tokens;
    private final PolicyStore policies;

    public TokenBackend(TokenStore tokens, PolicyStore policies) {
        this.tokens = tokens;
        this.policies = policies;
    }

    public VaultResponse handle(Operation operation, String path, ObjectNode data, Token caller, boolean callerHasSudo) {
        return switch (path + ":" + operation) {
            case "auth/token/create:UPDATE", "auth/token/create:CREATE" -> create(data, caller, callerHasSudo);
            case "auth/token/lookup-self:READ" -> VaultResponse.data(lookup(caller), MOUNT_TYPE);
            case "auth/token/renew-self:UPDATE", "auth/token/renew-self:CREATE" -> renew(caller, data);
            default -> throw new VaultError(405, "unsupported operation");
        };
    }

    private VaultResponse create(ObjectNode data, Token parent, boolean parentHasSudo) {
        boolean privileged = parent.isRoot() || parentHasSudo;
        List<String> requested = data.has("policies") ? stringList(data.get("policies")) : parent.policies();
        List<String> sanitized = sanitize(requested, !data.path("no_default_policy").asBoolean(false));
        if (!privileged) {
            for (String policy : sanitized) {
                if (!policy.equals("default") && !parent.policies().contains(policy)) {
                    throw VaultError.badRequest("child policies must be subset of parent");
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        for (String policy : sanitized) {
            if (policies.get(policy).isEmpty()) {
                warnings.add("Policy \"" + policy + "\" does not exist");
            }
        }
        boolean root = sanitized.contains("root");
        Duration ttl = data.has("ttl") ? duration(data.get("ttl")) : root ? Duration.ZERO : DEFAULT_TTL;
        Duration explicitMax = data.has("explicit_max_ttl") ? duration(data.get("explicit_max_ttl")) : Duration.ZERO;
        if (!explicitMax.isZero() && (ttl.isZero() || ttl.compareTo(explicitMax) > 0)) {
            ttl = explicitMax;
        }
        String displayName = data.has("display_name")
                ? "token-" + data.get("display_name").asText().toLowerCase(Locale.ROOT) : "token";
        Map<String, String> meta = data.has("meta") && data.get("meta").isObject()
                ? Json.MAPPER.convertValue(data.get("meta"), new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, String>>() { })
                : null;
        Instant now = Instant.now();
        String id = data.has("id") && parent.isRoot() ? data.get("id").asText() : tokens.newServiceTokenId();
        Token token = tokens.add(new Token(id, TokenStore.randomId(24), sanitized, meta, displayName, now, ttl, ttl,
                explicitMax, data.path("renewable").asBoolean(true) && !ttl.isZero(),
                data.path("num_uses").asInt(0), privileged && data.path("no_parent").asBoolean(false),
                "auth/token/create", now, null));
        return VaultResponse.auth(authBlock(token), warnings, MOUNT_TYPE);
    }

    private VaultResponse renew(Token caller, ObjectNode data) {
        if (!caller.renewable() || !caller.expires()) {
            throw VaultError.badRequest("lease not found or lease is not renewable");
        }
        Duration ttl = data.has("increment") ? duration(data.get("increment")) : caller.creationTtl();
        if (!caller.explicitMaxTtl().isZero()) {
            Instant cap = caller.creationTime().plus(caller.explicitMaxTtl());
            Duration left = Duration.between(Instant.now(), cap);
            ttl = ttl.compareTo(left) > 0 ? left : ttl;
        }
        Token renewed = tokens.renew(caller, ttl, Instant.now());
        return VaultResponse.auth(authBlock(renewed), List.of(), MOUNT_TYPE);
    }

    private static ObjectNode lookup(Token token) {
        ObjectNode data = Json.object();
        Instant now = Instant.now();
        data.put("accessor", token.accessor());
        data.put("creation_time", token.creationTime().getEpochSecond());
        data.put("creation_ttl", token.creationTtl().toSeconds());
        data.put("display_name", token.displayName());
        data.put("entity_id", "");
        if (token.expires()) {
            data.put("expire_time", Json.time(token.expireTime()));
            data.put("issue_time", Json.time(token.issueTime()));
            data.put("renewable", token.renewable());
            if (token.lastRenewal() != null) {
                data.put("last_renewal", Json.time(token.lastRenewal()));
                data.put("last_renewal_time", token.lastRenewal().getEpochSecond());
            }
        } else {
            data.set("expire_time", NullNode.instance);
        }
        data.put("explicit_max_ttl", token.explicitMaxTtl().toSeconds());
        data.put("id", token.id());
        data.set("meta", token.meta() == null ? NullNode.instance : Json.tree(token.meta()));
        data.put("num_uses", token.numUses());
        data.put("orphan", token.orphan());
        data.put("path", token.path());
        data.set("policies", Json.tree(token.policies()));
        data.put("ttl", token.expires() ? Math.max(0, Duration.between(now, token.expireTime()).toSeconds()) : 0);
        data.put("type", "service");
        return data;
    }

    private static ObjectNode authBlock(Token token) {
        ObjectNode auth = Json.object();
        auth.put("client_token", token.id());
        auth.put("accessor", token.accessor());
        auth.set("policies", Json.tree(token.policies()));
        auth.set("token_policies", Json.tree(token.policies()));
        auth.set("metadata", token.meta() == null ? NullNode.instance : Json.tree(token.meta()));
        auth.put("lease_duration", token.ttl().toSeconds());
        auth.put("renewable", token.renewable());
        auth.put("entity_id", "");
        auth.put("token_type", "service");
        auth.put("orphan", token.orphan());
        auth.set("mfa_requirement", NullNode.instance);
        auth.put("num_uses", token.numUses());
        return auth;
    }

    /** policyutil.SanitizePolicies: trimmed, lower-cased, de-duplicated, sorted; root collapses the list. */
    static List<String> sanitize(List<String> names, boolean addDefault) {
        TreeSet<String> set = new TreeSet<>();
        for (String name : names) {
            String clean = name.trim().toLowerCase(Locale.ROOT);
            if (!clean.isEmpty()) {
                set.add(clean);
            }
        }
        if (set.contains("root")) {
            return List.of("root");
        }
        if (addDefault) {
            set.add("default");
        }
        return List.copyOf(set);
    }

    private static List<String> stringList(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            for (String part : node.asText().split(",")) {
                values.add(part);
            }
        }
        return values;
    }

    private static Duration duration(JsonNode node) {
        try {
            return GoDuration.parse(node);
        } catch (IllegalArgumentException e) {
            throw VaultError.badRequest(e.getMessage());
        }
    }
}
