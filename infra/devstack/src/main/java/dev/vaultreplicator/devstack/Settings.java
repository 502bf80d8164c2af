package dev.vaultreplicator.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Ports and prefix chosen at {@code up}, kept so {@code start <component>} reuses them. */
final class Settings {
    @Option(names = "--broker-port", defaultValue = "${env:DEVSTACK_BROKER_PORT:-9092}",
            description = "Kafka client port. Default: ${DEFAULT-VALUE}.")
    int brokerPort;
    @Option(names = "--controller-port", defaultValue = "${env:DEVSTACK_CONTROLLER_PORT:-9093}",
            description = "KRaft controller port. Default: ${DEFAULT-VALUE}.")
    int controllerPort;
    @Option(names = "--vault-primary-port", defaultValue = "${env:DEVSTACK_VAULT_PRIMARY_PORT:-8200}",
            description = "Primary Vault (east). Default: ${DEFAULT-VALUE}.")
    int vaultPrimaryPort;
    @Option(names = "--vault-standby-port", defaultValue = "${env:DEVSTACK_VAULT_STANDBY_PORT:-8201}",
            description = "Standby Vault (west). Default: ${DEFAULT-VALUE}.")
    int vaultStandbyPort;
    @Option(names = "--capture-audit-port", defaultValue = "${env:DEVSTACK_CAPTURE_AUDIT_PORT:-9090}",
            description = "Capture's audit socket, which the primary's audit device writes to. Default: ${DEFAULT-VALUE}.")
    int captureAuditPort;
    @Option(names = "--capture-metrics-port", defaultValue = "${env:DEVSTACK_CAPTURE_METRICS_PORT:-9464}",
            description = "Capture's Prometheus endpoint. Default: ${DEFAULT-VALUE}.")
    int captureMetricsPort;
    @Option(names = "--apply-metrics-port", defaultValue = "${env:DEVSTACK_APPLY_METRICS_PORT:-9465}",
            description = "Apply's Prometheus endpoint. Default: ${DEFAULT-VALUE}.")
    int applyMetricsPort;
    @Option(names = "--promotion-port", defaultValue = "${env:DEVSTACK_PROMOTION_PORT:-8088}",
            description = "The promotion service's API. Default: ${DEFAULT-VALUE}.")
    int promotionPort;
    @Option(names = "--topic-prefix", defaultValue = "${env:TOPIC_PREFIX:-vr}",
            description = "Prefix of every topic. Default: ${DEFAULT-VALUE}.")
    String topicPrefix;
    @Option(names = "--partitions", defaultValue = "${env:DEVSTACK_PARTITIONS:-12}",
            description = "Partitions of the changes topic, when capture creates it. Default: ${DEFAULT-VALUE}.")
    int partitions;
    @Option(names = "--vault", defaultValue = "${env:DEVSTACK_VAULT:-auto}",
            description = "openbao (a real bao server on raft storage), emulator, or auto: OpenBao when a bao "
                    + "binary is on PATH or in .tools/openbao, else the emulator. Default: ${DEFAULT-VALUE}.")
    String vault;

    /**
     * How often the promotion service compares the standby with the primary. A minute for a devstack
     * one tries things on (a promotion goes through soon after apply drains); the benchmark's stack
     * keeps the service's default, since each comparison reads every version on both Vaults.
     */
    String inspectInterval = "1m";

    /** auto becomes what runs, so start and status later use the same kind. */
    void resolveVault() {
        if (vault.equalsIgnoreCase("auto")) {
            vault = OpenBaoServer.findBinary().isPresent() ? "openbao" : "emulator";
        }
        VaultComponent.Kind.parse(vault);
    }

