package dev.vaultreplicator.promotion;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.promotion.checks.ReplicationLagCheck;
import dev.vaultreplicator.promotion.http.PromotionApi;
import dev.vaultreplicator.promotion.lag.LagTracker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the promotion service: the lag tracker on Kafka, the metrics, the HTTP API. */
public final class PromotionService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PromotionService.class);

  private final LagTracker tracker;
  private final PromotionApi api;

  private PromotionService(LagTracker tracker, PromotionApi api) {
    this.tracker = tracker;
    this.api = api;
  }

  public static PromotionService start(PromotionConfig config, PrometheusMeterRegistry registry) {
    Map<String, String> appliedTopics = new LinkedHashMap<>();
    config.regions.forEach(region -> appliedTopics.put(region, config.appliedTopic(region)));
    LagTracker tracker = new LagTracker(() -> consumer(config), config.changesTopic(), appliedTopics,
        new EventCodec(), Clock.systemUTC());
    tracker.start();
    ReplicationLagCheck lagCheck = new ReplicationLagCheck(config.maxLag, config.maxPending);
    PromotionMetrics.register(registry, tracker, lagCheck);
    PromotionApi api = PromotionApi.start(tracker, config.maxLag, config.maxPending, registry, config.httpPort);
    LOG.info("promotion service on http://0.0.0.0:{} ({})", api.port(), config);
    return new PromotionService(tracker, api);
  }

  public int port() {
    return api.port();
  }

  public LagTracker tracker() {
    return tracker;
  }

  /** Watermarks are written inside apply's transactions: only committed ones count. */
  private static KafkaConsumer<String, byte[]> consumer(PromotionConfig config) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers,
        ConsumerConfig.CLIENT_ID_CONFIG, "promotion-lag-tracker",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, EventCodec.DEFAULT_MAX_EVENT_BYTES + 64 * 1024),
        new StringDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void close() {
    api.close();
    tracker.close();
  }
}
