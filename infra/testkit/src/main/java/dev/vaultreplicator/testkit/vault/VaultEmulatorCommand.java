package dev.vaultreplicator.testkit.vault;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

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

    public static void main(String[] args) {
        System.exit(new CommandLine(new VaultEmulatorCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        VaultEmulator emulator = VaultEmulator.builder().port(port).rootToken(rootToken).dataDir(dataDir)
                .clusterName(clusterName).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }));
        System.out.println("Vault emulator listening on " + emulator.address());
        System.out.println("Root Token: " + emulator.rootToken());
        System.out.println("Unseal Key: " + emulator.unsealKey());
        System.out.println(dataDir == null ? "Storage: in memory" : "Storage: " + dataDir.toAbsolutePath());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
