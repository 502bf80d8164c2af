package dev.vaultreplicator.apply;

import dev.vaultreplicator.codec.EventCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Apply's Kafka settings and topics, in one place. */
final class ApplyKafka {

  /**
   * How long one event may block retrying the standby. A Kafka transaction stays open meanwhile;
   * it must end well within {@link #TRANSACTION_TIMEOUT}, which is also how long the partitions of
   * an instance killed mid-transaction wait before another instance can take them over.
   */
  static final Duration RETRY_BUDGET = Duration.ofSeconds(10);
  static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(ApplyKafka.class);
  private static final int MAX_RECORD_BYTES = EventCodec.DEFAULT_MAX_EVENT_BYTES + 64 * 1024;
  private static final Duration DLQ_RETENTION = Duration.ofDays(30);

  private final ApplyConfig config;

  ApplyKafka(ApplyConfig config) {
    this.config = config;
  }

  Properties streamsProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads);
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir.toString());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), MAX_RECORD_BYTES);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        (int) config.instanceTimeout.toMillis());
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), MAX_RECORD_BYTES);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        (int) TRANSACTION_TIMEOUT.toMillis());
    Properties properties = new Properties();
    properties.putAll(config.kafka.client(props));
    return properties;
  }

  Consumer<String, byte[]> reader() {
    return new KafkaConsumer<>(config.kafka.client(Map.of(
        ConsumerConfig.CLIENT_ID_CONFIG, "apply-" + config.region + "-control",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
        new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Waits until capture created the changes and control topics (apply never guesses their
   * partition count), then creates this region's watermark and dead-letter topics if missing.
   */
  void awaitSourceTopicsAndCreateOwn() throws InterruptedException {
    ApplyTopics topics = config.topics();
    try (Admin admin = Admin.create(config.kafka.client(Map.of()))) {
      Duration wait = config.backoffInitial;
      while (!existing(admin).containsAll(List.of(topics.changes(), topics.control()))) {
        LOG.info("waiting for {} and {} (capture creates them)", topics.changes(), topics.control());
        Thread.sleep(wait.toMillis());
        wait = wait.multipliedBy(2).compareTo(config.backoffMax) > 0 ? config.backoffMax : wait.multipliedBy(2);
      }
      Optional<Short> replication = config.replicationFactor < 0 ? Optional.empty()
          : Optional.of(config.replicationFactor);
      create(admin, new NewTopic(topics.applied(), Optional.empty(), replication).configs(Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      create(admin, new NewTopic(topics.dlq(), Optional.empty(), replication).configs(Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
          TopicConfig.RETENTION_MS_CONFIG, String.valueOf(DLQ_RETENTION.toMillis()),
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES))));
    }
  }

  private static Set<String> existing(Admin admin) throws InterruptedException {
    try {
      return admin.listTopics().names().get();
    } catch (ExecutionException e) {
      LOG.info("Kafka not reachable yet: {}", e.getCause().getClass().getSimpleName());
      return Set.of();
    }
  }

  private static void create(Admin admin, NewTopic topic) throws InterruptedException {
    try {
      admin.createTopics(List.of(topic)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new ApplyStoppedException("cannot create topic " + topic.name() + ": " + e.getCause(), e.getCause());
      }
    }
  }
}
