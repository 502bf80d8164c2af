package dev.vaultreplicator.promotion.gate;

import dev.vaultreplicator.events.AuditAction;
import dev.vaultreplicator.events.AuditOutcome;
import dev.vaultreplicator.events.CheckStatus;
import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.events.PromotionAudit;
import dev.vaultreplicator.promotion.audit.AuditLog;
import dev.vaultreplicator.promotion.auth.Caller;
import dev.vaultreplicator.promotion.auth.Role;
import dev.vaultreplicator.promotion.checks.CheckResult;
import dev.vaultreplicator.promotion.checks.FencingCheck;
import dev.vaultreplicator.promotion.checks.RegionCheck;
import dev.vaultreplicator.promotion.epoch.ControlLog;
import dev.vaultreplicator.promotion.lag.LagTracker;
import dev.vaultreplicator.promotion.lag.RegionLag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides promotions (design section 7): runs the readiness checks, refuses while any fails unless
 * a breakglass caller forces it, claims the next epoch on the control topic (the first claim in
 * the log wins), and appends every decision to the audit chain, allowed or refused.
 */
public final class PromotionGate {

  private static final Logger LOG = LoggerFactory.getLogger(PromotionGate.class);

  /** An HTTP status and the report that goes with it. */
  public record Answer(int status, PromotionReport report, String error) {
    static Answer of(int status, PromotionReport report) {
      return new Answer(status, report, null);
    }
  }

  private final LagTracker tracker;
  private final List<RegionCheck> checks;
  private final FencingCheck fencing;
  private final ControlLog control;
  private final AuditLog audit;
  private final Clock clock;
  private final MeterRegistry registry;
  private final ReentrantLock inFlight;
  /** Idempotency key to the request id that answered it; filled from the audit topic on first use. */
  private Map<String, String> answered;

  /**
   * @param checks the readiness checks in the order reports list them; {@code fencing} comes last,
   *     made here because it must know whether a promotion is in flight
   */
  public PromotionGate(LagTracker tracker, List<RegionCheck> checks, FencingCheck.Factory fencing,
      ControlLog control, AuditLog audit, Clock clock, MeterRegistry registry) {
    this.tracker = tracker;
    this.checks = List.copyOf(checks);
    this.inFlight = new ReentrantLock();
    // The promotion being decided holds the lock itself; only another one counts as in flight.
    this.fencing = fencing.create(() -> inFlight.isLocked() && !inFlight.isHeldByCurrentThread());
    this.control = control;
    this.audit = audit;
    this.clock = clock;
    this.registry = registry;
  }

  public List<CheckResult> readiness(String region) {
    List<CheckResult> results = new ArrayList<>();
    checks.forEach(check -> results.add(check.evaluate(region)));
    results.add(fencing.evaluate(region));
    return results;
  }

  /** The same checks as a promotion, recorded as a drill: a rehearsal that changes nothing. */
  public Answer drill(String region, Caller caller) {
    List<CheckResult> checks = readiness(region);
    boolean pass = checks.stream().allMatch(c -> c.status().allowsPromotion());
    PromotionAudit recorded = record(AuditAction.DRILL, UUID.randomUUID().toString(), caller, region,
        "drill", false, false, checks, pass ? AuditOutcome.ALLOWED : AuditOutcome.REFUSED, null,
        pass ? "every check passes: " + region + " could be promoted now" : "a promotion now would be refused",
        tracker.lag(region), Map.of());
    return Answer.of(200, PromotionReport.of(recorded));
  }

  public synchronized Optional<PromotionReport> find(String id) {
    return audit.readAll().stream().filter(e -> e.audit() != null && e.audit().getRequestId().equals(id))
        .findFirst().map(e -> PromotionReport.of(e.audit()));
  }

