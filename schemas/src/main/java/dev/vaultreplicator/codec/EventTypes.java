package dev.vaultreplicator.codec;

import dev.vaultreplicator.events.AppliedWatermark;
import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.events.FencedChange;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.PromotionAudit;
import dev.vaultreplicator.events.SecretChange;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The top-level event types: what goes on a topic. Nested records (SealedData, CheckResult, ...) are not events. */
public final class EventTypes {

  public static final List<Class<? extends SpecificRecord>> ALL =
      List.of(
          SecretChange.class,
          PolicyChange.class,
          Heartbeat.class,
          AppliedWatermark.class,
          EpochRecord.class,
          PromotionAudit.class,
          FencedChange.class);

  private EventTypes() {}
}
