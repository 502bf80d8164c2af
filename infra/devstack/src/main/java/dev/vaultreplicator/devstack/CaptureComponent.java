package dev.vaultreplicator.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import dev.vaultreplicator.cli.ReplicatorCli;

/**
 * Capture for a region: its settings file, a keyring made once for this devstack, and, once
 * capture listens, its Vault's socket audit device pointed at it (and a file device beside it, so
 * that Vault goes on answering while capture is stopped). Capture for east runs from the start;
 * capture for west is the mirror image, idle until a promotion names west.
 */
final class CaptureComponent {

    static final String NAME = "capture-" + Devstack.PRIMARY_REGION;
    static final String MIRROR = "capture-" + Devstack.STANDBY_REGION;

    private CaptureComponent() {}

    static String name(String region) {
        return "capture-" + region;
    }

    static Component of(Settings settings, DevstackLayout layout, String region) {
        boolean primary = region.equals(Devstack.PRIMARY_REGION);
        String name = name(region);
        int vaultPort = primary ? settings.vaultPrimaryPort : settings.vaultStandbyPort;
        int auditPort = primary ? settings.captureAuditPort : settings.captureAuditPort + 1;
        int metricsPort = primary ? settings.captureMetricsPort : settings.applyMetricsPort + 1;
        Path keyring = keyring(layout);
        Path config = layout.home().resolve(name + ".properties");
        layout.writeOwnerOnly(config, String.join("\n",
                "# Written by ./devstack; see docs/capture.md for every setting.",
                "region = " + region,
                "kafka.bootstrap.servers = localhost:" + settings.brokerPort,
                "topic.prefix = " + settings.topicPrefix,
                "topic.partitions = " + settings.partitions,
                "vault.address = http://127.0.0.1:" + vaultPort,
                "vault.token = " + VaultComponent.token(layout),
                "keyring.file = " + keyring,
                "audit.listen.port = " + auditPort,
                "metrics.host = 127.0.0.1",
                "metrics.port = " + metricsPort,
                // Only the first primary may claim epoch 1 on an empty control topic.
                "epoch.bootstrap = " + primary,
                ""));
        String vault = "http://127.0.0.1:" + vaultPort;
        return Component.jvm(name, ReplicatorCli.class.getName(),
                List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                List.of("capture", "--config", config.toString()),
                "audit :" + auditPort + ", metrics :" + metricsPort,
                process -> new DeclaredAuditDevices(primary ? "vault-primary" : "vault-standby", layout)
                        .connectSocketDevice(auditPort, vault, VaultComponent.token(layout), process));
    }

    /** A 256-bit key made on first use, readable by the owner only (capture refuses anything else). */
    static Path keyring(DevstackLayout layout) {
        Path file = layout.home().resolve("keyring");
        if (Files.exists(file)) {
            return file;
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        layout.writeOwnerOnly(file, "# made by ./devstack up for this machine only\ncurrent = devstack\nkey.devstack = "
                + Base64.getEncoder().encodeToString(key) + "\n");
        return file;
    }
}
