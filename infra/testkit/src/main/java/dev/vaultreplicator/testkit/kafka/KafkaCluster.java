package dev.vaultreplicator.testkit.kafka;

import java.nio.file.Path;

/** The Kafka a test talks to: a local broker the testkit owns, or the cluster {@code KAFKA_BOOTSTRAP} names. */
public interface KafkaCluster extends AutoCloseable {

    String ENV_BOOTSTRAP = "KAFKA_BOOTSTRAP";

    String bootstrapServers();

    @Override
    void close();

    /** The cluster {@code KAFKA_BOOTSTRAP} names if it is set, else a fresh local broker under {@code directory}. */
    static KafkaCluster forTests(Path directory) {
        String external = System.getenv(ENV_BOOTSTRAP);
        if (external != null && !external.isBlank()) {
            return new ExternalKafka(external.trim());
        }
        return KafkaBroker.start(directory);
    }
}
