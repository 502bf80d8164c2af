package dev.vaultreplicator.apply;

import dev.vaultreplicator.ReplicatorException;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.epoch.EpochWatcher;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.seal.SecretSealer;
import dev.vaultreplicator.vault.VaultCredential;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.vault.VaultWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The apply service of one standby region: follows the control topic for the fence, then runs the
 * {@link ApplyTopology} on Kafka Streams with exactly-once processing. A standby outage replaces
 * the stream thread and retries; anything permanent stops apply with the reason.
 */
public final class Apply implements AutoCloseable {

  /** Lifecycle; each transition is logged once. */
  public enum State { STARTING, RUNNING, STOPPING, STOPPED, FAILED }

  private static final Logger LOG = LoggerFactory.getLogger(Apply.class);

  private final ApplyConfig config;
  private final ApplyKafka kafka;
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private EpochWatcher epochs;
  private KafkaStreams streams;
  private VaultCredential credential;

  private Apply(ApplyConfig config) {
    this.config = config;
    this.kafka = new ApplyKafka(config);
  }

  /** Starts apply and returns once Kafka Streams runs; waits (with backoff) for Kafka and the topics. */
  public static Apply start(ApplyConfig config, Keyring keyring, MeterRegistry registry) throws InterruptedException {
    Apply apply = new Apply(config);
    try {
      apply.startParts(keyring, registry);
    } catch (InterruptedException | RuntimeException e) {
      apply.close();
      throw e;
    }
    return apply;
  }

  private void startParts(Keyring keyring, MeterRegistry registry) throws InterruptedException {
    MDC.put("component", "apply");
    MDC.put("region", config.region);
    LOG.info("starting: {}", config);
    kafka.awaitSourceTopicsAndCreateOwn();
    EventCodec codec = new EventCodec();
    epochs = new EpochWatcher(kafka::reader, config.topics().control(), codec, config.region, "apply");
    epochs.start();
    while (!epochs.awaitCaughtUp(Duration.ofSeconds(10))) {
      LOG.info("still reading {} to learn the current epoch", config.topics().control());
    }
    epochs.current().ifPresentOrElse(
        e -> LOG.info("current epoch {} names {} primary", e.getEpoch(), e.getPrimaryRegion()),
        () -> LOG.warn("no epoch claimed on {} yet: nothing can be fenced until one is", config.topics().control()));

    ApplyMetrics metrics = new ApplyMetrics(registry, config.region);
    credential = new VaultCredential(config.vault, config.vaultLogin, "apply", config.region, config.backoffInitial,
        config.backoffMax, Clock.systemUTC());
    credential.bindTo(registry);
    credential.start();
    StandbyApplier applier = new StandbyApplier(new VaultWriter(config.vault, credential),
        new VaultGateway(config.vault, credential), config.remap);
    StandbyRetry retry = new StandbyRetry(config.backoffInitial, config.backoffMax, ApplyKafka.RETRY_BUDGET, stopping,
        metrics);
    ApplyTopology.Parts parts = new ApplyTopology.Parts(config.topics(), config.region, codec,
        new SecretSealer(keyring), this::currentEpoch, applier, retry, config.poisonPolicy, metrics, Clock.systemUTC());

    streams = new KafkaStreams(ApplyTopology.build(parts), kafka.streamsProperties());
    new KafkaStreamsMetrics(streams).bindTo(registry);
    streams.setUncaughtExceptionHandler(this::onStreamThreadFailure);
    streams.setStateListener((now, was) -> onStreamsState(now));
    streams.start();
  }

  /** The fence cannot decide without the control topic: an unreadable one stops apply. */
  private Optional<EpochRecord> currentEpoch() {
    epochs.failure().ifPresent(e -> {
      throw new ApplyStoppedException("the control topic can no longer be read", e);
    });
    return epochs.current();
  }

  private StreamThreadExceptionResponse onStreamThreadFailure(Throwable error) {
    if (causedBy(error, StandbyUnavailableException.class) && !stopping.get()) {
      LOG.warn("standby unavailable for {}; replacing the stream thread, the event is retried from the last commit",
          ApplyKafka.RETRY_BUDGET);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    if (!stopping.get()) {
      failure.compareAndSet(null, error);
      LOG.error("apply stops: {}", rootMessage(error));
      transition(State.FAILED);
    }
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  private void onStreamsState(KafkaStreams.State now) {
    if (now == KafkaStreams.State.RUNNING) {
      transition(State.RUNNING);
    } else if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
      if (state.get() != State.FAILED) {
        transition(stopping.get() ? State.STOPPED : State.FAILED);
      }
      terminated.countDown();
    }
  }

  public State state() {
    return state.get();
  }

  /** Why apply failed, if it did. */
  public Throwable failure() {
    return failure.get();
  }

  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    if (state.get() != State.FAILED) {
      transition(State.STOPPING);
    }
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
    if (epochs != null) {
      try {
        epochs.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (credential != null) {
      credential.close();
    }
    if (state.get() != State.FAILED) {
      transition(State.STOPPED);
    }
    terminated.countDown();
  }

  private void transition(State next) {
    State was = state.getAndSet(next);
    if (was != next) {
      LOG.info("apply {} -> {}", was, next);
    }
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** Our own exceptions' messages name what failed and never content; others are named by type only. */
  private static String rootMessage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ReplicatorException) {
        return t.getMessage();
      }
    }
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getName();
  }
}
