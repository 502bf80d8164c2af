package dev.vaultreplicator.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;

/** The files under {@code .devstack/}: a pid file and a log per component, the env file, and data. */
record DevstackLayout(Path home) {

    Path pidFile(String component) {
        return home.resolve(component + ".pid");
    }

    Path logFile(String component) {
        return home.resolve(component + ".log");
    }

    Path dataDir(String component) {
        return home.resolve("data").resolve(component);
    }

    Path envFile() {
        return home.resolve("env");
    }

    Path settingsFile() {
        return home.resolve("settings.properties");
    }

    Optional<ProcessHandle> running(String component) {
        Path pidFile = pidFile(component);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void recordPid(String component, long pid) {
        write(pidFile(component), Long.toString(pid));
    }

    void forget(String component) {
        try {
            Files.deleteIfExists(pidFile(component));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A file only its owner may read: a keyring, API tokens. */
    void writeOwnerOnly(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removes a directory and everything under it; nothing when it is not there. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
