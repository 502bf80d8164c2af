package dev.vaultreplicator.devstack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.vaultreplicator.cli.ReplicatorCli;

/**
 * Apply for the standby region: its settings file (the devstack's keyring, the standby Vault), and
 * ready once its metrics show apply's own meters, which it registers after it found its topics and
 * read the control topic.
 */
final class ApplyComponent {

    static final String NAME = "apply-" + Devstack.STANDBY_REGION;

    private ApplyComponent() {}

    static Component of(Devstack.Settings settings, DevstackLayout layout) {
        Path config = layout.home().resolve(NAME + ".properties");
        layout.write(config, String.join("\n",
                "# Written by ./devstack up; see docs/apply.md for every setting.",
                "region = " + Devstack.STANDBY_REGION,
                "kafka.bootstrap.servers = localhost:" + settings.brokerPort,
                "topic.prefix = " + settings.topicPrefix,
                "vault.address = http://127.0.0.1:" + settings.vaultStandbyPort,
                "vault.token = " + Devstack.VAULT_TOKEN,
                "keyring.file = " + CaptureComponent.keyring(layout),
                "state.dir = " + layout.dataDir(NAME),
                "metrics.port = " + settings.applyMetricsPort,
                "instance.timeout = 10s",
                ""));
        return new Component(NAME, ReplicatorCli.class.getName(),
                List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                List.of("apply", "--config", config.toString()),
                "metrics :" + settings.applyMetricsPort,
                process -> awaitMeters(settings.applyMetricsPort, process));
    }

    private static void awaitMeters(int port, ProcessHandle process) {
        Devstack.awaitAnswer(URI.create("http://127.0.0.1:" + port + "/metrics"), response -> response.statusCode() == 200
                && response.body().contains("vault_apply_standby_retries_total"), process, Duration.ofSeconds(90),
                "apply did not start");
    }
}
