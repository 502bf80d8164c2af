package dev.vaultreplicator.testkit.vault.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Vault's {@code file} audit device: appends each entry line to {@code file_path}, created with
 * {@code mode} (default 0600). {@code stdout} and {@code discard} are Vault's two special paths.
 * Operators keep one beside the socket device, so Vault goes on answering while the socket's
 * listener is down.
 */
final class FileAuditDevice extends AuditDevice {

    private final String filePath;

    FileAuditDevice(Map<String, String> options, byte[] salt) {
        super("file", options, salt);
        String path = options.get("file_path");
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("file_path is required");
        }
        this.filePath = path;
        String mode = options.getOrDefault("mode", "0600");
        if (!mode.matches("0?[0-7]{3}") || (Integer.parseInt(mode, 8) & 0111) != 0) {
            throw new IllegalArgumentException("file mode " + mode + " is not valid: executable bits are not allowed");
        }
    }

    @Override
    synchronized boolean write(byte[] line) {
        byte[] bytes = prefixed(line);
        switch (filePath) {
            case "discard" -> {
                return true;
            }
            case "stdout" -> {
                System.out.write(bytes, 0, bytes.length);
                System.out.flush();
                return true;
            }
            default -> {
                try {
                    Path file = Path.of(filePath);
                    if (Files.notExists(file)) {
                        Files.createFile(file);
                        applyMode(file);
                    }
                    Files.write(file, bytes, StandardOpenOption.APPEND);
                    return true;
                } catch (IOException | UnsupportedOperationException e) {
                    return false;
                }
            }
        }
    }

    private void applyMode(Path file) throws IOException {
        int bits = Integer.parseInt(options().getOrDefault("mode", "0600"), 8);
        if (bits == 0) {
            return; // "0000": leave the mode alone
        }
        StringBuilder text = new StringBuilder();
        for (int bit = 8; bit >= 0; bit--) {
            text.append((bits & (1 << bit)) != 0 ? "rwx".charAt((8 - bit) % 3) : '-');
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(text.toString()));
    }

    @Override
    public void close() {
        // Each write opens and closes the file, so a rotated log is picked up without a SIGHUP.
    }
}
