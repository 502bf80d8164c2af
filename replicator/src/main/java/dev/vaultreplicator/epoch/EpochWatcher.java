package dev.vaultreplicator.epoch;

import dev.vaultreplicator.ReplicatorException;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.EpochRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Follows the control topic and knows the current epoch: for each epoch number the first record
 * in the log wins, and the highest number is current. Capture publishes only while the current
 * epoch names its region, and apply refuses events from older epochs; the watcher polls every
 * 200 ms, well within one heartbeat.
 */
public final class EpochWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EpochWatcher.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final TopicPartition partition;
  private final EventCodec codec;
  private final String region;
  private final String component;
  private final Map<Long, EpochRecord> firstClaims = new HashMap<>();
  private final AtomicReference<EpochRecord> current = new AtomicReference<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile Consumer<String, byte[]> consumer;
  private volatile boolean running = true;

  /** @param component who watches, for the thread name and the log context ("capture", "apply") */
  public EpochWatcher(Supplier<Consumer<String, byte[]>> consumers, String topic, EventCodec codec, String region,
      String component) {
    this.consumers = consumers;
    this.partition = new TopicPartition(topic, 0);
    this.codec = codec;
    this.region = region;
    this.component = component;
    this.thread = new Thread(this::run, component + "-epoch");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Waits until the watcher has read the control topic to its end once. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Optional<EpochRecord> current() {
    return Optional.ofNullable(current.get());
  }

  /** Why the watcher stopped reading, if it did: capture can no longer know whether it may publish. */
  public Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure.get());
  }

  /** The current epoch if it names this region, else empty: capture must not publish. */
  public OptionalLong publishingEpoch() {
    EpochRecord epoch = current.get();
    return epoch != null && epoch.getPrimaryRegion().equals(region) ? OptionalLong.of(epoch.getEpoch())
        : OptionalLong.empty();
  }

  /**
   * Claims epoch 1 for this region if the control topic is still empty. A claim that loses the
   * race is void by the first-record-wins rule, so two bootstrapping regions cannot both win.
   */
  public void claimFirstEpoch(Producer<String, byte[]> producer) {
    if (current.get() != null) {
      return;
    }
    EpochRecord claim = EpochRecord.newBuilder().setEpoch(1).setPrimaryRegion(region).setSince(Instant.now())
        .setRequestedBy("capture:" + region).setReason("epoch.bootstrap: the control topic was empty")
        .setForced(false).setRequestId(null).build();
    try {
      // A key of its own: on the compacted topic, a racing region's claim must not replace this one.
      String key = "epoch-1/bootstrap-" + region;
      producer.send(new ProducerRecord<>(partition.topic(), 0, key, codec.encode(claim))).get(30, TimeUnit.SECONDS);
      LOG.info("claimed epoch 1 for region {} on {} (epoch.bootstrap)", region, partition.topic());
    } catch (Exception e) {
      throw new ReplicatorException("cannot claim epoch 1 on " + partition.topic() + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private void run() {
    MDC.put("component", component);
    MDC.put("region", region);
    try (Consumer<String, byte[]> c = consumers.get()) {
      consumer = c;
      c.assign(List.of(partition));
      c.seekToBeginning(List.of(partition));
      long end = c.endOffsets(List.of(partition)).get(partition);
      while (running) {
        for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
          read(record);
        }
        if (caughtUp.getCount() > 0 && c.position(partition) >= end) {
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      // close() woke the poll
    } catch (RuntimeException e) {
      LOG.error("control topic reader stopped: {}", e.toString());
      current.set(null);
      failure.set(e);
    }
  }

  private void read(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    EpochRecord claim;
    try {
      claim = codec.decode(record.value(), EpochRecord.class);
    } catch (EventDecodeException e) {
      LOG.warn("skipped an unreadable record on {} at offset {}: {}", partition, record.offset(), e.reason());
      return;
    }
    if (firstClaims.putIfAbsent(claim.getEpoch(), claim) != null) {
      LOG.warn("ignored a second claim to epoch {} at offset {}: the first claim stands", claim.getEpoch(),
          record.offset());
      return;
    }
    EpochRecord was = current.get();
    if (was == null || claim.getEpoch() > was.getEpoch()) {
      current.set(claim);
      LOG.info("epoch {}: primary is {}{}", claim.getEpoch(), claim.getPrimaryRegion(),
          claim.getPrimaryRegion().equals(region) ? " (this region)" : "");
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.join(5_000);
  }
}
