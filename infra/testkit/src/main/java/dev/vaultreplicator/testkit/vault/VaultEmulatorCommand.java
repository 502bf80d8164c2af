package dev.vaultreplicator.testkit.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.vaultreplicator.testkit.vault.core.Flavour;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar testkit.jar --port 8200}: the emulator as a process of its own, like {@code vault server -dev}. */
@Command(name = "vault-emulator", mixinStandardHelpOptions = true,
        description = "A Vault API emulator for tests and the local devstack: KV v2 at secret/, a root token, "
                + "ACL policies, tokens, seal, mounts and the socket audit device.")
public final class VaultEmulatorCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Port to listen on (127.0.0.1). 0 picks a free one. Default: ${DEFAULT-VALUE}.",
            defaultValue = "8200")
    int port;

    @Option(names = "--root-token", description = "The root token, as -dev-root-token-id. Default: ${DEFAULT-VALUE}.",
            defaultValue = "root")
    String rootToken;

    @Option(names = "--data-dir", description = "Keep state here so a restart finds it (default: in memory only).")
    Path dataDir;

    @Option(names = "--cluster-name", description = "Reported by sys/health. Default: ${DEFAULT-VALUE}.",
            defaultValue = "vault-cluster-emulator")
    String clusterName;

    @Option(names = "--flavour", description = "Answer as openbao or vault where the two differ "
            + "(docs/fidelity.md). Default: ${DEFAULT-VALUE}.", defaultValue = "openbao", converter = FlavourConverter.class)
    Flavour flavour;

    @Option(names = "--config", description = "An OpenBao config file whose audit stanzas declare the audit devices: "
            + "read at start and again on SIGHUP, as OpenBao does; its other stanzas are ignored.")
    Path config;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VaultEmulatorCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        VaultEmulator emulator = VaultEmulator.builder().port(port).rootToken(rootToken).dataDir(dataDir)
                .clusterName(clusterName).flavour(flavour).auditDevices(declaredAuditDevices()).start();
        if (config != null) {
            // SIGHUP is OpenBao's signal to reread its config; sun.misc.Signal is the JDK's only way to catch it.
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reloadAuditDevices(emulator));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }));
        System.out.println("Vault emulator (answering as " + flavour.name().toLowerCase(java.util.Locale.ROOT)
                + ") listening on " + emulator.address());
        System.out.println("Root Token: " + emulator.rootToken());
        System.out.println("Unseal Key: " + emulator.unsealKey());
        System.out.println(dataDir == null ? "Storage: in memory" : "Storage: " + dataDir.toAbsolutePath());
        System.out.flush();
        stopped.await();
        return 0;
    }

    private List<AuditDeclaration> declaredAuditDevices() {
        if (config == null) {
            return List.of();
        }
        try {
            return AuditDeclarations.parse(Files.readString(config));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + config, e);
        }
    }

    /** As OpenBao on SIGHUP: a config that cannot be read or applied is reported and the devices stay. */
    private void reloadAuditDevices(VaultEmulator emulator) {
        try {
            emulator.declareAuditDevices(declaredAuditDevices());
            System.out.println("Audit devices reloaded from " + config);
        } catch (RuntimeException e) {
            System.out.println("Audit devices not reloaded from " + config + ": " + e.getMessage());
        }
        System.out.flush();
    }

    static final class FlavourConverter implements CommandLine.ITypeConverter<Flavour> {
        @Override
        public Flavour convert(String value) {
            return Flavour.parse(value);
        }
    }
}