  public Answer promote(PromotionRequest request, Caller caller) {
    if (request.idempotencyKey() != null) {
      Optional<Answer> earlier = earlierAnswer(request);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    String id = UUID.randomUUID().toString();
    if (request.force() && !caller.role().includes(Role.BREAKGLASS)) {
      return decide(request, id, caller, readiness(request.region()), AuditOutcome.REFUSED, null, 403,
          "force needs the breakglass role; " + caller.name() + " has " + caller.role().label());
    }
    if (!inFlight.tryLock()) {
      return decide(request, id, caller, readiness(request.region()), AuditOutcome.REFUSED, null, 409,
          "another promotion is in flight in this service");
    }
    try {
      List<CheckResult> checks = readiness(request.region());
      List<String> failing = checks.stream().filter(c -> !c.status().allowsPromotion()).map(CheckResult::name)
          .toList();
      if (!failing.isEmpty() && !request.force()) {
        return decide(request, id, caller, checks, AuditOutcome.REFUSED, null, 409,
            request.region() + " is not fit to promote: " + String.join(", ", failing) + " did not pass");
      }
      if (request.dryRun()) {
        return decide(request, id, caller, checks, AuditOutcome.ALLOWED, null, 200,
            "dry run: " + request.region() + " would be promoted" + (failing.isEmpty() ? "" : " (forced)"));
      }
      return claim(request, id, caller, checks);
    } finally {
      inFlight.unlock();
    }
  }

  private Answer claim(PromotionRequest request, String id, Caller caller, List<CheckResult> checks) {
    long next;
    ControlLog.Decision decision;
    try {
      next = control.current().map(e -> e.getEpoch() + 1).orElse(1L);
      decision = control.claim(EpochRecord.newBuilder().setEpoch(next).setPrimaryRegion(request.region())
          .setSince(clock.instant()).setRequestedBy(caller.name()).setReason(request.reason())
          .setForced(request.force()).setRequestId(id).build());
    } catch (RuntimeException e) {
      LOG.error("promotion {} of {} failed: {}", id, request.region(), e.toString());
      return decide(request, id, caller, checks, AuditOutcome.FAILED, null, 503,
          "the control topic did not take the claim (" + e.getClass().getSimpleName() + "); nothing changed");
    }
    EpochRecord winner = decision.winner();
    if (!decision.won()) {
      return decide(request, id, caller, checks, AuditOutcome.REFUSED, winner.getEpoch(), 409, String.format(
          "another promotion won epoch %d first: %s, requested by %s", winner.getEpoch(), winner.getPrimaryRegion(),
          winner.getRequestedBy()));
    }
    LOG.info("promotion {}: epoch {} names {} primary (requested by {}{})", id, next, request.region(),
        caller.name(), request.force() ? ", forced" : "");
    return decide(request, id, caller, checks, AuditOutcome.ALLOWED, next, 201, String.format(
        "epoch %d names %s primary%s", next, request.region(), request.force() ? " (forced past failing checks)" : ""));
  }

  private Answer decide(PromotionRequest request, String id, Caller caller, List<CheckResult> checks,
      AuditOutcome outcome, Long epoch, int status, String message) {
    Map<String, String> details = new HashMap<>();
    details.put("http_status", String.valueOf(status));
    if (request.idempotencyKey() != null) {
      details.put("idempotency_key", request.idempotencyKey());
      details.put("request_fingerprint", request.fingerprint());
    }
    PromotionAudit recorded = record(AuditAction.PROMOTION, id, caller, request.region(), request.reason(),
        request.dryRun(), request.force(), checks, outcome, epoch, message, tracker.lag(request.region()), details);
    if (request.idempotencyKey() != null && outcome != AuditOutcome.FAILED) {
      synchronized (this) {
        if (answered != null) {
          answered.put(request.idempotencyKey(), id);
        }
      }
    }
    return Answer.of(status, PromotionReport.of(recorded));
  }

  private PromotionAudit record(AuditAction action, String id, Caller caller, String region, String reason,
      boolean dryRun, boolean forced, List<CheckResult> checks, AuditOutcome outcome, Long epoch, String message,
      RegionLag lag, Map<String, String> extra) {
    Instant now = clock.instant();
    Map<String, String> details = new HashMap<>(extra);
    details.put("message", message);
    details.putAll(RiskWindow.of(lag, now).toDetails());
    List<dev.vaultreplicator.events.CheckResult> recordedChecks = new ArrayList<>();
    checks.forEach(c -> recordedChecks.add(new dev.vaultreplicator.events.CheckResult(c.name(),
        CheckStatus.valueOf(c.status().name()), c.reason())));
    PromotionAudit recorded = audit.append(PromotionAudit.newBuilder().setRequestId(id).setTime(now)
        .setActor(caller.name()).setAction(action).setRegion(region).setReason(reason).setDryRun(dryRun)
        .setForced(forced).setChecks(recordedChecks).setOutcome(outcome).setEpoch(epoch).setDetails(details));
    Counter.builder("vault.promotion.requests").tag("action", action.name().toLowerCase(Locale.ROOT))
        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).description("Promotion decisions, by outcome")
        .register(registry).increment();
    return recorded;
  }

  private synchronized Optional<Answer> earlierAnswer(PromotionRequest request) {
    List<AuditLog.Entry> entries = null;
    if (answered == null) {
      entries = audit.readAll();
      answered = new HashMap<>();
      for (AuditLog.Entry entry : entries) {
        String key = entry.audit() == null ? null : entry.audit().getDetails().get("idempotency_key");
        if (key != null && entry.audit().getOutcome() != AuditOutcome.FAILED) {
          answered.putIfAbsent(key, entry.audit().getRequestId());
        }
      }
    }
    String id = answered.get(request.idempotencyKey());
    if (id == null) {
      return Optional.empty();
    }
    List<AuditLog.Entry> all = entries != null ? entries : audit.readAll();
    PromotionAudit first = all.stream().map(AuditLog.Entry::audit)
        .filter(a -> a != null && a.getRequestId().equals(id)).findFirst().orElseThrow();
    if (!request.fingerprint().equals(first.getDetails().get("request_fingerprint"))) {
      return Optional.of(new Answer(422, null, "idempotency_key: already used for a different request ("
          + first.getRegion() + ", request " + id + ")"));
    }
    return Optional.of(Answer.of(Integer.parseInt(first.getDetails().get("http_status")), PromotionReport.of(first)));
  }
}
