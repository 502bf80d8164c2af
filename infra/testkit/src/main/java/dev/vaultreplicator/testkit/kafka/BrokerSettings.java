package dev.vaultreplicator.testkit.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import kafka.tools.StorageTool;

/**
 * A single-node KRaft broker's files: its configuration, its log4j setup and its formatted storage,
 * all under one directory, so the same directory and ports can be started again after a kill.
 *
 * @param tls a TLS listener beside the plain one, or {@code null}
 */
public record BrokerSettings(Path directory, int brokerPort, int controllerPort, TlsListener tls) {

    /**
     * A listener that speaks TLS with the key and certificate chain of a PKCS#12 key store.
     *
     * @param password the key store's and its key's
     */
    public record TlsListener(int port, Path keyStore, String password) {}

    public BrokerSettings(Path directory, int brokerPort, int controllerPort) {
        this(directory, brokerPort, controllerPort, null);
    }

    /** Where clients reach the TLS listener; the certificate must name localhost. */
    public String tlsBootstrapServers() {
        return "localhost:" + tls.port();
    }

    public static final String MAIN_CLASS = "kafka.Kafka";
    /** About 370 MB RSS at this heap; enough for every test and for devstack. */
    public static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    public Path configFile() {
        return directory.resolve("server.properties");
    }

    public Path logFile() {
        return directory.resolve("broker.log");
    }

    public Path dataDirectory() {
        return directory.resolve("data");
    }

    public List<String> jvmOptions() {
        return concat(JVM_OPTIONS, List.of("-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties").toUri()));
    }

    /** Writes the configuration and formats the storage, unless an earlier run already did. */
    public BrokerSettings prepare() {
        try {
            Files.createDirectories(directory);
            Files.writeString(configFile(), serverProperties());
            Files.writeString(directory.resolve("log4j2.properties"), log4jProperties());
            if (!Files.exists(dataDirectory().resolve("meta.properties"))) {
                format();
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker directory " + directory, e);
        }
    }

    private void format() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        int exit = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile().toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("formatting the broker storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** Design section 10: replication factor and min ISR 1 everywhere, so transactions work on one node. */
    private String serverProperties() {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort
                        + (tls == null ? "" : ",SSL://localhost:" + tls.port()),
                "advertised.listeners=PLAINTEXT://localhost:" + brokerPort
                        + (tls == null ? "" : ",SSL://localhost:" + tls.port()),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + (tls == null ? "" : ",SSL:SSL"),
                tls == null ? "" : "ssl.keystore.type=PKCS12\nssl.keystore.location=" + tls.keyStore()
                        + "\nssl.keystore.password=" + tls.password() + "\nssl.key.password=" + tls.password(),
                "log.dirs=" + dataDirectory(),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "group.streams.initial.rebalance.delay.ms=0",
                // After SIGKILL the restarted broker must wait out its old session (9 s by default).
                "broker.heartbeat.interval.ms=500",
                "broker.session.timeout.ms=1500",
                // Tests of compaction wait for the cleaner; it looks for work every 15 s by default.
                "log.cleaner.backoff.ms=500",
                "")
                + System.lineSeparator();
    }

    private String log4jProperties() {
        return String.join("\n",
                "appender.file.type=File",
                "appender.file.name=file",
                "appender.file.fileName=" + logFile(),
                "appender.file.layout.type=PatternLayout",
                "appender.file.layout.pattern=%d{ISO8601} %-5p [%c{1}] %m%n",
                "rootLogger.level=WARN",
                "rootLogger.appenderRef.file.ref=file",
                "logger.started.name=kafka.server.KafkaRaftServer",
                "logger.started.level=INFO",
                "");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
