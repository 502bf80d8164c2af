package dev.vaultreplicator.promotion.http;

import dev.vaultreplicator.promotion.checks.CheckResult;
import dev.vaultreplicator.promotion.drill.Drills;
import dev.vaultreplicator.promotion.lag.RegionLag;
import java.time.Instant;
import java.util.List;

/** A region as {@code GET /v1/status} shows it: durations in seconds, absent figures (and a region never drilled) null. */
record RegionStatus(String region, RegionLag.State state, String reason, Instant capturedThrough,
    Instant appliedThrough, Double lagSeconds, Long pendingEvents, Double primarySilenceSeconds, String primaryRegion,
    Long epoch, List<CheckResult> checks, Drills.Last lastDrill) {

  static RegionStatus of(RegionLag lag, List<CheckResult> checks, Drills.Last lastDrill) {
    boolean known = lag.state() != RegionLag.State.UNKNOWN;
    return new RegionStatus(lag.region(), lag.state(), lag.reason().isEmpty() ? null : lag.reason(),
        lag.capturedThrough(), lag.appliedThrough(), lag.lagSeconds(), lag.knownPendingEvents(),
        lag.primarySilenceSeconds(), lag.primaryRegion(), known ? lag.epoch() : null, checks, lastDrill);
  }
}
