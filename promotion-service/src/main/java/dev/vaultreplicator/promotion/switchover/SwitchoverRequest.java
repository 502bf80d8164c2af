package dev.vaultreplicator.promotion.switchover;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * A validated {@code POST /v1/switchovers} body.
 *
 * @param scheduledAt when to start waiting; null: now
 * @param timeout how long to wait for the standby before leaving the old primary in place
 * @param stopWrites seal the old primary once the target has caught up, and take the final watermark after the seal
 */
public record SwitchoverRequest(String region, String reason, Instant scheduledAt, Duration timeout,
    boolean stopWrites) {

  public SwitchoverRequest {
    requireNonNull(region, "region");
    requireNonNull(reason, "reason");
    requireNonNull(timeout, "timeout");
  }
}
