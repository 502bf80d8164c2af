package dev.vaultreplicator.promotion.gate;

import static java.util.Objects.requireNonNull;

/**
 * A validated {@code POST /v1/promotions} body. {@code recoveryBlockAck}, when given, is the
 * caller's comment acknowledging a promotion within the recovery block.
 */
public record PromotionRequest(String region, String reason, boolean dryRun, boolean force, String idempotencyKey,
    String recoveryBlockAck) {

  public PromotionRequest {
    requireNonNull(region, "region");
    requireNonNull(reason, "reason");
  }

  /** What an idempotency key promises to repeat: the same request. */
  String fingerprint() {
    return region + "|" + dryRun + "|" + force + "|" + (recoveryBlockAck != null);
  }
}
