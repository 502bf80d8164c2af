package dev.vaultreplicator.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import dev.vaultreplicator.cli.ReplicatorCli;

/**
 * Capture for the primary region: its settings file, a keyring made once for this devstack, and,
 * once capture listens, the primary's socket audit device pointed at it.
 */
final class CaptureComponent {

    static final String NAME = "capture-" + Devstack.PRIMARY_REGION;

    private CaptureComponent() {}

    static Component of(Devstack.Settings settings, DevstackLayout layout) {
        Path keyring = keyring(layout);
        Path config = layout.home().resolve(NAME + ".properties");
        layout.write(config, String.join("\n",
                "# Written by ./devstack up; see docs/capture.md for every setting.",
                "region = " + Devstack.PRIMARY_REGION,
                "kafka.bootstrap.servers = localhost:" + settings.brokerPort,
                "topic.prefix = " + settings.topicPrefix,
                "vault.address = http://127.0.0.1:" + settings.vaultPrimaryPort,
                "vault.token = " + Devstack.VAULT_TOKEN,
                "keyring.file = " + keyring,
                "audit.listen.port = " + settings.captureAuditPort,
                "metrics.port = " + settings.captureMetricsPort,
                "scan.interval = 1m",
                "epoch.bootstrap = true",
                ""));
        String vault = "http://127.0.0.1:" + settings.vaultPrimaryPort;
        return new Component(NAME, ReplicatorCli.class.getName(),
                List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                List.of("capture", "--config", config.toString()),
                "audit :" + settings.captureAuditPort + ", metrics :" + settings.captureMetricsPort,
                process -> new PrimaryAuditDevices(vault).connectSocketDevice(settings.captureAuditPort, process));
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
