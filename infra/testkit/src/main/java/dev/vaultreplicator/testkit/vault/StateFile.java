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
 * The whole state as one JSON file, replaced atomically: the snapshot that {@link DataDirectory}'s
 * journal of later changes starts from, and the number of that journal's generation.
 */
final class StateFile {

    private final Path file;

    StateFile(Path directory) {
        this.file = directory.resolve("vault-state.json");
    }

    boolean exists() {
        return Files.exists(file);
    }

    /** @return the size of the file written */
    synchronized long save(EmulatedVault vault, String unsealKey, long generation) {
        ObjectNode state = Json.object();
        state.put("unseal_key", unsealKey);
        state.put("generation", generation);
        ArrayNode mounts = state.putArray("mounts");
        for (Mount mount : vault.mounts.all()) {
            mounts.add(describe(mount).set("state", mount.backend().snapshot()));
        }
        state.set("policies", vault.policies.snapshot());
        state.set("tokens", vault.tokens.snapshot());
        state.set("audit", vault.audit.snapshot());
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            byte[] bytes = Json.bytes(state);
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the emulator state to " + file, e);
        }
    }

    /** A mount table entry without the engine's state. */
    static ObjectNode describe(Mount mount) {
        ObjectNode entry = Json.object();
        entry.put("path", mount.path());
        entry.put("type", mount.version().equals("2") ? "kv-v2" : "kv-v1");
        entry.put("accessor", mount.accessor());
        entry.put("uuid", mount.uuid());
        entry.put("description", mount.description());
        return entry;
    }

    /** The mount an entry of {@link #describe} names, with an empty engine. */
    static Mount mount(JsonNode entry, dev.vaultreplicator.testkit.vault.core.Flavour flavour) {
        Mount fresh = SystemBackend.newMount(entry.get("path").asText(),
                (ObjectNode) Json.object().put("type", entry.get("type").asText()), flavour);
        return new Mount(fresh.path(), fresh.type(), fresh.version(), entry.get("accessor").asText(),
                entry.get("uuid").asText(), entry.path("description").asText(""), fresh.backend());
    }

    static byte[] unsealKey(Path directory) {
        try {
            JsonNode state = Json.MAPPER.readTree(directory.resolve("vault-state.json").toFile());
            return Base64.getDecoder().decode(state.get("unseal_key").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the generation of the journal that continues this snapshot */
    long load(EmulatedVault vault) {
        JsonNode state;
        try {
            state = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the emulator state " + file, e);
        }
        for (JsonNode entry : state.get("mounts")) {
            Mount mount = mount(entry, vault.flavour);
            mount.backend().restore(entry.get("state"));
            vault.mounts.add(mount);
        }
        vault.policies.restore(state.get("policies"));
        vault.tokens.restore(state.get("tokens"));
        vault.audit.restore(state.get("audit"));
        return state.path("generation").asLong(0);
    }
}
