package dev.vaultreplicator.promotion.gate;

import static java.util.Objects.requireNonNull;

/** A validated {@code POST /v1/promotions} body. */
public record PromotionRequest(String region, String reason, boolean dryRun, boolean force, String idempotencyKey) {

  public PromotionRequest {
    requireNonNull(region, "region");
    requireNonNull(reason, "reason");
  }

  /** What an idempotency key promises to repeat: the same request. */
  String fingerprint() {
    return region + "|" + dryRun + "|" + force;
  }
}
