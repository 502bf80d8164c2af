package dev.vaultreplicator.capture;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.Envelope;
import dev.vaultreplicator.seal.SealException;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.seal.SecretSealer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    long read = 0;
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        if (record.value() != null && apply(record, region, epoch, state)) {
          read++;
        }
      }
    }
    LOG.info("read {} events this region published at epoch {}: {} keys and policies known", read, epoch,
        state.size());
    return read;
  }

  private boolean apply(ConsumerRecord<String, byte[]> record, String region, long epoch, PublishedState state) {
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
      return true;
    }
    if (event instanceof PolicyChange change && change.getSourceRegion().equals(region)
        && change.getEpoch() == epoch) {
      state.record(change);
      return true;
    }
    return false;
  }

  /** KV v1 dedupe is by digest, so its data is opened; a version that will not open is re-published. */
  private SecretData clearData(SecretChange change) {
    if (change.getOperation() != Operation.WRITE || change.getSealedData() == null
        || change.getEngine() != dev.vaultreplicator.events.Engine.KV_V1) {
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
