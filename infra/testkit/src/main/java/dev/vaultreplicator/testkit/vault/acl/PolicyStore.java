package dev.vaultreplicator.testkit.vault.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.VaultError;

/** Named ACL policies; {@code root} is built in and immutable, {@code default} can change but not go. */
public final class PolicyStore {

    private final ConcurrentHashMap<String, Policy> policies = new ConcurrentHashMap<>();

    public PolicyStore() {
        policies.put("default", Policy.parse("default", Policy.DEFAULT_TEXT));
    }

    /** Stored names in lexicographic order, then {@code root}, as Vault lists them. */
    public List<String> names() {
        List<String> names = new ArrayList<>(new TreeMap<>(policies).keySet());
        names.add("root");
        return names;
    }

    public Optional<Policy> get(String name) {
        String normalised = name.toLowerCase(Locale.ROOT);
        return normalised.equals("root") ? Optional.of(Policy.ROOT) : Optional.ofNullable(policies.get(normalised));
    }

    /** @return the stored (lower-cased) name */
    public String put(String name, String text) {
        String normalised = name.toLowerCase(Locale.ROOT);
        if (normalised.equals("root")) {
            throw VaultError.badRequest("cannot update \"root\" policy");
        }
        Policy policy;
        try {
            policy = Policy.parse(normalised, text);
        } catch (IllegalArgumentException e) {
            throw VaultError.badRequest(e.getMessage());
        }
        policies.put(normalised, policy);
        return normalised;
    }

    public void delete(String name) {
        String normalised = name.toLowerCase(Locale.ROOT);
        if (normalised.equals("root")) {
            throw VaultError.badRequest("cannot delete \"root\" policy");
        }
        if (normalised.equals("default")) {
            throw VaultError.badRequest("cannot delete default policy");
        }
        policies.remove(normalised);
    }

    /** The ACL for a token's policy names; a deleted policy simply contributes nothing. */
    public Acl aclFor(List<String> names) {
        return new Acl(names.stream().map(this::get).flatMap(Optional::stream).toList());
    }

    public JsonNode snapshot() {
        Map<String, String> texts = new TreeMap<>();
        policies.forEach((name, policy) -> texts.put(name, policy.text()));
        return Json.tree(texts);
    }

    /** One policy's text as it is now, or empty when it is gone. */
    public Optional<String> text(String name) {
        return Optional.ofNullable(policies.get(name.toLowerCase(Locale.ROOT))).map(Policy::text);
    }

    public void restoreOne(String name, String text) {
        if (text == null) {
            policies.remove(name);
        } else {
            policies.put(name, Policy.parse(name, text));
        }
    }

    public void restore(JsonNode snapshot) {
        Map<String, String> texts = Json.MAPPER.convertValue(snapshot, new TypeReference<>() { });
        policies.clear();
        texts.forEach((name, text) -> policies.put(name, Policy.parse(name, text)));
    }
}
