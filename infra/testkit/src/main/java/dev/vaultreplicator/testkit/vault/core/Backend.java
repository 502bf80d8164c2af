package dev.vaultreplicator.testkit.vault.core;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A secrets engine mounted at a path: it answers requests for paths relative to its mount. */
public interface Backend {

    /**
     * Vault's existence check for POST and PUT, which decides between the {@code create} and
     * {@code update} capabilities; empty when the path has none (the operation is then UPDATE).
     */
    Optional<Boolean> exists(String relativePath);

    VaultResponse handle(Operation operation, String relativePath, ObjectNode data);

    /** Everything the engine holds, for {@code --data-dir}. */
    JsonNode snapshot();

    void restore(JsonNode snapshot);

    /**
     * The part of the engine's state that a successful change on {@code relativePath} touched, as
     * it is now: one journal record of {@code --data-dir}, so a write costs one entry, not the
     * whole engine. {@link #restoreChange} puts it back.
     */
    ObjectNode changeRecord(String relativePath);

    void restoreChange(JsonNode record);
}
