package dev.vaultreplicator.promotion.checks;

import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import dev.vaultreplicator.promotion.inspect.StandbyInspector;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code drift}: the last keyed-digest comparison of primary and standby found no difference and
 * is recent. While the primary is down, the last comparison before it went down stands, with a warning.
 */
public final class DriftCheck implements RegionCheck {

  public static final String NAME = "drift";
  private static final int NAMED = 3;

  private final StandbyInspector inspector;
  private final Duration maxAge;
  private final Clock clock;

  public DriftCheck(StandbyInspector inspector, Duration maxAge, Clock clock) {
    this.inspector = inspector;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  @Override
  public CheckResult evaluate(String region) {
    StandbyInspector.Inspection inspection = inspector.inspection(region);
    if (inspection.drift().isEmpty()) {
      return new CheckResult(NAME, Status.UNKNOWN, inspection.driftProblem()
          .map(problem -> "no comparison yet: " + problem).orElse("the first comparison has not finished yet"));
    }
    StandbyInspector.Drift drift = inspection.drift().get();
    long age = Duration.between(drift.at(), clock.instant()).toSeconds();
    List<String> differences = drift.differences();
    if (!differences.isEmpty()) {
      return new CheckResult(NAME, Status.FAIL, String.format("%d of %d entries differ (compared %ss ago): %s%s",
          differences.size(), drift.compared(), age, String.join("; ", differences.subList(0,
              Math.min(NAMED, differences.size()))), differences.size() > NAMED ? "; ..." : ""));
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
}
