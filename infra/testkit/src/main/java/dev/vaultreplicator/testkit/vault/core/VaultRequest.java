package dev.vaultreplicator.testkit.vault.core;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One API call after HTTP parsing: the operation, the path under {@code /v1/} (LIST paths end in
 * {@code /}), the request data (JSON body, or query parameters for GET, DELETE and LIST), and the
 * token, if any.
 */
public record VaultRequest(String id, Operation operation, String path, ObjectNode data, String token,
                           String remoteAddress, int remotePort, Instant receivedAt) {

    public static VaultRequest of(Operation operation, String path, ObjectNode data, String token,
                                  String remoteAddress, int remotePort) {
        return new VaultRequest(UUID.randomUUID().toString(), operation, path, data, token, remoteAddress, remotePort,
                Instant.now());
    }

    public VaultRequest withOperation(Operation resolved) {
        return new VaultRequest(id, resolved, path, data, token, remoteAddress, remotePort, receivedAt);
    }
}
