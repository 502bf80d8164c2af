package dev.vaultreplicator.testkit.vault.acl;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import dev.vaultreplicator.testkit.vault.core.Operation;

/** A capability in a policy's path rule. */
public enum Capability {
    CREATE, READ, UPDATE, PATCH, DELETE, LIST, SUDO, DENY, SUBSCRIBE;

    static Capability parse(String path, String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("failed to parse policy: path \"" + path + "\": invalid capability \""
                    + text + "\"");
        }
    }

    /** The pre-0.9 {@code policy = "..."} form. */
    static Set<Capability> fromLegacy(String path, String policy) {
        return switch (policy) {
            case "deny" -> EnumSet.of(DENY);
            case "read" -> EnumSet.of(READ, LIST);
            case "write" -> EnumSet.of(CREATE, READ, UPDATE, DELETE, LIST);
            case "sudo" -> EnumSet.of(CREATE, READ, UPDATE, DELETE, LIST, SUDO);
            default -> throw new IllegalArgumentException("failed to parse policy: path \"" + path
                    + "\": invalid policy \"" + policy + "\"");
        };
    }

    /** Rules with the same path string are OR-ed, but a deny in any of them leaves only deny. */
    static Set<Capability> merge(Set<Capability> a, Set<Capability> b) {
        if (a.contains(DENY) || b.contains(DENY)) {
            return EnumSet.of(DENY);
        }
        Set<Capability> merged = EnumSet.noneOf(Capability.class);
        merged.addAll(a);
        merged.addAll(b);
        return merged;
    }

    public static Capability requiredFor(Operation operation) {
        return switch (operation) {
            case CREATE -> CREATE;
            case READ -> READ;
            case UPDATE -> UPDATE;
            case PATCH -> PATCH;
            case DELETE -> DELETE;
            case LIST -> LIST;
        };
    }
}
