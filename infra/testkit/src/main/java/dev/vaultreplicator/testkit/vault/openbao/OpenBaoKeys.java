package dev.vaultreplicator.testkit.vault.openbao;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vaultreplicator.testkit.vault.core.Json;

/**
 * The unseal key and root token {@code sys/init} gave a server, kept in {@code init.json} beside
 * its data, readable by its owner only: whoever holds them owns every secret on the server.
 */
public record OpenBaoKeys(String unsealKey, String rootToken) {

    static final String FILE_NAME = "init.json";

    @Override
    public String toString() {
        return "OpenBaoKeys[redacted]";
    }

    static OpenBaoKeys fromInitResponse(JsonNode init) {
        return new OpenBaoKeys(init.at("/keys_base64/0").asText(), init.get("root_token").asText());
    }

    void save(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, Json.bytes(Json.object().put("unseal_key", unsealKey).put("root_token", rootToken)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the OpenBao keys in " + file, e);
        }
    }

    public static OpenBaoKeys load(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        try {
            JsonNode saved = Json.MAPPER.readTree(file.toFile());
            return new OpenBaoKeys(saved.get("unseal_key").asText(), saved.get("root_token").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("the server is initialised but its keys are not in " + file
                    + "; remove its data to start afresh", e);
        }
    }
}
