package dev.vaultreplicator.promotion.lag;

import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.AppliedWatermark;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.PolicyOperation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the changes topic (for heartbeats, and the events between them) and each region's
 * applied-watermark topic, from the start: both are compacted, so a restart rebuilds what it
 * knows by reading them again. Topics that do not exist yet are picked up when they appear.
 */
public final class LagTracker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LagTracker.class);
  private static final String HEARTBEAT_KEY_PREFIX = "sys/heartbeat/";
  private static final String POLICY_KEY_PREFIX = "sys/policy/";
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration TOPIC_REFRESH = Duration.ofSeconds(2);

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final String changesTopic;
  private final Map<String, String> appliedTopicToRegion = new HashMap<>();
  private final List<String> regions;
  private final EventCodec codec;
  private final Clock clock;
  private final Map<Integer, ChangesPartition> changes = new TreeMap<>();
  private final Map<String, Map<Integer, AppliedWatermark>> applied = new HashMap<>();
  /** Per region, when its apply first applied a heartbeat of each epoch, as far as the compacted topic tells. */
  private final Map<String, Map<Long, Instant>> firstApplied = new HashMap<>();
  /** Policy name to the SHA-256 of its rules as last replicated; empty for a replicated delete. */
  private final Map<String, Optional<String>> policies = new TreeMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile Consumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  /**
   * @param consumers a read_committed consumer without a group (watermarks are written in apply's transactions)
   * @param appliedTopics each standby region's applied-watermark topic
   */
  public LagTracker(Supplier<Consumer<String, byte[]>> consumers, String changesTopic,
      Map<String, String> appliedTopics, EventCodec codec, Clock clock) {
    this.consumers = consumers;
    this.changesTopic = changesTopic;
    appliedTopics.forEach((region, topic) -> {
      appliedTopicToRegion.put(topic, region);
      applied.put(region, new HashMap<>());
    });
    this.regions = List.copyOf(appliedTopics.keySet());
    this.codec = codec;
    this.clock = clock;
    this.thread = new Thread(this::run, "lag-tracker");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Whether the tracker has read every topic that existed at start to its end once. */
  public boolean caughtUp() {
    return caughtUp.getCount() == 0 && failure == null;
  }

  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public List<String> regions() {
    return regions;
  }

  /** The region's lag now; {@code UNKNOWN} for a region this tracker does not follow. */
  public synchronized RegionLag lag(String region) {
    Map<Integer, AppliedWatermark> watermarks = applied.get(region);
    if (watermarks == null) {
      return RegionLag.of(region, List.of(), Map.of(), clock.instant());
    }
    return RegionLag.of(region, changes.values(), watermarks, clock.instant());
  }

  /**
   * When the region's apply first applied a heartbeat of {@code epoch}: from then on it writes to
   * the region's Vault. Compaction keeps only each partition's newest watermark, so after a
   * restart this can be later than it was, never earlier.
   */
  public synchronized Optional<Instant> firstApplied(String region, long epoch) {
    return Optional.ofNullable(firstApplied.getOrDefault(region, Map.of()).get(epoch));
  }

  /** The ACL policies as the changes topic last carried them: what every standby should hold. */
  public synchronized Map<String, Optional<String>> replicatedPolicies() {
    return Map.copyOf(policies);
  }


  private void run() {
    try (Consumer<String, byte[]> c = consumers.get()) {
      consumer = c;
      Set<TopicPartition> assigned = new HashSet<>();
      Map<TopicPartition, Long> startEnds = null;
      Instant refreshed = Instant.MIN;
      while (running) {
        if (Duration.between(refreshed, clock.instant()).compareTo(TOPIC_REFRESH) >= 0) {
          assigned = assignNewPartitions(c, assigned);
          refreshed = clock.instant();
          if (startEnds == null) {
            startEnds = c.endOffsets(assigned);
          }
        }
        for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
          read(record);
        }
        if (caughtUp.getCount() > 0 && reached(c, startEnds)) {
          caughtUp.countDown();
          LOG.info("read the changes and applied topics to their ends: {} changes partitions, regions {}",
              changes.size(), regions);
        }
      }
    } catch (WakeupException e) {
      // close() woke the poll
    } catch (RuntimeException e) {
      LOG.error("lag tracker stopped reading: {}", e.toString());
      failure = e;
    }
  }

  private Set<TopicPartition> assignNewPartitions(Consumer<String, byte[]> c, Set<TopicPartition> assigned) {
    Map<String, List<PartitionInfo>> existing = c.listTopics();
    Set<TopicPartition> wanted = new HashSet<>(partitionsOf(existing, changesTopic));
    appliedTopicToRegion.keySet().forEach(topic -> wanted.addAll(partitionsOf(existing, topic)));
    if (wanted.equals(assigned)) {
      return assigned;
    }
    Map<TopicPartition, Long> positions = new HashMap<>();
    assigned.forEach(p -> positions.put(p, c.position(p)));
    c.assign(wanted);
    for (TopicPartition partition : wanted) {
      if (positions.containsKey(partition)) {
        c.seek(partition, positions.get(partition));
      } else {
        c.seekToBeginning(List.of(partition));
        if (partition.topic().equals(changesTopic)) {
          synchronized (this) {
            changes.put(partition.partition(), new ChangesPartition(partition.partition()));
          }
        }
      }
    }
    return wanted;
  }

  private static List<TopicPartition> partitionsOf(Map<String, List<PartitionInfo>> existing, String topic) {
    return existing.getOrDefault(topic, List.of()).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
  }

  private static boolean reached(Consumer<String, byte[]> c, Map<TopicPartition, Long> ends) {
    return ends != null && ends.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
  }

  private synchronized void read(ConsumerRecord<String, byte[]> record) {
    if (record.topic().equals(changesTopic)) {
      ChangesPartition partition = changes.get(record.partition());
      if (record.key() != null && record.key().startsWith(HEARTBEAT_KEY_PREFIX) && record.value() != null) {
        decode(record, Heartbeat.class).ifPresent(heartbeat -> partition.heartbeat(record.offset(), heartbeat));
        return;
      }
      partition.event(record.offset());
      if (record.key() != null && record.key().startsWith(POLICY_KEY_PREFIX) && record.value() != null) {
        decode(record, PolicyChange.class).ifPresent(change -> policies.put(change.getName(),
            change.getOperation() == PolicyOperation.WRITE ? Optional.of(Sha256.hex(change.getPolicy())) : Optional.empty()));
      }
      return;
    }
    String region = appliedTopicToRegion.get(record.topic());
    if (record.value() != null) {
      decode(record, AppliedWatermark.class).ifPresent(watermark -> {
        applied.get(region).put(watermark.getPartition(), watermark);
        firstApplied.computeIfAbsent(region, r -> new HashMap<>()).merge(watermark.getEpoch(),
            watermark.getAppliedTime(), (earlier, later) -> earlier.isBefore(later) ? earlier : later);
      });
    }
  }

  private <T extends SpecificRecord> Optional<T> decode(
      ConsumerRecord<String, byte[]> record, Class<T> type) {
    try {
      return Optional.of(codec.decode(record.value(), type));
    } catch (EventDecodeException e) {
      LOG.warn("skipped an unreadable record on {}-{} at offset {}: {}", record.topic(), record.partition(),
          record.offset(), e.reason());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    running = false;
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
