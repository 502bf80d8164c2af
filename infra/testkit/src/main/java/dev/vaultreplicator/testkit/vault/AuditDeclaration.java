package dev.vaultreplicator.testkit.vault;

import java.util.Map;
import java.util.Objects;

/**
 * An audit device declared by the server's operator rather than enabled through the API: one
 * {@code audit "<type>" "<path>" { options { ... } }} stanza of an OpenBao config file. OpenBao
 * refuses to create audit devices through {@code sys/audit} ("cannot enable audit device via API");
 * it creates, keeps and removes them from its config file, at start and on SIGHUP. The emulator
 * takes the same declarations.
 */
public record AuditDeclaration(String type, String path, Map<String, String> options) {

    public AuditDeclaration {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        options = Map.copyOf(options);
    }

    /** A socket device writing to a TCP listener, as capture's audit stream is. */
    public static AuditDeclaration socket(String path, String address) {
        return new AuditDeclaration("socket", path, Map.of("address", address, "socket_type", "tcp"));
    }

    /** A file device, so the server goes on answering while the socket's peer is down. */
    public static AuditDeclaration file(String path, java.nio.file.Path file) {
        return new AuditDeclaration("file", path, Map.of("file_path", file.toAbsolutePath().toString()));
    }
}
