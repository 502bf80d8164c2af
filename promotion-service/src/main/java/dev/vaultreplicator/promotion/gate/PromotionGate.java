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
import dev.vaultreplicator.promotion.checks.RecoveryBlockCheck;
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
 * a breakglass caller forces it (never within an unacknowledged recovery block), asks the veto
 * hook if there is one (force passes a veto too: a hook in the region that is down must not hold
 * the failover), claims the next epoch on the control topic (the first claim in the log wins),
 * and appends every decision to the audit chain, allowed or refused.
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
  private final VetoHook vetoHook;
  /** Idempotency key to the request id that answered it; filled from the audit topic on first use. */
  private Map<String, String> answered;

  /**
   * @param checks the readiness checks in the order reports list them; {@code fencing} comes last,
   *     made here because it must know whether a promotion is in flight
   */
  public PromotionGate(LagTracker tracker, List<RegionCheck> checks, FencingCheck.Factory fencing,
      VetoHook vetoHook, ControlLog control, AuditLog audit, Clock clock, MeterRegistry registry) {
    this.vetoHook = vetoHook;
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
      List<CheckResult> checks = acknowledged(readiness(request.region()), request, caller);
      List<String> failing = checks.stream().filter(c -> !c.status().allowsPromotion()).map(CheckResult::name)
          .toList();
      Optional<CheckResult> blocked = checks.stream()
          .filter(c -> c.name().equals(RecoveryBlockCheck.NAME) && c.status() == CheckResult.Status.FAIL).findFirst();
      if (blocked.isPresent()) {
        return decide(request, id, caller, checks, AuditOutcome.REFUSED, null, 409,
            request.region() + " is not promoted within the recovery block: " + blocked.get().reason());
      }
      if (!failing.isEmpty() && !request.force()) {
        return decide(request, id, caller, checks, AuditOutcome.REFUSED, null, 409,
            request.region() + " is not fit to promote: " + String.join(", ", failing) + " did not pass");
      }
      Optional<VetoHook.Verdict> veto = vetoHook.ask(request, caller, checks);
      Map<String, String> vetoDetails = veto.map(v -> Map.of("veto", v.said())).orElse(Map.of());
      boolean vetoed = veto.isPresent() && !veto.get().allowed();
      if (vetoed && !request.force()) {
        return decide(request, id, caller, checks, AuditOutcome.REFUSED, null, 409,
            request.region() + " is vetoed: " + veto.get().said(), vetoDetails);
      }
      String overridden = vetoed ? "; forced past the veto (" + veto.get().said() + ")" : "";
      if (request.dryRun()) {
        return decide(request, id, caller, checks, AuditOutcome.ALLOWED, null, 200,
            "dry run: " + request.region() + " would be promoted" + (failing.isEmpty() ? "" : " (forced)")
                + overridden, vetoDetails);
      }
      return claim(request, id, caller, checks, overridden, vetoDetails);
    } finally {
      inFlight.unlock();
    }
  }

  /** A block the request acknowledges holds it no longer; the acknowledgement is in the check's reason. */
  private static List<CheckResult> acknowledged(List<CheckResult> checks, PromotionRequest request, Caller caller) {
    if (request.recoveryBlockAck() == null) {
      return checks;
    }
    return checks.stream().map(c -> c.name().equals(RecoveryBlockCheck.NAME) && c.status() == CheckResult.Status.FAIL
        ? RecoveryBlockCheck.acknowledged(c, caller.name(), request.recoveryBlockAck()) : c).toList();
  }

  private Answer claim(PromotionRequest request, String id, Caller caller, List<CheckResult> checks,
      String overridden, Map<String, String> vetoDetails) {
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
          "the control topic did not take the claim (" + e.getClass().getSimpleName() + "); nothing changed",
          vetoDetails);
    }
    EpochRecord winner = decision.winner();
    if (!decision.won()) {
      return decide(request, id, caller, checks, AuditOutcome.REFUSED, winner.getEpoch(), 409, String.format(
          "another promotion won epoch %d first: %s, requested by %s", winner.getEpoch(), winner.getPrimaryRegion(),
          winner.getRequestedBy()), vetoDetails);
    }
    LOG.info("promotion {}: epoch {} names {} primary (requested by {}{})", id, next, request.region(),
        caller.name(), request.force() ? ", forced" : "");
    return decide(request, id, caller, checks, AuditOutcome.ALLOWED, next, 201, String.format(
        "epoch %d names %s primary%s%s", next, request.region(), request.force() ? " (forced past failing checks)" : "", overridden),
        vetoDetails);
  }

  private Answer decide(PromotionRequest request, String id, Caller caller, List<CheckResult> checks,
      AuditOutcome outcome, Long epoch, int status, String message) {
    return decide(request, id, caller, checks, outcome, epoch, status, message, Map.of());
  }

  private Answer decide(PromotionRequest request, String id, Caller caller, List<CheckResult> checks,
      AuditOutcome outcome, Long epoch, int status, String message, Map<String, String> extra) {
    Map<String, String> details = new HashMap<>(extra);
    details.put("http_status", String.valueOf(status));
    if (request.recoveryBlockAck() != null) {
      details.put("recovery_block_ack", request.recoveryBlockAck());
    }
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

  /**
   * One step of a switchover (requested, cancelled, timed out, promoted), in the audit chain; the
   * promotion it ends with is recorded as a promotion of its own.
   */
  public void recordSwitchover(String id, Caller caller, String region, String reason, String step,
      AuditOutcome outcome, String message) {
    record(AuditAction.SWITCHOVER, id, caller, region, reason, false, false, List.of(), outcome, null, message,
        tracker.lag(region), Map.of("step", step));
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
