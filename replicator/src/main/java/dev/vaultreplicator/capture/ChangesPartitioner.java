package dev.vaultreplicator.capture;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * Places every record of one secret on one partition, whatever its {@link ChangeKeys} suffix, so
 * apply sees a secret's events in the order capture published them. The hash is the one Kafka's
 * default partitioner applies to the whole key, so a key without a suffix lands where it always did.
 */
public final class ChangesPartitioner implements Partitioner {

  @Override
  public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    if (!(key instanceof String recordKey)) {
      throw new IllegalArgumentException("changes records are keyed by a string, not " + key);
    }
    return partitionOf(recordKey, cluster.partitionsForTopic(topic).size());
  }

  static int partitionOf(String recordKey, int partitions) {
    byte[] secret = ChangeKeys.secretOf(recordKey).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(secret)) % partitions;
  }

  @Override
  public void configure(Map<String, ?> configs) { }

  @Override
  public void close() { }
}
