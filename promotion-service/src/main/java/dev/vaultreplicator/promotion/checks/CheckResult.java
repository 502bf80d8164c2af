package dev.vaultreplicator.promotion.checks;

import static java.util.Objects.requireNonNull;

/** One readiness check's verdict, with a reason a person can act on. */
public record CheckResult(String name, Status status, String reason) {

  public enum Status {
    PASS, WARN, FAIL, UNKNOWN;

    /** PASS and WARN let a promotion through; FAIL and UNKNOWN hold it. */
    public boolean allowsPromotion() {
      return this == PASS || this == WARN;
    }
  }

  public CheckResult {
    requireNonNull(name, "name");
    requireNonNull(status, "status");
    requireNonNull(reason, "reason");
  }
}
