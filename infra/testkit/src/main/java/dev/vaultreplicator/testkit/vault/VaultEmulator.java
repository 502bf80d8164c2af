package dev.vaultreplicator.testkit.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import dev.vaultreplicator.testkit.vault.core.Flavour;
import dev.vaultreplicator.testkit.vault.core.SealState;
import dev.vaultreplicator.testkit.vault.http.VaultHttpHandler;

/**
 * An HTTP server that speaks Vault's API as this project uses it (../shared/vault-api.md), started
 * like {@code vault server -dev}: KV v2 at {@code secret/} and a known root token. In memory unless
 * given a data directory. It answers as OpenBao does unless told to answer as HashiCorp Vault
 * ({@link Flavour}); the contract suite holds it to a real OpenBao.
 */
public final class VaultEmulator implements VaultServer {

    static {
        // The JDK server writes a response's headers and body apart; with Nagle's algorithm on, the
        // body waits for the client's delayed ACK, about 40 ms a request (Vault, in Go, sets
        // TCP_NODELAY). The JDK reads this once, when the first server in the JVM is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final EmulatedVault vault;
    private final String rootToken;

    private VaultEmulator(HttpServer server, ExecutorService workers, EmulatedVault vault, String rootToken) {
        this.server = server;
        this.workers = workers;
        this.vault = vault;
        this.rootToken = rootToken;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An in-memory emulator on a free port with a random root token. */
    public static VaultEmulator start() {
        return builder().start();
    }

    /** The unseal key an emulator with this {@code --data-dir} keeps there. */
    public static String unsealKey(Path dataDir) {
        return java.util.Base64.getEncoder().encodeToString(StateFile.unsealKey(dataDir));
    }

    /**
     * Makes the declared audit devices exactly these, as OpenBao does when its config file changes
     * and it gets SIGHUP. A new socket device is tested with a probe line, so its listener must be up.
     */
    @Override
    public void declareAuditDevices(List<AuditDeclaration> devices) {
        vault.audit.declare(devices);
        vault.auditDevicesChanged();
    }

    @Override
    public String address() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public String rootToken() {
        return rootToken;
    }

    /** The single unseal key (threshold 1 of 1), base64, as a dev server prints it. */
    @Override
    public String unsealKey() {
        return vault.seal.unsealKeyBase64();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        vault.close();
    }

    public static final class Builder {
        private int port;
        private String rootToken = "root-" + UUID.randomUUID();
        private Path dataDir;
        private String clusterName = "vault-cluster-emulator";
        private Flavour flavour = Flavour.OPENBAO;
        private long journalLimit = DataDirectory.MIN_JOURNAL_BYTES;
        private List<AuditDeclaration> auditDevices = List.of();

        /** Answer as OpenBao (the default) or as HashiCorp Vault where the two differ. */
        public Builder flavour(Flavour flavour) {
            this.flavour = java.util.Objects.requireNonNull(flavour, "flavour");
            return this;
        }

        /** For tests of compaction: fold the journal into a snapshot once it is this big. */
        Builder journalLimit(long bytes) {
            this.journalLimit = bytes;
            return this;
        }

        /** Audit devices declared at start, as in an OpenBao config file. */
        public Builder auditDevices(List<AuditDeclaration> devices) {
            this.auditDevices = List.copyOf(devices);
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder rootToken(String token) {
            this.rootToken = token;
            return this;
        }

        /** Keep state in this directory, so that a restart finds it. */
        public Builder dataDir(Path directory) {
            this.dataDir = directory;
            return this;
        }

        public Builder clusterName(String name) {
            this.clusterName = name;
            return this;
        }

        public VaultEmulator start() {
            DataDirectory data = dataDir == null ? null : new DataDirectory(dataDir, journalLimit);
            boolean restoring = data != null && data.exists();
            SealState seal = restoring ? new SealState(StateFile.unsealKey(dataDir)) : SealState.withRandomKey();
            EmulatedVault vault = new EmulatedVault(flavour, seal, clusterName, UUID.nameUUIDFromBytes(clusterName.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)).toString(), data);
            if (restoring) {
                data.load(vault);
            } else {
                vault.initialiseLikeDevServer(rootToken);
            }
            vault.tokens.lookup(rootToken, java.time.Instant.now()).orElseGet(() -> vault.tokens.createRoot(rootToken));
            if (!auditDevices.isEmpty() || restoring) {
                vault.audit.declare(auditDevices);
            }
            if (data != null) {
                // Every start begins a generation: the journal replayed above is folded into the snapshot.
                data.compact(vault, seal.unsealKeyBase64());
            }
            return listen(vault);
        }

        private VaultEmulator listen(EmulatedVault vault) {
            AtomicInteger threads = new AtomicInteger();
            ExecutorService workers = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "vault-http-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
                server.createContext("/", new VaultHttpHandler(vault::handle, vault.flavour.envelopeHasMountType()));
                server.setExecutor(workers);
                server.start();
                return new VaultEmulator(server, workers, vault, rootToken);
            } catch (IOException e) {
                workers.shutdownNow();
                throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
            }
        }
    }
}
