package dev.vaultreplicator.devstack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.vaultreplicator.cli.ReplicatorCli;

/**
 * Apply for a region: its settings file (the devstack's keyring, the region's Vault), and ready
 * once its metrics show apply's own meters, which it registers after it found its topics and read
 * the control topic. Apply for west runs from the start; apply for east is the mirror image, which
 * applies once a promotion has made west the primary.
 */
final class ApplyComponent {

    static final String NAME = "apply-" + Devstack.STANDBY_REGION;
    static final String MIRROR = "apply-" + Devstack.PRIMARY_REGION;

    private ApplyComponent() {}

    static String name(String region) {
        return "apply-" + region;
    }

    static Component of(Settings settings, DevstackLayout layout, String region) {
        boolean standby = region.equals(Devstack.STANDBY_REGION);
        String name = name(region);
        int vaultPort = standby ? settings.vaultStandbyPort : settings.vaultPrimaryPort;
        int metricsPort = standby ? settings.applyMetricsPort : settings.applyMetricsPort + 2;
        Path config = layout.home().resolve(name + ".properties");
        layout.writeOwnerOnly(config, String.join("\n",
                "# Written by ./devstack; see docs/apply.md for every setting.",
                "region = " + region,
                "kafka.bootstrap.servers = localhost:" + settings.brokerPort,
                "topic.prefix = " + settings.topicPrefix,
                "vault.address = http://127.0.0.1:" + vaultPort,
                "vault.token = " + VaultComponent.token(layout),
                "keyring.file = " + CaptureComponent.keyring(layout),
                "state.dir = " + layout.dataDir(name),
                "metrics.host = 127.0.0.1",
                "metrics.port = " + metricsPort,
                "instance.timeout = 10s",
                ""));
        return Component.jvm(name, ReplicatorCli.class.getName(),
                List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                List.of("apply", "--config", config.toString()),
                "metrics :" + metricsPort,
                process -> awaitMeters(metricsPort, process));
    }

    private static void awaitMeters(int port, ProcessHandle process) {
        Supervisor.awaitAnswer(URI.create("http://127.0.0.1:" + port + "/metrics"), response -> response.statusCode() == 200
                && response.body().contains("vault_apply_standby_retries_total"), process, Duration.ofSeconds(90),
                "apply did not start");
    }
}
