package dev.vaultreplicator.apply;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.AppliedWatermark;
import dev.vaultreplicator.events.Heartbeat;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A heartbeat reached on partition p means every change before it on p is applied, skipped or
 * dead-lettered, so the heartbeat's {@code captured_through} is now this standby's watermark for p.
 * Published keyed by the partition number, in the same transaction as the consumed offsets.
 */
final class Watermarks implements Processor<String, Inbound, String, byte[]> {

  private final EventCodec codec;
  private final String region;
  private final ApplyMetrics metrics;
  private final Clock clock;
  private ProcessorContext<String, byte[]> context;

  Watermarks(EventCodec codec, String region, ApplyMetrics metrics, Clock clock) {
    this.codec = codec;
    this.region = region;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Inbound> record) {
    Inbound.Beat beat = (Inbound.Beat) record.value();
    Heartbeat heartbeat = beat.heartbeat();
    AppliedWatermark watermark = AppliedWatermark.newBuilder()
        .setRegion(region).setPartition(beat.partition())
        .setCapturedThrough(heartbeat.getCapturedThrough()).setOffset(beat.offset())
        .setSourceRegion(heartbeat.getSourceRegion()).setEpoch(heartbeat.getEpoch())
        .setAppliedTime(clock.instant())
        .build();
    metrics.watermark();
    context.forward(new Record<>(String.valueOf(beat.partition()), codec.encode(watermark), record.timestamp()));
  }
}
