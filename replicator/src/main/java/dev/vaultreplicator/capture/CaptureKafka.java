package dev.vaultreplicator.capture;

import dev.vaultreplicator.codec.EventCodec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Capture's Kafka clients and topics, configured in one place. */
final class CaptureKafka {

  /** Room for the largest event the codec accepts plus the record's own overhead. */
  static final int MAX_RECORD_BYTES = EventCodec.DEFAULT_MAX_EVENT_BYTES + 64 * 1024;

  private final CaptureConfig config;

  CaptureKafka(CaptureConfig config) {
    this.config = config;
  }

  /**
   * Idempotent and {@code acks=all}; it never gives up on a record by time (Kafka's delivery
   * timeout is unbounded), and a full buffer makes {@code send} fail fast so the caller can back off.
   * All records of one secret share a partition whatever their key suffix.
   */
  Producer<String, byte[]> producer() {
    return new KafkaProducer<>(config.kafka.client(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, "capture-" + config.region,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 2,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES,
        ProducerConfig.PARTITIONER_CLASS_CONFIG, ChangesPartitioner.class.getName())),
        new StringSerializer(), new ByteArraySerializer());
  }

  Consumer<String, byte[]> reader() {
    return new KafkaConsumer<>(config.kafka.client(Map.of(
        ConsumerConfig.CLIENT_ID_CONFIG, "capture-" + config.region + "-reader",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD_BYTES)),
        new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Creates the changes, control and fenced-changes topics if missing; returns the changes topic's partitions. */
  List<TopicPartition> ensureTopics() throws InterruptedException {
    Optional<Short> replication = config.replicationFactor < 0 ? Optional.empty()
        : Optional.of(config.replicationFactor);
    Map<String, String> compacted = Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES));
    try (Admin admin = Admin.create(config.kafka.client(Map.of()))) {
      for (NewTopic topic : List.of(
          new NewTopic(config.changesTopic(), Optional.of(config.partitions), replication).configs(compacted),
          new NewTopic(config.controlTopic(), Optional.of(1), replication).configs(compacted),
          new NewTopic(config.fencedTopic(), Optional.of(1), replication).configs(compacted))) {
        try {
          admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new PublishException("cannot create topic " + topic.name() + ": " + e.getCause(), e.getCause());
          }
        }
      }
      int partitions = admin.describeTopics(List.of(config.changesTopic())).allTopicNames().get()
          .get(config.changesTopic()).partitions().size();
      return IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(config.changesTopic(), p)).toList();
    } catch (ExecutionException e) {
      throw new PublishException("cannot describe topic " + config.changesTopic() + ": " + e.getCause(), e.getCause());
    }
  }
}
