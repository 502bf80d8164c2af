package dev.vaultreplicator.capture;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.Envelope;
import dev.vaultreplicator.seal.SealException;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.seal.SecretSealer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds {@link PublishedState} from the changes topic: every event this region published at
 * the given epoch, in order. What compaction removed counts as published and live; if that is
 * wrong, the next scan publishes the difference (deletes and undeletes are idempotent on a standby).
 *
 * <p>A key whose data is on the topic sealed under another key than the keyring's current one is
 * rewound to the version before the first such record: the scan at start publishes it again from
 * there, in order and sealed under the current key, and compaction then drops the old records.
 * That is how a rotated key can be retired. A standby already holds those versions and skips them.
 */
public final class PublishedStateLoader {

  private static final Logger LOG = LoggerFactory.getLogger(PublishedStateLoader.class);

  private final EventCodec codec;
  private final SecretSealer sealer;

  public PublishedStateLoader(EventCodec codec, SecretSealer sealer) {
    this.codec = codec;
    this.sealer = sealer;
  }

  /** @return the number of this region's events read */
  public long load(Consumer<String, byte[]> consumer, List<TopicPartition> partitions, String region, long epoch,
      PublishedState state) {
    Map<Target, SortedSet<Long>> staleSeals = new HashMap<>();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    long read = 0;
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        if (record.value() != null && apply(record, region, epoch, state, staleSeals)) {
          read++;
        }
      }
    }
    staleSeals.values().removeIf(SortedSet::isEmpty);
    staleSeals.forEach((target, versions) -> state.rewind(target, versions.first() - 1));
    LOG.info("read {} events this region published at epoch {}: {} keys and policies known", read, epoch,
        state.size());
    if (!staleSeals.isEmpty()) {
      LOG.info("{} keys have data on the changes topic sealed under another key than {}: the scan publishes them "
          + "again under it", staleSeals.size(), sealer.currentKeyId());
    }
    return read;
  }

  private boolean apply(ConsumerRecord<String, byte[]> record, String region, long epoch, PublishedState state,
      Map<Target, SortedSet<Long>> staleSeals) {
    SpecificRecord event;
    try {
      event = codec.decode(record.value());
    } catch (EventDecodeException e) {
      LOG.warn("skipped an unreadable record on {}-{} at offset {}: {}", record.topic(), record.partition(),
          record.offset(), e.reason());
      return false;
    }
    if (event instanceof SecretChange change && change.getSourceRegion().equals(region)
        && change.getEpoch() == epoch) {
      state.record(change, clearData(change));
      noteSeal(change, staleSeals);
      return true;
    }
    if (event instanceof PolicyChange change && change.getSourceRegion().equals(region)
        && change.getEpoch() == epoch) {
      state.record(change);
      return true;
    }
    return false;
  }

  /** The newest record of a version decides: a version re-sealed at an earlier start is current again. */
  private void noteSeal(SecretChange change, Map<Target, SortedSet<Long>> staleSeals) {
    if (change.getOperation() != Operation.WRITE || change.getSealedData() == null) {
      return;
    }
    Target target = Target.of(change);
    long version = change.getEngine() == Engine.KV_V2 ? change.getSourceVersion() : 1;
    // Most records are under the current key: only a key with a stale one gets a set.
    if (!change.getSealedData().getKeyId().equals(sealer.currentKeyId())) {
      staleSeals.computeIfAbsent(target, t -> new TreeSet<>()).add(version);
    } else if (staleSeals.containsKey(target)) {
      staleSeals.get(target).remove(version);
    }
  }

  /** KV v1 dedupe is by digest, so its data is opened; a version that will not open is re-published. */
  private SecretData clearData(SecretChange change) {
    if (change.getOperation() != Operation.WRITE || change.getSealedData() == null
        || change.getEngine() != Engine.KV_V1) {
      return null;
    }
    try {
      return sealer.open(Envelope.of(change), change.getSealedData());
    } catch (SealException e) {
      LOG.warn("cannot open {} on the changes topic ({}); it will be published again", change.getMount() + "/"
          + change.getPath(), e.reason());
      return null;
    }
  }
}
