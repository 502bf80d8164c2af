package dev.vaultreplicator.promotion.inspect;

import dev.vaultreplicator.vault.VaultException;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.vault.VaultHealth;
import dev.vaultreplicator.verify.Difference;
import dev.vaultreplicator.verify.Subject;
import dev.vaultreplicator.verify.Verifier;
import dev.vaultreplicator.verify.VersionDigests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at each standby in depth, at start and then every interval: compares it with the
 * primary by keyed digests ({@code verify}: drift) and scans it for certificates. A comparison
 * needs the primary; while it cannot be reached, the last comparison before it went down stands.
 *
 * <p>A difference is drift only once replication cannot explain it: the differing entries are
 * compared again after the standby has applied everything the primary committed before the
 * comparison ended, and an entry that still differs while the primary's side of it has not
 * changed meanwhile is drift. A comparison waits while the standby trails by more than max-lag
 * (it would list only what is on its way, and reading both Vaults slows the catching up) and
 * runs as soon as it has caught up.
 */
public final class StandbyInspector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StandbyInspector.class);
  /** How often the schedule looks for a due or waiting comparison and for differences to compare again. */
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final String PRIMARY = "the region is the primary: it is inspected once an epoch makes it a standby";
  /**
   * Versions whose data digests one region's comparisons keep for the next (both Vaults'): a
   * version's data never changes, so only new ones are read. About 250 bytes each.
   */
  static final int DIGESTS_KEPT = 100_000;

  /**
   * The last comparison: when, how many entries, the differences that are drift, and those that
   * replication may still explain.
   */
  public record Drift(Instant at, int compared, List<String> differences, InFlight inFlight) { }

  /**
   * Differences found before the standby had applied what the primary held: compared again once it
   * has applied everything committed before {@code through}. {@code notComparedAgain} says why
   * that could not happen although it has.
   */
  public record InFlight(List<Difference> differences, Instant through, Optional<String> notComparedAgain) {
    static final InFlight NONE = new InFlight(List.of(), Instant.EPOCH, Optional.empty());

    public boolean isEmpty() {
      return differences.isEmpty();
    }
  }

  /** What is known of one standby; a problem says why the newest look did not happen. */
  public record Inspection(Optional<Drift> drift, Optional<String> driftProblem,
      Optional<CertificateScanner.Scan> certificates, Optional<String> certificateProblem) {
    static final Inspection NONE = new Inspection(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());

    Inspection withDrift(Drift drift) {
      return new Inspection(Optional.of(drift), Optional.empty(), certificates, certificateProblem);
    }

    Inspection withDriftProblem(String problem) {
      return new Inspection(drift, Optional.of(problem), certificates, certificateProblem);
    }

    Inspection withCertificates(Optional<CertificateScanner.Scan> scan, Optional<String> problem) {
      return new Inspection(drift, driftProblem, scan, problem);
    }
  }

  private final Map<String, VaultGateway> vaults;
  private final Supplier<Optional<String>> primaryRegion;
  private final List<String> regions;
  private final List<String> mounts;
  private final CertificateScanner certificates;
  private final Replication replication;
  private final Clock clock;
  private final Map<String, Inspection> inspections = new ConcurrentHashMap<>();
  private final Map<String, VersionDigests> digests = new ConcurrentHashMap<>();
  /** Regions whose due comparison waits for them to catch up. */
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();
  /** When each region's next look is due; only the schedule's thread touches it. */
  private final Map<String, Instant> due = new HashMap<>();
  /** Comparing again runs on the schedule and for a check that asks; one at a time. */
  private final ReentrantLock comparingAgain = new ReentrantLock();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "standby-inspector");
    thread.setDaemon(true);
    return thread;
  });

  public StandbyInspector(Map<String, VaultGateway> vaults, Supplier<Optional<String>> primaryRegion,
      List<String> regions, List<String> mounts, CertificateScanner certificates, Replication replication,
      Clock clock) {
    this.vaults = vaults;
    this.primaryRegion = primaryRegion;
    this.regions = regions;
    this.mounts = mounts;
    this.certificates = certificates;
    this.replication = replication;
    this.clock = clock;
  }

  public void start(Duration interval) {
    long tick = Math.min(interval.toMillis(), TICK.toMillis());
    scheduler.scheduleWithFixedDelay(() -> regions.forEach(region -> tick(region, interval)), 0, tick,
        TimeUnit.MILLISECONDS);
  }

  public Inspection inspection(String region) {
    return inspections.getOrDefault(region, Inspection.NONE);
  }

  /**
   * The region's inspection, its differences still in flight compared again first if the standby
   * has applied through them, or does within {@code wait}: waited for only while it has nothing
   * left to apply, when it is a heartbeat away.
   */
  public Inspection settled(String region, Duration wait) {
    Optional<Drift> drift = inspection(region).drift();
    if (drift.isEmpty() || drift.get().inFlight().isEmpty()) {
      return inspection(region);
    }
    Instant through = drift.get().inFlight().through();
    Instant deadline = clock.instant().plus(wait);
    while (!replication.hasApplied(region, through) && clock.instant().isBefore(deadline)
        && replication.drained(region)) {
      if (!pause(POLL)) {
        return inspection(region);
      }
    }
    compareAgain(region);
    return inspection(region);
  }

  private void tick(String region, Duration interval) {
    try {
      Instant now = clock.instant();
      if (!now.isBefore(due.getOrDefault(region, Instant.MIN))) {
        due.put(region, now.plus(interval));
        inspectNow(region);
      } else if (waiting.contains(region)) {
        compareUnlessBehind(region);
      } else {
        compareAgain(region);
      }
    } catch (RuntimeException e) {
      LOG.warn("inspecting {} failed: {}", region, e.toString());
    }
  }

  /** One look at the region now, on the caller's thread (the schedule does the same). */
  public void inspectNow(String region) {
    VaultGateway standby = vaults.get(region);
    if (standby == null) {
      String missing = "vault." + region + ".address is not configured";
      inspections.put(region, new Inspection(Optional.empty(), Optional.of(missing), Optional.empty(),
          Optional.of(missing)));
      return;
    }
    compareUnlessBehind(region);
    if (replication.isPrimary(region)) {
      update(region, inspection -> inspection.withCertificates(inspection.certificates(), Optional.of(PRIMARY)));
      return;
    }
    Optional<CertificateScanner.Scan> scan = inspection(region).certificates();
    Optional<String> certificateProblem = Optional.empty();
    try {
      scan = Optional.of(certificates.scan(standby, mounts, clock.instant()));
    } catch (VaultException e) {
      certificateProblem = Optional.of("the standby could not be read: " + e.getMessage());
    }
    Optional<CertificateScanner.Scan> scanned = scan;
    Optional<String> problem = certificateProblem;
    update(region, inspection -> inspection.withCertificates(scanned, problem));
  }

  private void compareUnlessBehind(String region) {
    if (replication.isPrimary(region)) {
      // Comparing the primary with itself would read all of it twice for nothing.
      waiting.add(region);
      update(region, inspection -> inspection.withDriftProblem(PRIMARY));
      return;
    }
    Optional<String> behind = replication.tooFarBehind(region);
    if (behind.isPresent()) {
      waiting.add(region);
      update(region, inspection -> inspection.withDriftProblem("the comparison waits until " + region
          + " has caught up: " + behind.get()));
      return;
    }
    waiting.remove(region);
    try {
      Drift drift = compare(region, vaults.get(region));
      update(region, inspection -> inspection.withDrift(drift));
    } catch (PrimaryUnavailableException | VaultException e) {
      update(region, inspection -> inspection.withDriftProblem(e.getMessage()));
    }
  }

  /** Every difference starts in flight: only the standby's applying past the comparison can tell. */
  private Drift compare(String region, VaultGateway standby) {
    Verifier.Report report = Verifier.compare(primaryVault(), standby, mounts, digests(region));
    Instant end = clock.instant();
    return new Drift(end, report.compared(), List.of(),
        report.clean() ? InFlight.NONE : new InFlight(report.differences(), end, Optional.empty()));
  }

  private void compareAgain(String region) {
    comparingAgain.lock();
    try {
      Optional<Drift> before = inspection(region).drift();
      if (before.isEmpty() || before.get().inFlight().isEmpty()) {
        return;
      }
      Drift drift = before.get();
      if (!replication.hasApplied(region, drift.inFlight().through())) {
        Optional<String> silent = replication.primarySilent(region);
        if (silent.isPresent() && drift.inFlight().notComparedAgain().isEmpty()) {
          replace(region, drift, notComparedAgain(drift, silent.get() + ": what was on its way will not come"));
        }
        return;
      }
      Drift settled;
      try {
        settled = settle(drift, Verifier.compareAgain(primaryVault(), vaults.get(region),
            subjects(drift.inFlight()), digests(region)));
      } catch (PrimaryUnavailableException | VaultException e) {
        settled = notComparedAgain(drift, e.getMessage());
      }
      replace(region, drift, settled);
    } finally {
      comparingAgain.unlock();
    }
  }

  private static Drift notComparedAgain(Drift drift, String why) {
    return new Drift(drift.at(), drift.compared(), drift.differences(), new InFlight(drift.inFlight().differences(),
        drift.inFlight().through(), Optional.of(why)));
  }

  /** A comparison that finished meanwhile is newer than what this compared again, and stays. */
  private void replace(String region, Drift before, Drift after) {
    inspections.computeIfPresent(region, (r, now) -> now.drift().orElse(null) == before ? now.withDrift(after) : now);
  }

  /**
   * An entry that still differs, its primary side as it was, is drift; one whose primary side
   * changed meanwhile, or that differs only now, is in flight again.
   */
  private Drift settle(Drift drift, Verifier.Report again) {
    Instant end = clock.instant();
    Map<String, Difference> first = new HashMap<>();
    drift.inFlight().differences().forEach(d -> first.put(d.entry(), d));
    List<String> drifted = new ArrayList<>(drift.differences());
    List<Difference> inFlight = new ArrayList<>();
    for (Difference difference : again.differences()) {
      Difference earlier = first.get(difference.entry());
      if (earlier != null && Objects.equals(earlier.primary(), difference.primary())) {
        drifted.add(difference.toString());
      } else {
        inFlight.add(difference);
      }
    }
    return new Drift(drift.at(), drift.compared(), List.copyOf(drifted),
        inFlight.isEmpty() ? InFlight.NONE : new InFlight(inFlight, end, Optional.empty()));
  }

  private static List<Subject> subjects(InFlight inFlight) {
    Set<Subject> subjects = new LinkedHashSet<>();
    inFlight.differences().forEach(d -> subjects.add(d.subject()));
    return List.copyOf(subjects);
  }

  private VaultGateway primaryVault() {
    String primary = primaryRegion.get().orElseThrow(() ->
        new PrimaryUnavailableException("no epoch names a primary yet"));
    VaultGateway primaryVault = vaults.get(primary);
    if (primaryVault == null) {
      throw new PrimaryUnavailableException("vault." + primary + ".address (the primary's) is not configured");
    }
    VaultHealth health = primaryVault.health();
    if (health != VaultHealth.ACTIVE && health != VaultHealth.STANDBY) {
      throw new PrimaryUnavailableException("the primary (" + primary + ") is "
          + health.name().toLowerCase(Locale.ROOT) + "; the last comparison stands");
    }
    return primaryVault;
  }

  private VersionDigests digests(String region) {
    return digests.computeIfAbsent(region, r -> new VersionDigests(DIGESTS_KEPT));
  }

  private void update(String region, UnaryOperator<Inspection> change) {
    inspections.compute(region, (r, before) -> change.apply(before == null ? Inspection.NONE : before));
  }

  /** @return false when interrupted */
  private static boolean pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The comparison cannot happen now; the last one stands. */
  static final class PrimaryUnavailableException extends RuntimeException {
    PrimaryUnavailableException(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
