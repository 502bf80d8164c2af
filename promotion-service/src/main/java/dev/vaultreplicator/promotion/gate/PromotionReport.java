package dev.vaultreplicator.promotion.gate;

import dev.vaultreplicator.events.PromotionAudit;
import dev.vaultreplicator.promotion.checks.CheckResult;
import java.time.Instant;
import java.util.List;

/**
 * What a promotion, dry run or drill decided, as the API returns it. It is read back from its
 * audit record, so {@code GET /v1/promotions/{id}} answers the same after a restart.
 *
 * @param epoch the new epoch when allowed; the winner's when the race was lost
 * @param step a switchover's step (requested, waiting, promoted, timed_out, cancelled, refused); null otherwise
 */
public record PromotionReport(String id, String action, String region, String outcome, boolean dryRun,
    boolean forced, String requestedBy, String reason, Instant time, Long epoch, String message,
    List<CheckResult> checks, RiskWindow riskWindow, String step) {

  public static PromotionReport of(PromotionAudit audit) {
    List<CheckResult> checks = audit.getChecks().stream().map(c -> new CheckResult(c.getName(),
        CheckResult.Status.valueOf(c.getStatus().name()), c.getReason())).toList();
    return new PromotionReport(audit.getRequestId(), audit.getAction().name(), audit.getRegion(),
        audit.getOutcome().name(), audit.getDryRun(), audit.getForced(), audit.getActor(), audit.getReason(),
        audit.getTime(), audit.getEpoch(), audit.getDetails().getOrDefault("message", ""), checks,
        RiskWindow.fromDetails(audit.getDetails()), audit.getDetails().get("step"));
  }
}
