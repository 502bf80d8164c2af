package dev.vaultreplicator.testkit.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vaultreplicator.testkit.vault.core.Json;
import dev.vaultreplicator.testkit.vault.core.Mount;
import dev.vaultreplicator.testkit.vault.sys.SystemBackend;

/**
 * {@code --data-dir}: the whole state as one JSON file, replaced atomically after every change that
 * succeeded, so a restart (even after SIGKILL) finds every acknowledged write.
 */
final class StateFile {

    private final Path file;

    StateFile(Path directory) {
        this.file = directory.resolve("vault-state.json");
    }

    boolean exists() {
        return Files.exists(file);
    }

    synchronized void save(EmulatedVault vault, String unsealKey) {
        ObjectNode state = Json.object();
        state.put("unseal_key", unsealKey);
        ArrayNode mounts = state.putArray("mounts");
        for (Mount mount : vault.mounts.all()) {
            ObjectNode entry = mounts.addObject();
            entry.put("path", mount.path());
            entry.put("type", mount.version().equals("2") ? "kv-v2" : "kv-v1");
            entry.put("accessor", mount.accessor());
            entry.put("uuid", mount.uuid());
            entry.put("description", mount.description());
            entry.set("state", mount.backend().snapshot());
        }
        state.set("policies", vault.policies.snapshot());
        state.set("tokens", vault.tokens.snapshot());
        state.set("audit", vault.audit.snapshot());
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, Json.bytes(state));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the emulator state to " + file, e);
        }
    }

    static byte[] unsealKey(Path directory) {
        try {
            JsonNode state = Json.MAPPER.readTree(directory.resolve("vault-state.json").toFile());
            return Base64.getDecoder().decode(state.get("unseal_key").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void load(EmulatedVault vault) {
        JsonNode state;
        try {
            state = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the emulator state " + file, e);
        }
        for (JsonNode entry : state.get("mounts")) {
            Mount fresh = SystemBackend.newMount(entry.get("path").asText(),
                    (ObjectNode) Json.object().put("type", entry.get("type").asText()), vault.flavour);
            Mount mount = new Mount(fresh.path(), fresh.type(), fresh.version(), entry.get("accessor").asText(),
                    entry.get("uuid").asText(), entry.path("description").asText(""), fresh.backend());
            mount.backend().restore(entry.get("state"));
            vault.mounts.add(mount);
        }
        vault.policies.restore(state.get("policies"));
        vault.tokens.restore(state.get("tokens"));
        vault.audit.restore(state.get("audit"));
    }
}
