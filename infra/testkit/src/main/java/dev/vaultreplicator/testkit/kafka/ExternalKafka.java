package dev.vaultreplicator.testkit.kafka;

/** A cluster someone else runs; the testkit never stops it. */
public record ExternalKafka(String bootstrapServers) implements KafkaCluster {

    @Override
    public void close() {
        // not ours to stop
    }
}
