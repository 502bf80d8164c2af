package dev.vaultreplicator.apply;

import dev.vaultreplicator.events.EpochRecord;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.MDC;

/**
 * Second step: an event from an epoch older than the control topic's current one is a fenced
 * primary's late write and goes to the dead-letter topic ({@code stale-epoch}). An event this
 * region captured itself is dropped here and counted: a region never applies its own changes.
 */
final class EpochFence implements FixedKeyProcessor<String, Inbound, Inbound> {

  /** The current epoch as the control topic says, if any epoch was claimed yet. */
  @FunctionalInterface
  interface CurrentEpoch {
    Optional<EpochRecord> current();
  }

  private final CurrentEpoch epochs;
  private final String region;
  private final ApplyMetrics metrics;
  private FixedKeyProcessorContext<String, Inbound> context;

  EpochFence(CurrentEpoch epochs, String region, ApplyMetrics metrics) {
    this.epochs = epochs;
    this.region = region;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Inbound> context) {
    this.context = context;
    // init runs on the stream thread that owns the task: every line it logs carries the context.
    MDC.put("component", "apply");
    MDC.put("region", region);
  }

  @Override
  public void process(FixedKeyRecord<String, Inbound> record) {
    Inbound inbound = record.value();
    if (inbound instanceof Inbound.Rejected) {
      context.forward(record);
      return;
    }
    Optional<EpochRecord> current = epochs.current();
    if (current.isPresent() && inbound.epoch() < current.get().getEpoch() && inbound instanceof Inbound.Beat) {
      // The old primary's last heartbeats, still on the topic after a promotion: they carry no data.
      metrics.skipped(SkipReason.STALE_HEARTBEAT);
      return;
    }
    if (current.isPresent() && inbound.epoch() < current.get().getEpoch()) {
      context.forward(record.withValue(new Inbound.Rejected(inbound.original(), DlqReason.STALE_EPOCH,
          "epoch " + inbound.epoch() + " from " + inbound.sourceRegion() + ", current epoch "
              + current.get().getEpoch() + " names " + current.get().getPrimaryRegion())));
      return;
    }
    if (inbound.sourceRegion().equals(region)) {
      metrics.skipped(SkipReason.OWN_REGION);
      return;
    }
    context.forward(record);
  }
}
