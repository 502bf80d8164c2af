package dev.vaultreplicator.capture;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.event.EventListener;
import dev.failsafe.event.ExecutionAttemptedEvent;
import dev.vaultreplicator.epoch.EpochWatcher;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.SecretSealer;
import dev.vaultreplicator.vault.VaultCredential;
import dev.vaultreplicator.vault.VaultException;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.vault.VaultHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The capture service of one region: the audit stream and the scan feed one {@link Reconciler},
 * which publishes to the changes topic; a heartbeat every interval says how far that is complete.
 * {@link #start} wires the parts in the order data flows through them.
 */
public final class Capture implements AutoCloseable {

  /** Lifecycle; each transition is logged once. */
  public enum State { STARTING, RUNNING, STOPPING, STOPPED, FAILED }

  private static final Logger LOG = LoggerFactory.getLogger(Capture.class);
  private static final Duration POLL = Duration.ofMillis(200);
  /** How long the first scan waits for the audit stream to deliver before it runs anyway. */
  private static final Duration FIRST_DELIVERY_PATIENCE = Duration.ofSeconds(10);

  private final CaptureConfig config;
  private final Clock clock;
  private final CaptureMetrics metrics;
  private final VaultCredential credential;
  private final VaultGateway primary;
  private final TriggerQueue queue;
  private final InFlight inFlight = new InFlight();
  private final PublishedState published = new PublishedState();
  private final CapturedThrough capturedThrough;
  private final SealedPrimary sealed;
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicBoolean primaryWasHealthy = new AtomicBoolean(true);
  /** False until the stream first delivers: nothing is proven at start. */
  private final AtomicBoolean streamWasDelivering = new AtomicBoolean(false);
  private final ScheduledExecutorService heartbeats;
  private final RetryPolicy<Object> primaryRetry;

  private Producer<String, byte[]> producer;
  private EventPublisher publisher;
  private EpochWatcher epochs;
  private ScanScheduler scans;
  private AuditListener listener;
  private AuditStream stream;
  private List<TopicPartition> partitions;

  private Capture(CaptureConfig config, MeterRegistry registry, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.metrics = new CaptureMetrics(registry, config.region);
    this.credential = new VaultCredential(config.vault, config.vaultLogin, "capture", config.region,
        config.backoffInitial, config.backoffMax, clock);
    credential.bindTo(registry);
    this.primary = new VaultGateway(config.vault, credential);
    this.queue = new TriggerQueue(config.auditBufferSize);
    this.capturedThrough = new CapturedThrough(config.auditDeliveryAllowance);
    this.sealed = new SealedPrimary(config.auditDeliveryAllowance);
    this.heartbeats = daemonScheduler("capture-heartbeat");
    this.primaryRetry = retryForever(e -> {
      boolean kafka = e.getLastException() instanceof PublishException;
      if (kafka) {
        metrics.kafkaRefused();
      } else {
        metrics.primaryReadFailed(true);
      }
      String what = kafka ? "not published" : "primary not readable";
      if (e.getAttemptCount() == 1) {
        LOG.warn("{}, retrying with backoff: {}", what, e.getLastException().getMessage());
      } else {
        LOG.debug("{}, retry {}: {}", what, e.getAttemptCount(), e.getLastException().getMessage());
      }
    });
    metrics.watch(queue, inFlight, capturedThrough);
  }

  /**
   * Starts capture and returns once it listens for audit lines. Waits (with backoff) for Kafka and
   * the primary to answer; refuses to start when a configured mount is not a KV mount.
   */
  public static Capture start(CaptureConfig config, Keyring keyring, MeterRegistry registry)
      throws IOException, InterruptedException {
    Capture capture = new Capture(config, registry, Clock.systemUTC());
    try {
      capture.startParts(keyring);
    } catch (IOException | InterruptedException | RuntimeException e) {
      capture.close();
      throw e;
    }
    return capture;
  }

  private void startParts(Keyring keyring) throws IOException, InterruptedException {
    MDC.put("component", "capture");
    MDC.put("region", config.region);
    LOG.info("starting: {}", config);
    EventCodec codec = new EventCodec();
    SecretSealer sealer = new SecretSealer(keyring);
    CaptureKafka kafka = new CaptureKafka(config);
    credential.start();

    partitions = Failsafe.with(startupRetry("Kafka")).get(kafka::ensureTopics);
    producer = kafka.producer();
    publisher = new EventPublisher(producer, codec, config.changesTopic(), metrics);
    epochs = new EpochWatcher(kafka::reader, config.controlTopic(), codec, config.region, "capture");
    epochs.start();
    while (!epochs.awaitCaughtUp(Duration.ofSeconds(10))) {
      LOG.warn("still reading {} to its end", config.controlTopic());
    }
    if (epochs.current().isEmpty()) {
      if (config.epochBootstrap) {
        epochs.claimFirstEpoch(producer);
      } else {
        LOG.warn("{} holds no epoch yet: capture publishes nothing until one names region {} "
            + "(set epoch.bootstrap=true on the first primary)", config.controlTopic(), config.region);
      }
    }

    Map<String, Integer> mounts = Failsafe.with(startupRetry("the primary")).get(this::replicatedMounts);
    Reconciler reconciler = new Reconciler(primary, published, publisher, sealer, epochs, metrics, config.region, clock);
    Scanner scanner = new Scanner(primary, mounts, config.mountFilters, config.replicatePolicies, reconciler,
        published, inFlight, new ScanGuard(config.guardRatio, config.guardMinKeys), metrics,
        new Scanner.Pace(config.scanThreads, config.scanRate), clock);
    scans = new ScanScheduler(scanner::scan, daemonScheduler("capture-scan"), () -> epochs.publishingEpoch().isPresent(),
        metrics, clock, config.scanInterval, config.backoffMax);
    PublishedStateLoader loader = new PublishedStateLoader(codec, sealer);
    awaitEpochRead();
    // The first scan waits for the stream to deliver (the probe of the first heartbeats makes the
    // device connect): a scan that started before it would leave a gap only a second scan covers.
    scans.hold();
    heartbeats.schedule(this::firstDeliveryOverdue, FIRST_DELIVERY_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    followEpoch(loader, kafka);

    FencedChanges fenced = new FencedChanges(producer, codec, config.fencedTopic(), config.region, epochs, metrics,
        clock);
    AuditLineParser parser = new AuditLineParser(mounts, config.mountFilters, config.replicatePolicies,
        config.vault.namespace());
    stream = new AuditStream(parser, queue, inFlight, reconciler, fenced, scans, primaryRetry, metrics, clock);
    stream.startReaders(config.readThreads, config.region);
    listener = AuditListener.start(config.auditHost, config.auditPort, stream::hear, this::auditDisconnected,
        config.region);
    // The first scan runs as soon as the epoch names this region (followEpoch); these are the repeats.
    scans.start();
    heartbeats.scheduleAtFixedRate(() -> beat(loader, kafka), 0, config.heartbeatInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    transition(State.RUNNING);
  }

  public int auditPort() {
    return listener.port();
  }

  public State state() {
    return state.get();
  }

  /** captured_through, or empty before it was first established. */
  public Optional<Instant> capturedThrough() {
    return Optional.ofNullable(capturedThrough.value());
  }

  /** Blocks until capture stopped or failed. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  // ---- heartbeats ----------------------------------------------------------------------------

  private void beat(PublishedStateLoader loader, CaptureKafka kafka) {
    try {
      Optional<Exception> failure = publisher.failure();
      if (failure.isPresent()) {
        fail("Kafka refused an event for good (" + failure.get() + ")");
        return;
      }
      if (epochs.failure().isPresent()) {
        fail("the control topic can no longer be read (" + epochs.failure().get() + ")");
        return;
      }
      followEpoch(loader, kafka);
      long epoch = published.epoch();
      if (epoch < 0) {
        return; // not primary: there is nothing to vouch for
      }
      Instant checkedAt = clock.instant();
      VaultHealth health = primaryHealth();
      Optional<Instant> through;
      if (health == VaultHealth.SEALED) {
        Instant quiet = sealed.quietThrough(clock.instant(), stream.linesHeard(), listener.accepted()).orElse(null);
        through = capturedThrough.advanceWhileSealed(quiet, streamWasDelivering.get(), scans.current(),
            inFlight.oldest());
      } else {
        sealed.unsealed();
        boolean healthy = health == VaultHealth.ACTIVE;
        boolean delivering = healthy && auditStreamDelivers();
        through = capturedThrough.advance(healthy ? checkedAt : null, delivering, scans.current(), inFlight.oldest());
      }
      if (through.isEmpty()) {
        return;
      }
      Instant sentAt = clock.instant();
      for (TopicPartition partition : partitions) {
        publisher.heartbeat(new Heartbeat(config.region, epoch, partition.partition(), through.get(), sentAt));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
    } catch (RuntimeException e) {
      LOG.warn("heartbeat skipped: {}", e.toString());
    }
  }

  private void fail(String why) {
    LOG.error("{}; stopping. A restart rebuilds what was published from the changes topic.", why);
    transition(State.FAILED);
    close();
  }

  private VaultHealth primaryHealth() {
    VaultHealth health = primary.health();
    boolean healthy = health == VaultHealth.ACTIVE;
    if (primaryWasHealthy.getAndSet(healthy) != healthy) {
      if (healthy) {
        LOG.info("primary {} is active again", primary.address());
      } else if (health == VaultHealth.SEALED) {
        LOG.warn("primary {} is sealed: it commits nothing, so captured_through moves up to the seal once every "
            + "change heard of before it is published, and no further until it is active", primary.address());
      } else {
        LOG.warn("primary {} is {}: captured_through is frozen until it is active", primary.address(), health);
      }
    }
    return health;
  }

  /**
   * A sealed Vault closes its audit devices after writing every line of what it committed, so the
   * connection's end loses nothing; any other end may have lost lines, and a scan covers the gap.
   */
  private void auditDisconnected() {
    if (primary.health() == VaultHealth.SEALED) {
      LOG.info("the audit device closed its connection as the primary sealed");
      return;
    }
    stream.disconnected();
  }

  /**
   * Proves the audit stream with a request of capture's own, whose line must arrive (the probe also
   * makes a socket device connect: it connects on its first write). When it stops delivering, lines
   * may have been lost: a scan must cover the gap before captured_through moves again.
   */
  private boolean auditStreamDelivers() throws InterruptedException {
    boolean delivering;
    try {
      delivering = stream.delivering(primary::auditedProbe, config.auditDeliveryAllowance);
    } catch (VaultException e) {
      LOG.debug("audit probe failed: {}", e.getMessage());
      delivering = false;
    }
    metrics.auditStreamDelivering(delivering);
    boolean was = streamWasDelivering.getAndSet(delivering);
    if (delivering && !was) {
      // Lines written before it delivered (at start, before the device connected) may be lost: only
      // a scan that starts from now covers them. At start that is the first scan, held until now.
      LOG.info("the audit stream delivers; a scan from now covers what it may have missed before");
      scans.require("the audit stream delivers");
      scans.release();
    } else if (!delivering && was) {
      LOG.warn("the audit stream delivered no line for capture's probe within {} ({} connection(s) open): "
          + "is the primary's socket audit device still enabled and pointed here? captured_through is frozen "
          + "until it delivers and a scan has covered the gap", config.auditDeliveryAllowance,
          listener.connections());
      scans.gap("the audit stream stopped delivering");
    }
    return delivering;
  }

  /** The stream has not delivered since start: the first scan runs anyway, and captured_through waits. */
  private void firstDeliveryOverdue() {
    if (!streamWasDelivering.get()) {
      LOG.warn("the audit stream has delivered no line for capture's probe in the {} s since capture started "
          + "({} connection(s) open): is the primary's socket audit device enabled and pointed at port {}? The first "
          + "scan runs now; captured_through is frozen until the stream delivers and a scan has followed",
          FIRST_DELIVERY_PATIENCE.toSeconds(), listener.connections(), listener.port());
    }
    scans.release();
  }

  // ---- the epoch -----------------------------------------------------------------------------

  /**
   * On becoming primary at an epoch, learn what this region already published at it (nothing, for
   * a new epoch) and require a full scan; on losing it, stop publishing.
   */
  private synchronized void followEpoch(PublishedStateLoader loader, CaptureKafka kafka) {
    long epoch = epochs.publishingEpoch().orElse(-1);
    long was = published.epoch();
    if (epoch == was) {
      return;
    }
    published.rebuild(epoch, state -> {
      try (Consumer<String, byte[]> reader = kafka.reader()) {
        loader.load(reader, partitions, config.region, epoch, state);
      }
    });
    // What was captured under another epoch says nothing about this one.
    capturedThrough.reset();
    if (epoch >= 0) {
      LOG.info("publishing at epoch {}; heartbeats start once the first scan completes", epoch);
      scans.require("primary at epoch " + epoch);
    } else if (was >= 0) {
      LOG.warn("no longer primary ({}): publishing stopped", epochs.current()
          .map(e -> "epoch " + e.getEpoch() + " names " + e.getPrimaryRegion()).orElse("the control topic is unread"));
    }
  }

  private void awaitEpochRead() throws InterruptedException {
    if (config.epochBootstrap) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (epochs.current().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(POLL.toMillis());
      }
    }
  }

  // ---- wiring helpers ------------------------------------------------------------------------

  private Map<String, Integer> replicatedMounts() {
    Map<String, Integer> kv = primary.kvMounts();
    Map<String, Integer> mounts = new LinkedHashMap<>();
    for (String mount : config.mounts) {
      Integer version = kv.get(mount);
      if (version == null) {
        throw new ConfigException(CaptureConfig.MOUNTS, config.mounts,
            "'" + mount + "' is not a KV mount on " + config.vault + " (KV mounts there: " + kv.keySet() + ")");
      }
      mounts.put(mount, version);
    }
    LOG.info("replicating mounts {} and {}", mounts, config.replicatePolicies ? "ACL policies" : "no policies");
    return mounts;
  }

  private RetryPolicy<Object> startupRetry(String what) {
    return retryForever(e -> LOG.warn("waiting for {} (attempt {}): {}", what, e.getAttemptCount(),
        e.getLastException().getMessage()));
  }

  /** Retries what is retriable for as long as it takes, backing off from retry.backoff.initial to .max. */
  private RetryPolicy<Object> retryForever(EventListener<ExecutionAttemptedEvent<Object>> onRetry) {
    return RetryPolicy.builder()
        .handleIf(Capture::retriable)
        .withBackoff(config.backoffInitial, config.backoffMax)
        .withMaxRetries(-1)
        .onRetry(onRetry)
        .build();
  }

  private static boolean retriable(Throwable e) {
    return (e instanceof VaultException v && v.retriable()) || e instanceof PublishException;
  }

  private void transition(State next) {
    State was = state.getAndSet(next);
    if (was != next) {
      LOG.info("capture {} -> {}", was, next);
    }
  }

  private ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(() -> {
        MDC.put("component", "capture");
        MDC.put("region", config.region);
        runnable.run();
      }, name);
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public void close() {
    State was = state.get();
    if (was == State.STOPPED || (was == State.STOPPING)) {
      return;
    }
    if (was != State.FAILED) {
      transition(State.STOPPING);
    }
    heartbeats.shutdownNow();
    if (scans != null) {
      scans.close();
    }
    if (listener != null) {
      listener.close();
    }
    if (stream != null) {
      stream.close();
    }
    try {
      if (epochs != null) {
        epochs.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    credential.close();
    if (was != State.FAILED) {
      transition(State.STOPPED);
    }
    terminated.countDown();
  }
}
