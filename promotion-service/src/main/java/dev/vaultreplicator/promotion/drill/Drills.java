package dev.vaultreplicator.promotion.drill;

import dev.vaultreplicator.events.AuditAction;
import dev.vaultreplicator.events.AuditOutcome;
import dev.vaultreplicator.events.PromotionAudit;
import dev.vaultreplicator.promotion.audit.AuditLog;
import dev.vaultreplicator.promotion.auth.Caller;
import dev.vaultreplicator.promotion.auth.Role;
import dev.vaultreplicator.promotion.gate.PromotionGate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drills: every check and a promotion dry run, recorded in the audit chain, asked for by an
 * operator or run by the schedule ({@code drill.interval}) for every region. Knows each region's
 * last drill, from the audit topic at start and from each drill since, for the metrics.
 */
public final class Drills implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Drills.class);
  /** Who the audit names for a scheduled drill. */
  static final Caller SCHEDULE = new Caller("drill-schedule", Role.OPERATOR);

  /** When a region was last drilled, and whether a promotion would have been allowed then. */
  public record Last(Instant at, boolean passed) { }

  private final PromotionGate gate;
  private final List<String> regions;
  private final Map<String, Last> last = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "drill-schedule");
    thread.setDaemon(true);
    return thread;
  });

  public Drills(PromotionGate gate, AuditLog audit, List<String> regions) {
    this.gate = gate;
    this.regions = List.copyOf(regions);
    for (AuditLog.Entry entry : audit.readAll()) {
      if (entry.audit() != null && entry.audit().getAction() == AuditAction.DRILL) {
        remember(entry.audit());
      }
    }
  }

  /** The first scheduled drill comes one interval after start; a zero interval schedules none. */
  public void start(Duration interval) {
    if (interval.isZero()) {
      return;
    }
    scheduler.scheduleWithFixedDelay(this::drillAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public PromotionGate.Answer drill(String region, Caller caller) {
    PromotionGate.Answer answer = gate.drill(region, caller);
    last.put(region, new Last(answer.report().time(), answer.report().outcome().equals(AuditOutcome.ALLOWED.name())));
    return answer;
  }

  public Optional<Last> last(String region) {
    return Optional.ofNullable(last.get(region));
  }

  private void drillAll() {
    for (String region : regions) {
      try {
        PromotionGate.Answer answer = drill(region, SCHEDULE);
        LOG.info("scheduled drill of {}: {}", region, answer.report().message());
      } catch (RuntimeException e) {
        LOG.warn("scheduled drill of {} failed: {}", region, e.toString());
      }
    }
  }

  private void remember(PromotionAudit drill) {
    last.put(drill.getRegion(), new Last(drill.getTime(), drill.getOutcome() == AuditOutcome.ALLOWED));
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
