package dev.vaultreplicator.testkit.vault.acl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The merged rules of a token's policies, and Vault's matching: an exact rule wins outright,
 * otherwise the single best of the longest prefix rule and every matching {@code +} rule
 * (vault-api.md §5, from vault/acl.go). No match: denied.
 */
public final class Acl {

    private final boolean root;
    private final Map<String, Set<Capability>> exact = new HashMap<>();
    private final List<Rule> globs = new ArrayList<>();

    /** A glob rule, its shape worked out once when the ACL is built rather than on every request. */
    private record Rule(String pattern, Set<Capability> capabilities, boolean prefix, String body, String[] segments,
                        int plusSegments, int firstWildcard) {

        static Rule of(String pattern, Set<Capability> capabilities) {
            boolean prefix = pattern.endsWith("*");
            String body = prefix ? pattern.substring(0, pattern.length() - 1) : pattern;
            String[] segments = body.split("/", -1);
            int plus = (int) java.util.Arrays.stream(segments).filter("+"::equals).count();
            int firstPlus = body.indexOf('+');
            return new Rule(pattern, capabilities, prefix, body, segments, plus, firstPlus >= 0 ? firstPlus : body.length());
        }

        boolean matches(String path) {
            if (plusSegments == 0) {
                return prefix ? path.startsWith(body) : path.equals(body);
            }
            String[] want = segments;
            String[] have = path.split("/", -1);
            if (prefix ? have.length < want.length : have.length != want.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                boolean last = i == want.length - 1;
                if (want[i].equals("+")) {
                    continue;
                }
                if (last && prefix) {
                    String rest = String.join("/", java.util.Arrays.copyOfRange(have, i, have.length));
                    return rest.startsWith(want[i]);
                }
                if (!want[i].equals(have[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Ranked so the best rule is the greatest, as vault/acl.go compares wildcard candidates. */
    private static final Comparator<Rule> PRIORITY = Comparator
            .comparingInt(Rule::firstWildcard)
            .thenComparing(r -> !r.prefix())
            .thenComparing(Comparator.comparingInt(Rule::plusSegments).reversed())
            .thenComparingInt(r -> r.pattern().length())
            .thenComparing(Rule::pattern);

    public Acl(Collection<Policy> policies) {
        boolean isRoot = false;
        Map<String, Set<Capability>> merged = new HashMap<>();
        for (Policy policy : policies) {
            if (policy.name().equals("root")) {
                isRoot = true;
            }
            policy.rules().forEach((path, caps) -> merged.merge(path, caps, Capability::merge));
        }
        this.root = isRoot;
        merged.forEach((path, caps) -> {
            boolean glob = path.endsWith("*") || java.util.Arrays.asList(path.split("/", -1)).contains("+");
            if (glob) {
                globs.add(Rule.of(path, caps));
            } else {
                exact.put(path, caps);
            }
        });
    }

    public boolean isRoot() {
        return root;
    }

    /** The capabilities the token has on {@code path} (a LIST path ends in {@code /}). */
    public Set<Capability> capabilities(String path, boolean list) {
        if (root) {
            return EnumSet.complementOf(EnumSet.of(Capability.DENY));
        }
        Set<Capability> caps = exact.get(path);
        if (caps == null && list && path.endsWith("/")) {
            caps = exact.get(path.substring(0, path.length() - 1));
        }
        if (caps != null) {
            return caps;
        }
        Rule longestPrefix = null;
        List<Rule> candidates = new ArrayList<>();
        for (Rule rule : globs) {
            if (!rule.matches(path)) {
                continue;
            }
            if (rule.plusSegments() > 0) {
                candidates.add(rule);
            } else if (longestPrefix == null || rule.body().length() > longestPrefix.body().length()) {
                longestPrefix = rule;
            }
        }
        if (longestPrefix != null) {
            candidates.add(longestPrefix);
        }
        return candidates.stream().max(PRIORITY).map(Rule::capabilities).orElse(EnumSet.noneOf(Capability.class));
    }

    public boolean allows(String path, Capability needed, boolean list, boolean sudoRequired) {
        Set<Capability> caps = capabilities(path, list);
        if (caps.contains(Capability.DENY)) {
            return false;
        }
        return caps.contains(needed) && (!sudoRequired || caps.contains(Capability.SUDO));
    }
}
