package dev.vaultreplicator.promotion.audit;

import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.PromotionAudit;
import dev.vaultreplicator.promotion.log.PartitionLog;
import java.util.List;

/**
 * The audit topic: every decision as a {@link PromotionAudit}, each carrying the SHA-256 of the
 * record before it (of its encoded bytes), so a record removed, altered or inserted breaks the
 * chain where it happened. One partition, so the log has one order.
 */
public final class AuditLog {

  /** What the first record of the chain names as its predecessor. */
  public static final String GENESIS = "0".repeat(64);

  /** One record as read, with where it sits. */
  public record Entry(long offset, PromotionAudit audit, String sha256) { }

  /** Whether the chain holds; {@code brokenAt} is the offset of the first record that does not follow, or -1. */
  public record Verification(boolean verifies, long brokenAt, String reason) { }

  private final PartitionLog log;
  private final EventCodec codec;

  public AuditLog(PartitionLog log, EventCodec codec) {
    this.log = log;
    this.codec = codec;
  }

  /**
   * Appends the record, chained to the last one in the log; its {@code previous_sha256} is set
   * here. The log is read to its end first, so appends from several service instances chain as
   * long as they do not happen at the same moment (docs/promotion.md).
   */
  public synchronized PromotionAudit append(PromotionAudit.Builder record) {
    List<Entry> entries = readAll();
    String last = entries.isEmpty() ? GENESIS : entries.get(entries.size() - 1).sha256();
    PromotionAudit audit = record.setPreviousSha256(last).build();
    log.append(audit.getRequestId(), codec.encode(audit));
    return audit;
  }

  public List<Entry> readAll() {
    return log.readAll().stream()
        .map(r -> new Entry(r.offset(), decode(r.value()), Sha256.hex(r.value()))).toList();
  }

  public static Verification verify(List<Entry> entries) {
    String previous = GENESIS;
    for (Entry entry : entries) {
      if (entry.audit() == null) {
        return new Verification(false, entry.offset(), "the record at offset " + entry.offset() + " does not decode");
      }
      if (!entry.audit().getPreviousSha256().equals(previous)) {
        return new Verification(false, entry.offset(), "the record at offset " + entry.offset()
            + " does not follow the one before it: it names another predecessor");
      }
      previous = entry.sha256();
    }
    return new Verification(true, -1, "");
  }

  private PromotionAudit decode(byte[] bytes) {
    try {
      return codec.decode(bytes, PromotionAudit.class);
    } catch (EventDecodeException e) {
      return null;
    }
  }
}
