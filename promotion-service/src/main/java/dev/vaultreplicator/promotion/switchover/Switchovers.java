package dev.vaultreplicator.promotion.switchover;

import dev.vaultreplicator.ReplicatorException;
import dev.vaultreplicator.events.AuditOutcome;
import dev.vaultreplicator.promotion.auth.Caller;
import dev.vaultreplicator.promotion.checks.ReplicationLagCheck;
import dev.vaultreplicator.promotion.gate.PromotionGate;
import dev.vaultreplicator.promotion.gate.PromotionRequest;
import dev.vaultreplicator.promotion.lag.RegionLag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Planned switchovers: at the scheduled time a watermark is taken, the target waits until it has
 * applied everything the primary committed before it and every check passes, and then it is
 * promoted through the same gate (and epoch claim) as any promotion. Nothing committed before
 * the watermark can be lost; writes after it go on until the epoch moves, and the report says
 * for how long. With {@code stop_writes}, once the target has caught up the old primary is sealed
 * and the final watermark is the moment the seal returned: the target is promoted only once it
 * has applied everything the old primary ever committed, so nothing can be lost. A timeout leaves
 * the old primary in place (sealed, if it was). Each step is in the audit chain. Switchovers live
 * in this service's memory: a restart forgets the ones still pending (the audit keeps their request).
 */
