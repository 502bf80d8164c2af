package dev.vaultreplicator.capture;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.epoch.EpochWatcher;
import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.events.FencedChange;
import dev.vaultreplicator.events.FencedKind;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes this region's Vault committed after the epoch moved to another region, which
 * capture therefore did not publish: the writes a failover orphaned. Each goes to
 * {@code <prefix>.fenced} (path, version, commit time; never a value) for the promotion service
 * to show, so that they can be carried over by hand.
 */
final class FencedChanges {

  private static final Logger LOG = LoggerFactory.getLogger(FencedChanges.class);

  private final Producer<String, byte[]> producer;
  private final EventCodec codec;
  private final String topic;
  private final String region;
  private final EpochWatcher epochs;
  private final CaptureMetrics metrics;
  private final Clock clock;

  FencedChanges(Producer<String, byte[]> producer, EventCodec codec, String topic, String region,
      EpochWatcher epochs, CaptureMetrics metrics, Clock clock) {
    this.producer = producer;
    this.codec = codec;
    this.topic = topic;
    this.region = region;
    this.epochs = epochs;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * A change capture heard of but may not publish. Recorded only when the epoch names another
   * region: before this region's first epoch, or while it takes over, a scan publishes it later.
   *
   * @param writtenFrom the first KV v2 version its audit lines named, 0 for none
   */
  void heard(Target target, Instant commitTime, long writtenFrom, long writtenTo) {
    Optional<EpochRecord> current = epochs.current();
    if (current.isEmpty() || current.get().getPrimaryRegion().equals(region)) {
      return;
    }
    metrics.fenced();
    if (writtenFrom <= 0) {
      send(target, current.get(), null, commitTime);
      return;
    }
    for (long version = writtenFrom; version <= writtenTo; version++) {
      send(target, current.get(), version, commitTime);
    }
  }

  private void send(Target target, EpochRecord epoch, Long version, Instant commitTime) {
    FencedChange change = FencedChange.newBuilder()
        .setSourceRegion(region)
        .setEpoch(epoch.getEpoch())
        .setPrimaryRegion(epoch.getPrimaryRegion())
        .setKind(switch (target.kind()) {
          case KV_V2 -> FencedKind.KV_V2;
          case KV_V1 -> FencedKind.KV_V1;
          case POLICY -> FencedKind.POLICY;
        })
        .setMount(target.kind() == Target.Kind.POLICY ? null : target.mount())
        .setPath(target.path())
        .setVersion(version)
        .setCommitTime(commitTime == null ? clock.instant() : commitTime)
        .setRecordedTime(clock.instant())
        .build();
    String key = region + "/" + target.key() + (version == null ? "" : "#v" + version);
    try {
      producer.send(new ProducerRecord<>(topic, 0, key, codec.encode(change)), (metadata, error) -> {
        if (error != null) {
          LOG.warn("could not record the fenced change of {}: {}", target, error.getClass().getSimpleName());
        }
      });
    } catch (KafkaException e) {
      LOG.warn("could not record the fenced change of {}: {}", target, e.getClass().getSimpleName());
    }
  }
}
