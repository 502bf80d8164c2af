package dev.vaultreplicator.promotion.checks;

import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import dev.vaultreplicator.promotion.inspect.StandbyInspector;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code drift}: the last keyed-digest comparison of primary and standby found no difference and
 * is recent. Differences replication may still explain are not drift: they hold the check
 * (unknown) until compared again once the standby has applied through them; a drained standby is
 * given up to {@code settleWait} to apply the heartbeat that shows it. While the primary is down,
 * the last comparison before it went down stands, with a warning.
 */
public final class DriftCheck implements RegionCheck {

  public static final String NAME = "drift";
  /** Long enough for a drained standby to apply the next heartbeats (capture sends one a second by default). */
  public static final Duration SETTLE_WAIT = Duration.ofSeconds(3);
  private static final int NAMED = 3;

  private final StandbyInspector inspector;
  private final Duration maxAge;
  private final Duration settleWait;
  private final Clock clock;

  public DriftCheck(StandbyInspector inspector, Duration maxAge, Duration settleWait, Clock clock) {
    this.inspector = inspector;
    this.maxAge = maxAge;
    this.settleWait = settleWait;
    this.clock = clock;
  }

  @Override
  public CheckResult evaluate(String region) {
    StandbyInspector.Inspection inspection = inspector.settled(region, settleWait);
    if (inspection.drift().isEmpty()) {
      return new CheckResult(NAME, Status.UNKNOWN, inspection.driftProblem()
          .map(problem -> "no comparison yet: " + problem).orElse("the first comparison has not finished yet"));
    }
    StandbyInspector.Drift drift = inspection.drift().get();
    long age = Duration.between(drift.at(), clock.instant()).toSeconds();
    List<String> differences = drift.differences();
    if (!differences.isEmpty()) {
      return new CheckResult(NAME, Status.FAIL, String.format("%d of %d entries differ (compared %ss ago): %s",
          differences.size(), drift.compared(), age, named(differences)));
    }
    StandbyInspector.InFlight inFlight = drift.inFlight();
    if (!inFlight.isEmpty()) {
      List<String> named = inFlight.differences().stream().map(Object::toString).toList();
      return inFlight.notComparedAgain()
          .map(why -> new CheckResult(NAME, Status.WARN, String.format("%d entries differed (compared %ss ago) "
              + "while changes were on their way to %s, and they could not be compared again: %s (%s)",
              named.size(), age, region, why, named(named))))
          .orElse(new CheckResult(NAME, Status.UNKNOWN, String.format("%d of %d entries differ (compared %ss ago), "
              + "but %s had not applied everything the primary committed by then: replication on its way, not yet "
              + "drift; compared again once it has applied through %s (%s)", named.size(), drift.compared(), age,
              region, inFlight.through(), named(named))));
    }
    String clean = String.format("the comparison %ss ago found no difference among %d entries", age,
        drift.compared());
    if (age <= maxAge.toSeconds()) {
      return new CheckResult(NAME, Status.PASS, clean);
    }
    return inspection.driftProblem()
        .map(problem -> new CheckResult(NAME, Status.WARN, clean + ", the last before: " + problem))
        .orElse(new CheckResult(NAME, Status.FAIL, clean + ", older than check.drift.max.age "
            + maxAge.toSeconds() + "s"));
  }

  private static String named(List<String> differences) {
    return String.join("; ", differences.subList(0, Math.min(NAMED, differences.size())))
        + (differences.size() > NAMED ? "; ..." : "");
  }
}
