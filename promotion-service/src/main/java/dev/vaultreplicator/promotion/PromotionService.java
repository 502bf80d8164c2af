package dev.vaultreplicator.promotion;

import dev.vaultreplicator.ReplicatorException;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.promotion.audit.AuditLog;
import dev.vaultreplicator.promotion.auth.TokenFile;
import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.promotion.checks.CertificateCheck;
import dev.vaultreplicator.promotion.checks.DriftCheck;
import dev.vaultreplicator.promotion.checks.FencingCheck;
import dev.vaultreplicator.promotion.checks.PolicySyncCheck;
import dev.vaultreplicator.promotion.checks.RecoveryBlockCheck;
import dev.vaultreplicator.promotion.checks.RegionCheck;
import dev.vaultreplicator.promotion.checks.ReplicationLagCheck;
import dev.vaultreplicator.promotion.checks.StandbyCredentialCheck;
import dev.vaultreplicator.promotion.checks.StandbyHealthCheck;
import dev.vaultreplicator.promotion.drill.Drills;
import dev.vaultreplicator.promotion.fenced.FencedReport;
import dev.vaultreplicator.promotion.inspect.CertificateScanner;
import dev.vaultreplicator.promotion.inspect.Replication;
import dev.vaultreplicator.promotion.inspect.StandbyInspector;
import dev.vaultreplicator.vault.VaultCredential;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.promotion.epoch.ControlLog;
import dev.vaultreplicator.promotion.gate.PromotionGate;
import dev.vaultreplicator.promotion.gate.VetoHook;
import dev.vaultreplicator.promotion.http.Listener;
import dev.vaultreplicator.promotion.http.PromotionApi;
import dev.vaultreplicator.promotion.lag.LagHistory;
import dev.vaultreplicator.promotion.lag.LagTracker;
import dev.vaultreplicator.promotion.log.PartitionLog;
import dev.vaultreplicator.promotion.switchover.Switchovers;
import dev.vaultreplicator.promotion.switchover.VaultSeals;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the promotion service: the lag tracker, the control and audit logs, the gate, the HTTP API. */
public final class PromotionService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PromotionService.class);

  private final List<AutoCloseable> parts;
  private final PromotionApi api;

  private PromotionService(List<AutoCloseable> parts, PromotionApi api) {
    this.parts = parts;
    this.api = api;
  }

  /**
   * @throws IllegalArgumentException when the token file is unusable
   * @throws ReplicatorException when the audit or control topic cannot be created
   */
  public static PromotionService start(PromotionConfig config, PrometheusMeterRegistry registry) {
    TokenFile tokens = TokenFile.load(config.tokenFile);
    ensureTopics(config);
    EventCodec codec = new EventCodec();
    Clock clock = Clock.systemUTC();
    Map<String, String> appliedTopics = new LinkedHashMap<>();
    config.regions.forEach(region -> appliedTopics.put(region, config.appliedTopic(region)));
    LagTracker tracker = new LagTracker(() -> consumer(config), config.changesTopic(), appliedTopics, codec, clock);
    tracker.start();
    Producer<String, byte[]> producer = producer(config);
    PartitionLog controlTopic = new PartitionLog(producer, () -> logReader(config), config.controlTopic());
    PartitionLog auditTopic = new PartitionLog(producer, () -> logReader(config), config.auditTopic());
    PartitionLog fencedTopic = new PartitionLog(producer, () -> logReader(config), config.fencedTopic());
    ControlLog control = new ControlLog(controlTopic, codec);
    AuditLog audit = new AuditLog(auditTopic, codec);
    Map<String, VaultGateway> vaults = new LinkedHashMap<>();
    List<VaultCredential> credentials = new ArrayList<>();
    config.vaults.forEach((region, endpoint) -> {
      // A region's Vault may be down when the service starts (that is when it is needed): log in meanwhile.
      VaultCredential credential = new VaultCredential(endpoint.connection(), endpoint.login(), "promotion", region,
          Duration.ofSeconds(1), Duration.ofSeconds(30), clock).startInBackground();
      credential.bindTo(registry);
      credentials.add(credential);
      vaults.put(region, new VaultGateway(endpoint.connection(), credential));
    });
    StandbyInspector inspector = new StandbyInspector(vaults,
        () -> control.current().map(EpochRecord::getPrimaryRegion), config.regions, config.inspectMounts,
        new CertificateScanner(config.certMinValidity), new Replication(tracker::lag, config.maxLag), clock);
    inspector.start(config.inspectInterval);
    ReplicationLagCheck lagCheck = new ReplicationLagCheck(config.maxLag, config.maxPending);
    List<RegionCheck> checks = List.of(
        region -> lagCheck.evaluate(tracker.lag(region)),
        new StandbyHealthCheck(vaults),
        new StandbyCredentialCheck(vaults, config.minTokenTtl),
        new PolicySyncCheck(vaults, tracker::replicatedPolicies),
        new DriftCheck(inspector, config.driftMaxAge, DriftCheck.SETTLE_WAIT, clock),
        new CertificateCheck(inspector, config.certMinValidity),
        new RecoveryBlockCheck(control::current, config.recoveryBlock, clock));
    PromotionGate gate = new PromotionGate(tracker, checks, FencingCheck.factory(control),
        new VetoHook(config.vetoUrl, config.vetoTimeout), control, audit, clock, registry);
    Drills drills = new Drills(gate, audit, config.regions);
    drills.start(config.drillInterval);
    PromotionMetrics.register(registry, tracker, gate, drills);
    Switchovers switchovers = new Switchovers(gate, tracker::lag, () -> control.current().map(EpochRecord::getPrimaryRegion),
        new VaultSeals(vaults), clock);
    switchovers.start();
    LagHistory history = new LagHistory(config.regions, tracker::lag, tracker::caughtUp, clock);
    history.start();
    PromotionApi api = PromotionApi.start(new PromotionApi.Parts(tracker, history, gate, drills, switchovers, control,
        audit, new FencedReport(fencedTopic, codec, tracker), tokens, config.maxLag, config.maxPending,
        config.metricsPublic, registry), new Listener(config.httpHost, config.httpPort, config.httpTls));
    LOG.info("promotion service on {}://{}:{} ({})", config.httpTls == null ? "http" : "https", config.httpHost,
        api.port(), config);
    List<AutoCloseable> parts = new ArrayList<>(List.of(api, history, switchovers, drills, inspector, tracker,
        controlTopic, auditTopic, fencedTopic, producer));
    parts.addAll(credentials);
    return new PromotionService(parts, api);
  }

  public int port() {
    return api.port();
  }

  /**
   * The audit topic (kept until deleted by hand), and the control and fenced-changes topics
   * (compacted) if capture has not made them.
   */
  private static void ensureTopics(PromotionConfig config) {
    Optional<Short> replication = config.replicationFactor < 0 ? Optional.empty()
        : Optional.of(config.replicationFactor);
    try (Admin admin = Admin.create(config.kafka.client(Map.of()))) {
      for (NewTopic topic : List.of(
          new NewTopic(config.auditTopic(), Optional.of(1), replication).configs(Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG, "-1")),
          new NewTopic(config.controlTopic(), Optional.of(1), replication).configs(Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
          new NewTopic(config.fencedTopic(), Optional.of(1), replication).configs(Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))) {
        try {
          admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new ReplicatorException("cannot create topic " + topic.name() + ": " + e.getCause(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplicatorException("interrupted while creating topics", e);
    }
  }

  private static Producer<String, byte[]> producer(PromotionConfig config) {
    return new KafkaProducer<>(config.kafka.client(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, "promotion-service",
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)),
        new StringSerializer(), new ByteArraySerializer());
  }

  /** Watermarks are written inside apply's transactions: only committed ones count. */
  private static KafkaConsumer<String, byte[]> consumer(PromotionConfig config) {
    return consumer(config, Map.of());
  }

  /**
   * For the control and audit logs, which are read again from the start for each question: a
   * fetch left waiting at the end of the log would hold the next read for fetch.max.wait.ms (500 ms).
   */
  private static KafkaConsumer<String, byte[]> logReader(PromotionConfig config) {
    return consumer(config, Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10));
  }

  private static KafkaConsumer<String, byte[]> consumer(PromotionConfig config, Map<String, Object> extra) {
    Map<String, Object> settings = new HashMap<>(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, EventCodec.DEFAULT_MAX_EVENT_BYTES + 64 * 1024));
    settings.putAll(extra);
    return new KafkaConsumer<>(config.kafka.client(settings), new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Stops the API first, so no request acts on a closing part. */
  @Override
  public void close() {
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
