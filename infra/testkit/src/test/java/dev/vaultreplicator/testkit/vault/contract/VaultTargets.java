package dev.vaultreplicator.testkit.vault.contract;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import dev.vaultreplicator.testkit.process.FreePorts;
import dev.vaultreplicator.testkit.vault.VaultEmulator;

/**
 * The two Vaults every contract test runs against: the emulator, always; and a real Vault when one
 * is available: {@code VAULT_ADDR} with {@code VAULT_TOKEN}, else a {@code vault} or {@code bao}
 * binary on PATH started in dev mode on a free port. Each is started once per test JVM.
 */
public final class VaultTargets {

    private static VaultTarget emulator;
    private static VaultTarget real;

    private VaultTargets() {
    }

    public static Stream<VaultTarget> all() {
        return Stream.of(emulator(), real());
    }

    static synchronized VaultTarget emulator() {
        if (emulator == null) {
            VaultEmulator server = VaultEmulator.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            emulator = new VaultTarget("emulator", server.address(), server.rootToken(), true,
                    Optional.of(server.unsealKey()), null);
        }
        return emulator;
    }

    static synchronized VaultTarget real() {
        if (real == null) {
            real = findRealVault();
        }
        return real;
    }

    private static VaultTarget findRealVault() {
        String address = System.getenv("VAULT_ADDR");
        String token = System.getenv("VAULT_TOKEN");
        if (address != null && !address.isBlank() && token != null && !token.isBlank()) {
            return new VaultTarget("real Vault at " + address, address.replaceAll("/+$", ""), token, false,
                    Optional.empty(), null);
        }
        for (String binary : new String[] {"vault", "bao"}) {
            Optional<Path> onPath = onPath(binary);
            if (onPath.isPresent()) {
                return startDevServer(binary, onPath.get());
            }
        }
        return VaultTarget.unavailable("real Vault", "no real Vault available: VAULT_ADDR and VAULT_TOKEN are not "
                + "set, no vault or bao binary is on PATH (and Docker, for Testcontainers, does not run here)");
    }

    private static Optional<Path> onPath(String binary) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, binary))
                .filter(Files::isExecutable).findFirst();
    }

    /** {@code vault server -dev} on a free port, its unseal key read from what it prints. */
    private static VaultTarget startDevServer(String name, Path binary) {
        int port = FreePorts.allocate();
        String token = "contract-" + UUID.randomUUID();
        try {
            Process process = new ProcessBuilder(binary.toString(), "server", "-dev", "-dev-root-token-id=" + token,
                    "-dev-listen-address=127.0.0.1:" + port).redirectErrorStream(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            String unsealKey = readUnsealKey(process);
            String address = "http://127.0.0.1:" + port;
            awaitHealthy(new VaultHttp(address, token));
            return new VaultTarget(name + " -dev", address, token, true, Optional.ofNullable(unsealKey), null);
        } catch (IOException e) {
            return VaultTarget.unavailable(name, name + " -dev failed to start: " + e.getMessage());
        }
    }

    private static String readUnsealKey(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Instant deadline = Instant.now().plusSeconds(30);
        String line;
        while (Instant.now().isBefore(deadline) && (line = out.readLine()) != null) {
            if (line.startsWith("Unseal Key: ")) {
                String key = line.substring("Unseal Key: ".length()).trim();
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return key;
            }
        }
        return null;
    }

    private static void awaitHealthy(VaultHttp http) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> http.get("sys/health").status() == 200);
    }
}
