package dev.vaultreplicator.promotion.checks;

import dev.vaultreplicator.promotion.lag.RegionLag;
import java.time.Duration;

/**
 * {@code replication-lag}: the standby has applied what was captured, within {@code max-lag} and
 * {@code max-pending}. A drained standby of a silent primary passes with a warning: that is the
 * outage this tool is for, and the promotion report states the risk window.
 */
public final class ReplicationLagCheck {

  public static final String NAME = "replication-lag";

  private final Duration maxLag;
  private final long maxPending;

  public ReplicationLagCheck(Duration maxLag, long maxPending) {
    this.maxLag = maxLag;
    this.maxPending = maxPending;
  }

  public CheckResult evaluate(RegionLag lag) {
    return switch (lag.state()) {
      case UNKNOWN -> new CheckResult(NAME, CheckResult.Status.UNKNOWN, lag.reason());
      case PRIMARY -> new CheckResult(NAME, CheckResult.Status.FAIL, lag.reason() + ": there is nothing to promote");
      case KNOWN -> known(lag);
    };
  }

  private CheckResult known(RegionLag lag) {
    if (lag.lag().compareTo(maxLag) > 0) {
      return new CheckResult(NAME, CheckResult.Status.FAIL, String.format(
          "%s trails the primary by %s, more than max-lag %s; %d events pending. Is apply for %s running and "
              + "its standby reachable?", lag.region(), seconds(lag.lag()), seconds(maxLag), lag.pendingEvents(),
          lag.region()));
    }
    if (lag.pendingEvents() > maxPending) {
      return new CheckResult(NAME, CheckResult.Status.FAIL, String.format(
          "%s has %d events on the changes topic not yet applied (max-pending %d); lag %s", lag.region(),
          lag.pendingEvents(), maxPending, seconds(lag.lag())));
    }
    if (lag.primarySilence().compareTo(maxLag) > 0) {
      return new CheckResult(NAME, CheckResult.Status.WARN, String.format(
          "%s applied everything captured through %s, but the primary (%s) has been silent for %s: changes it "
              + "committed after that may not have been captured", lag.region(), lag.capturedThrough(),
          lag.primaryRegion(), seconds(lag.primarySilence())));
    }
    return new CheckResult(NAME, CheckResult.Status.PASS, String.format("lag %s, %d events pending",
        seconds(lag.lag()), lag.pendingEvents()));
  }

  private static String seconds(Duration duration) {
    return String.format("%.3fs", duration.toMillis() / 1000.0);
  }
}
