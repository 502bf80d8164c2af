package dev.vaultreplicator.promotion.http;

import dev.vaultreplicator.promotion.audit.AuditLog;
import dev.vaultreplicator.promotion.gate.PromotionReport;

/** One audit record as {@code GET /v1/audit} shows it: where it sits in the chain, and what it decided. */
record AuditEntryView(long offset, String sha256, String previousSha256, PromotionReport decision) {

  static AuditEntryView of(AuditLog.Entry entry) {
    return entry.audit() == null ? new AuditEntryView(entry.offset(), entry.sha256(), null, null)
        : new AuditEntryView(entry.offset(), entry.sha256(), entry.audit().getPreviousSha256(),
            PromotionReport.of(entry.audit()));
  }
}