public final class Switchovers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Switchovers.class);
  private static final Duration TICK = Duration.ofMillis(500);
  /** Ended switchovers kept for {@code GET /v1/switchovers}; the audit keeps them all. */
  private static final int ENDED_KEPT = 100;

  public enum State {
    SCHEDULED, WAITING, PROMOTED, CANCELLED, TIMED_OUT, REFUSED;

    public boolean ended() {
      return this != SCHEDULED && this != WAITING;
    }
  }

  /**
   * A switchover as {@code GET /v1/switchovers/{id}} shows it.
   *
   * @param watermark everything the primary committed before it must be on the target first; null until taken
   * @param waitingFor what it waits for now, in words; null once ended
   * @param stopWrites whether the old primary is sealed before the final watermark
   * @param sealed the old primary this switchover sealed, and when; null until then
   * @param writesUntilEpoch how long writes reached the old primary after the watermark, until the epoch moved
   */
  public record Switchover(String id, String region, String reason, String requestedBy, Instant requestedAt,
      Instant scheduledAt, Duration timeout, boolean stopWrites, State state, Instant since, Instant watermark,
      String waitingFor, Seal sealed, Long epoch, Duration writesUntilEpoch, String message) {

    Switchover with(State newState, Instant at, String waiting, String newMessage) {
      return new Switchover(id, region, reason, requestedBy, requestedAt, scheduledAt, timeout, stopWrites, newState,
          at, watermark, waiting, sealed, epoch, writesUntilEpoch, newMessage);
    }

    Switchover waitingFrom(Instant at, Instant newWatermark, Seal seal) {
      return new Switchover(id, region, reason, requestedBy, requestedAt, scheduledAt, timeout, stopWrites,
          State.WAITING, at, newWatermark, null, seal, null, null, null);
    }

    Switchover promoted(Instant at, long newEpoch, Duration writes, String newMessage) {
      return new Switchover(id, region, reason, requestedBy, requestedAt, scheduledAt, timeout, stopWrites,
          State.PROMOTED, at, watermark, null, sealed, newEpoch, writes, newMessage);
    }

    /** With stop_writes, the old primary is still to be sealed once the target has caught up. */
    boolean sealPending() {
      return stopWrites && sealed == null;
    }

    /** What an ended switchover leaves behind when it sealed the old primary. */
    String sealedNote() {
      return sealed == null ? "" : "; " + sealed.region() + " stays sealed since " + sealed.at() + ": unseal it to "
          + "take writes there again (everything it committed is on the changes topic)";
    }
  }

  /** The old primary a switchover sealed, and when the seal returned. */
  public record Seal(String region, Instant at) { }

  private final PromotionGate gate;
  private final Function<String, RegionLag> lags;
  private final Supplier<Optional<String>> primaryRegion;
  private final WriteStop writeStop;
  private final Clock clock;
  private final Map<String, Switchover> switchovers = new ConcurrentHashMap<>();
  private final Map<String, Caller> callers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "switchovers");
    thread.setDaemon(true);
    return thread;
  });

  /** @param primaryRegion the region the current epoch names, empty before any */
  public Switchovers(PromotionGate gate, Function<String, RegionLag> lags, Supplier<Optional<String>> primaryRegion,
      WriteStop writeStop, Clock clock) {
    this.gate = gate;
    this.lags = lags;
    this.primaryRegion = primaryRegion;
    this.writeStop = writeStop;
    this.clock = clock;
  }

  public void start() {
    scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Why a switchover with {@code stop_writes} could not seal the primary, or empty when it could. */
  public Optional<String> whyWritesCannotStop() {
    return whyCannotSeal(primaryRegion.get());
  }

  private Optional<String> whyCannotSeal(Optional<String> primary) {
    return primary.isEmpty() ? Optional.of("no epoch names a primary yet") : writeStop.unable(primary.get());
  }

  /** @return the new switchover, or the one already pending for any region (one at a time) */
  public synchronized Result request(SwitchoverRequest request, Caller caller) {
    Optional<Switchover> pending = switchovers.values().stream().filter(s -> !s.state().ended()).findFirst();
    if (pending.isPresent()) {
      return new Result(false, pending.get());
    }
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    Instant start = request.scheduledAt() == null ? now : request.scheduledAt();
    Switchover created = new Switchover(id, request.region(), request.reason(), caller.name(), now,
        request.scheduledAt(), request.timeout(), request.stopWrites(), State.SCHEDULED, now, null,
        "the scheduled time, " + start, null, null, null, null);
    switchovers.put(id, created);
    callers.put(id, caller);
    gate.recordSwitchover(id, caller, request.region(), request.reason(), "requested", AuditOutcome.ALLOWED,
        "switchover to " + request.region() + " requested, starting " + start + ", timeout "
            + request.timeout().toSeconds() + "s" + (request.stopWrites() ? ", sealing the old primary first" : ""));
    return new Result(true, created);
  }

  /** Whether the request took effect (a switchover made, or cancelled), and the switchover meant. */
  public record Result(boolean done, Switchover switchover) { }

  public List<Switchover> all() {
    List<Switchover> all = new ArrayList<>(switchovers.values());
    all.sort(Comparator.comparing(Switchover::requestedAt).reversed());
    return all;
  }

  public Optional<Switchover> find(String id) {
    return Optional.ofNullable(switchovers.get(id));
  }

  /** @return empty for an unknown id; not done when it had ended before the request came */
  public synchronized Optional<Result> cancel(String id, Caller caller) {
    Switchover current = switchovers.get(id);
    if (current == null || current.state().ended()) {
      return Optional.ofNullable(current).map(ended -> new Result(false, ended));
    }
    Switchover cancelled = current.with(State.CANCELLED, clock.instant(), null,
        "cancelled by " + caller.name() + "; the old primary stays" + current.sealedNote());
    switchovers.put(id, cancelled);
    gate.recordSwitchover(id, caller, current.region(), current.reason(), "cancelled", AuditOutcome.REFUSED,
        cancelled.message());
    return Optional.of(new Result(true, cancelled));
  }

  private synchronized void tick() {
    for (Switchover each : List.copyOf(switchovers.values())) {
      try {
        if (!each.state().ended()) {
          switchovers.put(each.id(), step(each, clock.instant()));
        }
      } catch (RuntimeException e) {
        LOG.warn("switchover {} to {}: {}", each.id(), each.region(), e.toString());
      }
    }
    forgetOldest();
  }

  private Switchover step(Switchover s, Instant now) {
    if (s.state() == State.SCHEDULED) {
      Instant start = s.scheduledAt() == null ? s.requestedAt() : s.scheduledAt();
      if (now.isBefore(start)) {
        return s;
      }
      // The watermark is taken now, after the request: whatever the primary committed before it must be on the target.
      Switchover waiting = s.waitingFrom(now, now, null);
      gate.recordSwitchover(s.id(), callers.get(s.id()), s.region(), s.reason(), "waiting", AuditOutcome.ALLOWED,
          "watermark " + now + ": waiting until " + s.region() + " has applied everything before it"
              + (s.stopWrites() ? ", then sealing the old primary" : ""));
      return step(waiting, now);
    }
    String waitingFor = waitingFor(s);
    if (waitingFor == null) {
      return s.sealPending() ? seal(s, now) : promote(s, now);
    }
    if (!now.isBefore(s.since().plus(s.timeout()))) {
      Switchover timedOut = s.with(State.TIMED_OUT, now, null, "timed out after " + s.timeout().toSeconds()
          + "s waiting for " + waitingFor + "; the old primary stays" + s.sealedNote());
      gate.recordSwitchover(s.id(), callers.get(s.id()), s.region(), s.reason(), "timed_out", AuditOutcome.REFUSED,
          timedOut.message());
      return timedOut;
    }
    return s.with(State.WAITING, s.since(), waitingFor, null);
  }

  /**
   * What the target still lacks, in words; null when it can be promoted (or, before a seal, when
   * the old primary can be sealed). Before the seal, writes still arrive, so events are always
   * pending: the lag check is left to after the seal, when they drain; every other check must pass
   * first, so the old primary is not sealed for a target that cannot take over.
   */
  private String waitingFor(Switchover s) {
    RegionLag lag = lags.apply(s.region());
    if (lag.state() != RegionLag.State.KNOWN) {
      return s.region() + "'s lag to be known (" + lag.reason() + ")";
    }
    if (s.sealed() != null && lag.capturedThrough().isBefore(s.watermark())) {
      // Capture reads each change after its audit line: one heard of just before the seal cannot be read now.
      return s.sealed().region() + "'s capture to vouch for everything committed before the seal (captured through "
          + lag.capturedThrough() + "); if it stays short, capture heard of a change just before the seal that it "
          + "cannot read while " + s.sealed().region() + " is sealed: nothing is lost, unseal "
          + s.sealed().region() + " and capture publishes it";
    }
    if (lag.appliedThrough().isBefore(s.watermark())) {
      return s.region() + " to apply everything committed before " + s.watermark() + " (applied through "
          + lag.appliedThrough() + ", " + lag.pendingEvents() + " events pending)";
    }
    List<String> failing = gate.readiness(s.region()).stream().filter(c -> !c.status().allowsPromotion())
        .filter(c -> !(s.sealPending() && c.name().equals(ReplicationLagCheck.NAME)))
        .map(c -> c.name() + " " + c.status() + ": " + c.reason()).toList();
    return failing.isEmpty() ? null : "checks to pass: " + String.join("; ", failing);
  }

  /**
   * The target has caught up with the first watermark: seal the old primary, so it commits
   * nothing more, and wait again for everything it committed before the seal returned. The wait
   * after the seal is short, since the target was current a moment before.
   */
  private Switchover seal(Switchover s, Instant now) {
    // Read once: the primary region is read from the control topic.
    Optional<String> primary = primaryRegion.get();
    Optional<String> unable = whyCannotSeal(primary);
    if (unable.isEmpty()) {
      try {
        writeStop.stop(primary.get());
      } catch (ReplicatorException e) {
        unable = Optional.of("could not seal " + primary.get() + ": " + e.getMessage());
      }
    }
    if (unable.isPresent()) {
      Switchover refused = s.with(State.REFUSED, now, null, "stop_writes: " + unable.get()
          + "; nothing changed, the old primary still takes writes");
      gate.recordSwitchover(s.id(), callers.get(s.id()), s.region(), s.reason(), "refused", AuditOutcome.REFUSED,
          refused.message());
      return refused;
    }
    Instant sealedAt = clock.instant();
    Switchover sealed = s.waitingFrom(s.since(), sealedAt, new Seal(primary.get(), sealedAt));
    gate.recordSwitchover(s.id(), callers.get(s.id()), s.region(), s.reason(), "sealed", AuditOutcome.ALLOWED,
        primary.get() + " sealed at " + sealedAt + ": it takes no more writes; waiting until " + s.region()
            + " has applied everything it committed before the seal");
    return sealed;
  }

  private Switchover promote(Switchover s, Instant now) {
    // No idempotency key: a refusal for a check that failed a moment ago must not answer the next attempt.
    PromotionGate.Answer answer = gate.promote(new PromotionRequest(s.region(), "switchover " + s.id() + ": "
        + s.reason(), false, false, null, null), callers.get(s.id()));
    String message = answer.report() == null ? answer.error() : answer.report().message();
    if (answer.status() != 201) {
      if (answer.status() == 409 && message.startsWith(s.region() + " is not fit to promote")) {
        // A check that passed a moment ago fails now: wait on, within the timeout.
        return s.with(State.WAITING, s.since(), "checks to pass: " + message, null);
      }
      Switchover refused = s.with(State.REFUSED, now, null, "the promotion was refused: " + message + s.sealedNote());
      gate.recordSwitchover(s.id(), callers.get(s.id()), s.region(), s.reason(), "refused", AuditOutcome.REFUSED,
          refused.message());
      return refused;
    }
    Switchover promoted;
    if (s.sealed() != null) {
      promoted = s.promoted(now, answer.report().epoch(), Duration.ZERO, message + "; " + s.sealed().region()
          + " was sealed at " + s.sealed().at() + " and " + s.region() + " has applied everything committed before "
          + "it: nothing was lost. Unseal " + s.sealed().region() + " to make it a standby of " + s.region());
    } else {
      Duration writes = Duration.between(s.watermark(), answer.report().time());
      promoted = s.promoted(now, answer.report().epoch(), writes, message + "; for " + writes.toMillis() / 1000.0
          + "s between the watermark and the epoch moving, writes to the old primary may not have been replicated "
          + "(GET /v1/fenced/<old primary>, and the dead-letter topics)");
    }
    gate.recordSwitchover(s.id(), callers.get(s.id()), s.region(), s.reason(), "promoted", AuditOutcome.ALLOWED,
        promoted.message());
    return promoted;
  }

  private void forgetOldest() {
    List<Switchover> ended = switchovers.values().stream().filter(s -> s.state().ended())
        .sorted(Comparator.comparing(Switchover::since)).toList();
    for (int i = 0; i < ended.size() - ENDED_KEPT; i++) {
      switchovers.remove(ended.get(i).id());
      callers.remove(ended.get(i).id());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
