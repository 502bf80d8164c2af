package dev.vaultreplicator.promotion.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.events.AuditAction;
import dev.vaultreplicator.events.AuditOutcome;
import dev.vaultreplicator.events.PromotionAudit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chain rule, on entries as the log would hand them back. */
class AuditLogTest {

  private final EventCodec codec = new EventCodec();

  @Test
  void shouldVerifyAChainWhereEachRecordNamesTheOneBefore() {
    assertThat(AuditLog.verify(chain(3)).verifies()).isTrue();
    assertThat(AuditLog.verify(List.of()).verifies()).isTrue();
  }

  @Test
  void shouldFindWhereARecordWasRemovedOrAltered() {
    List<AuditLog.Entry> removed = new ArrayList<>(chain(4));
    removed.remove(1);
    List<AuditLog.Entry> altered = new ArrayList<>(chain(3));
    PromotionAudit changed = PromotionAudit.newBuilder(altered.get(1).audit()).setOutcome(AuditOutcome.ALLOWED).build();
    byte[] bytes = codec.encode(changed);
    altered.set(1, new AuditLog.Entry(1, changed, Sha256.hex(bytes)));

    AuditLog.Verification afterRemoval = AuditLog.verify(removed);
    AuditLog.Verification afterChange = AuditLog.verify(altered);

    assertThat(afterRemoval.verifies()).isFalse();
    assertThat(afterRemoval.brokenAt()).isEqualTo(2);
    assertThat(afterChange.verifies()).isFalse();
    assertThat(afterChange.brokenAt()).isEqualTo(2);
  }

  private List<AuditLog.Entry> chain(int length) {
    List<AuditLog.Entry> entries = new ArrayList<>();
    String previous = AuditLog.GENESIS;
    for (int i = 0; i < length; i++) {
      PromotionAudit audit = PromotionAudit.newBuilder().setRequestId("r" + i).setTime(Instant.EPOCH)
          .setActor("olga").setAction(AuditAction.PROMOTION).setRegion("west").setReason("test").setDryRun(false)
          .setForced(false).setChecks(List.of()).setOutcome(AuditOutcome.REFUSED).setEpoch(null)
          .setDetails(Map.of()).setPreviousSha256(previous).build();
      byte[] bytes = codec.encode(audit);
      previous = Sha256.hex(bytes);
      entries.add(new AuditLog.Entry(i, audit, previous));
    }
    return entries;
  }
}
