package dev.vaultreplicator.promotion.checks;

/** One readiness check of one standby region. */
@FunctionalInterface
public interface RegionCheck {
  CheckResult evaluate(String region);
}
