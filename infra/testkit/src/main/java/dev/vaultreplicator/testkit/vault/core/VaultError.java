package dev.vaultreplicator.testkit.vault.core;

import java.util.List;

/** A response that is an error: Vault's status code and its {@code errors} list. */
public final class VaultError extends RuntimeException {

    private final int status;
    private final List<String> errors;

    public VaultError(int status, List<String> errors) {
        super(status + " " + errors, null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public VaultError(int status, String error) {
        this(status, List.of(error));
    }

    public static VaultError notFound() {
        return new VaultError(404, List.of());
    }

    public static VaultError badRequest(String message) {
        return new VaultError(400, message);
    }

    /** The core's own errors are Go multierrors, rendered as one string. */
    public static VaultError permissionDenied() {
        return new VaultError(403, "1 error occurred:\n\t* permission denied\n\n");
    }

    /** An unknown, expired or revoked token: the plain text, not the core's multierror. */
    public static VaultError invalidToken() {
        return new VaultError(403, "permission denied");
    }

    public int status() {
        return status;
    }

    public List<String> errors() {
        return errors;
    }
}