    /** The same settings with every port moved by {@code offset}: a second stack beside the first. */
    Settings shifted(int offset) {
        Settings shifted = new Settings();
        shifted.brokerPort = brokerPort + offset;
        shifted.controllerPort = controllerPort + offset;
        shifted.vaultPrimaryPort = vaultPrimaryPort + offset;
        shifted.vaultStandbyPort = vaultStandbyPort + offset;
        shifted.captureAuditPort = captureAuditPort + offset;
        shifted.captureMetricsPort = captureMetricsPort + offset;
        shifted.applyMetricsPort = applyMetricsPort + offset;
        shifted.promotionPort = promotionPort + offset;
        shifted.topicPrefix = topicPrefix;
        shifted.partitions = partitions;
        shifted.inspectInterval = inspectInterval;
        shifted.vault = vault;
        return shifted;
    }

    Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--broker-port", brokerPort);
        ports.put("--controller-port", controllerPort);
        ports.put("--vault-primary-port", vaultPrimaryPort);
        ports.put("--vault-standby-port", vaultStandbyPort);
        ports.put("--capture-audit-port", captureAuditPort);
        ports.put("--capture-metrics-port", captureMetricsPort);
        ports.put("--apply-metrics-port", applyMetricsPort);
        ports.put("--promotion-port", promotionPort);
        if (VaultComponent.Kind.parse(vault) == VaultComponent.Kind.OPENBAO) {
            ports.put("--vault-primary-port (+10000, OpenBao's cluster port)", VaultComponent.clusterPort(vaultPrimaryPort));
            ports.put("--vault-standby-port (+10000, OpenBao's cluster port)", VaultComponent.clusterPort(vaultStandbyPort));
        }
        return ports;
    }

    void save(DevstackLayout layout) {
        Properties props = new Properties();
        props.setProperty("brokerPort", Integer.toString(brokerPort));
        props.setProperty("controllerPort", Integer.toString(controllerPort));
        props.setProperty("vaultPrimaryPort", Integer.toString(vaultPrimaryPort));
        props.setProperty("vaultStandbyPort", Integer.toString(vaultStandbyPort));
        props.setProperty("captureAuditPort", Integer.toString(captureAuditPort));
        props.setProperty("captureMetricsPort", Integer.toString(captureMetricsPort));
        props.setProperty("applyMetricsPort", Integer.toString(applyMetricsPort));
        props.setProperty("promotionPort", Integer.toString(promotionPort));
        props.setProperty("topicPrefix", topicPrefix);
        props.setProperty("partitions", Integer.toString(partitions));
        props.setProperty("inspectInterval", inspectInterval);
        props.setProperty("vault", vault);
        java.io.StringWriter text = new java.io.StringWriter();
        try {
            props.store(text, "chosen by ./devstack up");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        layout.write(layout.settingsFile(), text.toString());
    }

    static Settings load(DevstackLayout layout) {
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(layout.settingsFile())) {
            props.load(in);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(new CommandLine(new Devstack()),
                    "no devstack has been set up here yet: run ./devstack up first");
        }
        Settings settings = new Settings();
        settings.brokerPort = Integer.parseInt(props.getProperty("brokerPort"));
        settings.controllerPort = Integer.parseInt(props.getProperty("controllerPort"));
        settings.vaultPrimaryPort = Integer.parseInt(props.getProperty("vaultPrimaryPort"));
        settings.vaultStandbyPort = Integer.parseInt(props.getProperty("vaultStandbyPort"));
        settings.captureAuditPort = Integer.parseInt(props.getProperty("captureAuditPort", "9090"));
        settings.captureMetricsPort = Integer.parseInt(props.getProperty("captureMetricsPort", "9464"));
        settings.applyMetricsPort = Integer.parseInt(props.getProperty("applyMetricsPort", "9465"));
        settings.promotionPort = Integer.parseInt(props.getProperty("promotionPort", "8088"));
        settings.topicPrefix = props.getProperty("topicPrefix");
        settings.partitions = Integer.parseInt(props.getProperty("partitions", "12"));
        settings.inspectInterval = props.getProperty("inspectInterval", "1m");
        // A devstack set up before OpenBao came in ran the emulator.
        settings.vault = props.getProperty("vault", "emulator");
        return settings;
    }
}
