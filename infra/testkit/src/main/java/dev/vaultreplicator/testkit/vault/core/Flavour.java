package dev.vaultreplicator.testkit.vault.core;

/**
 * Which server the emulator answers as, where OpenBao and HashiCorp Vault differ. Each difference
 * is one method here, and docs/fidelity.md names the contract test that pins it.
 */
public enum Flavour {

    /** OpenBao 2.7, held to a real {@code bao server} by the contract suite: the default. */
    OPENBAO,

    /** HashiCorp Vault 1.15 to 1.21 as documented (../shared/vault-api.md); no real Vault runs here. */
    VAULT;

    /** What {@code sys/health} and {@code sys/seal-status} report as the server's version. */
    public String version() {
        return this == VAULT ? "1.21.0" : "2.7.2";
    }

    /** {@code sys/mounts}' {@code running_plugin_version}: OpenBao builds every engine in, Vault ships KV as a plugin. */
    public String runningPluginVersion(boolean kv) {
        if (this == OPENBAO) {
            return "v" + version() + "+builtin.bao";
        }
        return kv ? "v0.26.0+builtin" : "v" + version() + "+builtin.vault";
    }

    /**
     * Vault's audit devices HMAC every string in request and response data, {@code created_time}
     * included (vault-api.md §10, published logs); OpenBao leaves a string that parses as an
     * RFC 3339 time in clear (internal/audit/hashstructure.go), a secret value shaped like one too.
     */
    public boolean hashesTimestamps() {
        return this == VAULT;
    }

    /** Current Vault pre-sizes {@code granting_policies} and appends, leaving an empty entry first; OpenBao does not. */
    public boolean auditsAnEmptyGrantingPolicy() {
        return this == VAULT;
    }

    /** Vault 1.15 added {@code mount_type} to the response envelope; OpenBao has no such field. */
    public boolean envelopeHasMountType() {
        return this == VAULT;
    }

    /** A new service token's prefix: Vault's {@code hvs.}, OpenBao's older {@code s.}. */
    public String serviceTokenPrefix() {
        return this == VAULT ? "hvs." : "s.";
    }

    /** A request with no token: Vault 400 {@code missing client token}; OpenBao 403 {@code permission denied}. */
    public VaultError missingToken(String path) {
        if (this == OPENBAO) {
            return VaultError.invalidToken();
        }
        // Vault's sys/seal maps every error but permission denied to 500 (http/sys_seal.go).
        return new VaultError(path.equals("sys/seal") ? 500 : 400, "missing client token");
    }

    /** Enabling a mount on a taken path: Vault 409 since 1.13 or so; OpenBao 400. */
    public int mountInUseStatus() {
        return this == VAULT ? 409 : 400;
    }

    /** Vault answers a policy written under a mixed-case name 200 with a warning; OpenBao 204 without one. */
    public boolean warnsOfPolicyNameCase() {
        return this == VAULT;
    }

    /** OpenBao creates audit devices from its config file only: {@code sys/audit/:path} refuses with 400. */
    public boolean enablesAuditDevicesByApi() {
        return this == VAULT;
    }

    /**
     * OpenBao's KV v2 versions metadata: {@code current_metadata_version} and
     * {@code metadata_cas_required} in every metadata read (and {@code metadata_cas_required} in the
     * mount config), and a metadata write moves {@code updated_time}. Vault's does neither.
     */
    public boolean versionsKvMetadata() {
        return this == OPENBAO;
    }

    public static Flavour parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "openbao" -> OPENBAO;
            case "vault" -> VAULT;
            default -> throw new IllegalArgumentException("unknown flavour \"" + name + "\": openbao or vault");
        };
    }
}
