package dev.vaultreplicator.testkit.vault.core;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a handler answers, before HTTP encoding.
 *
 * <ul>
 *   <li>{@link Kind#ENVELOPE}: Vault's logical response envelope around {@code data}, {@code auth} and warnings;</li>
 *   <li>{@link Kind#BARE}: a body without the envelope ({@code sys/health}, {@code sys/seal-status});</li>
 *   <li>{@link Kind#EMPTY}: 204.</li>
 * </ul>
 * With {@code injected}, the data's keys are also copied to the top level, as Vault does for
 * {@code sys/policy}, {@code sys/mounts} and {@code sys/audit}.
 */
public record VaultResponse(Kind kind, int status, JsonNode data, JsonNode auth, List<String> warnings,
                            String mountType, boolean injected, long leaseDuration) {

    public enum Kind { ENVELOPE, BARE, EMPTY }

    public static VaultResponse data(JsonNode data, String mountType) {
        return new VaultResponse(Kind.ENVELOPE, 200, data, null, List.of(), mountType, false, 0);
    }

    public static VaultResponse auth(JsonNode auth, List<String> warnings, String mountType) {
        return new VaultResponse(Kind.ENVELOPE, 200, null, auth, warnings, mountType, false, 0);
    }

    public static VaultResponse bare(int status, JsonNode body) {
        return new VaultResponse(Kind.BARE, status, body, null, List.of(), null, false, 0);
    }

    public static VaultResponse noContent() {
        return new VaultResponse(Kind.EMPTY, 204, null, null, List.of(), null, false, 0);
    }

    /** KV v1 reports an advisory lease duration on reads. */
    public VaultResponse withLeaseDuration(long seconds) {
        return new VaultResponse(kind, status, data, auth, warnings, mountType, injected, seconds);
    }

    /** A 404 that still carries the envelope, as KV v2 answers a read of a deleted version. */
    public VaultResponse withStatus(int newStatus) {
        return new VaultResponse(kind, newStatus, data, auth, warnings, mountType, injected, leaseDuration);
    }

    public VaultResponse injectedAtTopLevel() {
        return new VaultResponse(kind, status, data, auth, warnings, mountType, true, leaseDuration);
    }

    /** Vault only attaches warnings to a response with a body; a 204 with warnings becomes a 200. */
    public VaultResponse withWarnings(List<String> added) {
        if (added.isEmpty() || kind == Kind.BARE) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(added);
        Kind newKind = kind == Kind.EMPTY ? Kind.ENVELOPE : kind;
        int newStatus = kind == Kind.EMPTY ? 200 : status;
        return new VaultResponse(newKind, newStatus, data, auth, List.copyOf(all), mountType, injected, leaseDuration);
    }
}
