package dev.vaultreplicator.testkit.vault.acl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.bertramlabs.plugins.hcl4j.HCLParser;

/**
 * An ACL policy: its HCL text as written and the path rules parsed from it (vault-api.md §5).
 * HCL parsing is hcl4j's; this class only applies Vault's rules to the parsed tree.
 */
public record Policy(String name, String text, Map<String, Set<Capability>> rules) {

    public static final Policy ROOT = new Policy("root", "", Map.of());

    /** Vault's default policy, reduced to the paths this emulator serves. */
    public static final String DEFAULT_TEXT = """
            # Allow tokens to look up their own properties
            path "auth/token/lookup-self" {
                capabilities = ["read"]
            }

            # Allow tokens to renew themselves
            path "auth/token/renew-self" {
                capabilities = ["update"]
            }

            # Allow tokens to revoke themselves
            path "auth/token/revoke-self" {
                capabilities = ["update"]
            }

            # Allow a token to look up its own capabilities on a path
            path "sys/capabilities-self" {
                capabilities = ["update"]
            }
            """;

    /**
     * Parses a policy as Vault's policy store does: base64 text is decoded first, then HCL (or JSON).
     *
     * @throws IllegalArgumentException with Vault's message when the text is empty or not a valid policy
     */
    public static Policy parse(String name, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("'policy' parameter not supplied or empty");
        }
        String hcl = decodeIfBase64(text);
        Map<String, Object> tree;
        try {
            tree = new HCLParser().parse(hcl);
        } catch (Exception | StackOverflowError e) {
            throw new IllegalArgumentException("failed to parse policy: " + e.getMessage());
        }
        for (String key : tree.keySet()) {
            if (!key.equals("path") && !key.equals("name")) {
                throw new IllegalArgumentException("failed to parse policy: invalid key \"" + key + "\" on line 1");
            }
        }
        Map<String, Set<Capability>> rules = new LinkedHashMap<>();
        Object paths = tree.get("path");
        if (paths instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String path = stripLeadingSlash(String.valueOf(entry.getKey()));
                rules.merge(path, capabilities(path, entry.getValue()), Capability::merge);
            }
        } else if (paths != null) {
            throw new IllegalArgumentException("failed to parse policy: paths must be blocks");
        }
        return new Policy(name, text, Map.copyOf(rules));
    }

    private static Set<Capability> capabilities(String path, Object block) {
        if (!(block instanceof Map<?, ?> body)) {
            throw new IllegalArgumentException("failed to parse policy: path \"" + path + "\": expected a block");
        }
        if (path.contains("+*")) {
            throw new IllegalArgumentException("failed to parse policy: path \"" + path
                    + "\": invalid use of wildcards ('+*' is forbidden)");
        }
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        if (body.get("policy") instanceof String legacy) {
            caps.addAll(Capability.fromLegacy(path, legacy));
        }
        if (body.get("capabilities") instanceof List<?> list) {
            for (Object c : list) {
                caps.add(Capability.parse(path, String.valueOf(c)));
            }
        }
        return caps.contains(Capability.DENY) ? EnumSet.of(Capability.DENY) : caps;
    }

    private static String decodeIfBase64(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || !trimmed.matches("[A-Za-z0-9+/]+={0,2}") || trimmed.length() % 4 != 0) {
            return text;
        }
        try {
            return new String(Base64.getDecoder().decode(trimmed), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static String stripLeadingSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
