package dev.vaultreplicator.promotion.inspect;

import dev.vaultreplicator.vault.VaultException;
import dev.vaultreplicator.vault.VaultGateway;
import dev.vaultreplicator.vault.VaultHealth;
import dev.vaultreplicator.verify.Verifier;
import dev.vaultreplicator.verify.VersionDigests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at each standby in depth, at start and then every interval: compares it with the
 * primary by keyed digests ({@code verify}: drift) and scans it for certificates. A comparison
 * needs the primary; while it cannot be reached, the last comparison before it went down stands.
 */
public final class StandbyInspector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StandbyInspector.class);
  /** A write still on its way shows as a difference once; a second look tells drift from lag. */
  private static final Duration SECOND_LOOK = Duration.ofSeconds(1);
  /**
   * Versions whose data digests one region's comparisons keep for the next (both Vaults'): a
   * version's data never changes, so only new ones are read. About 250 bytes each.
   */
  static final int DIGESTS_KEPT = 100_000;

  /** The last comparison: when, how many entries, and the names of those that differ. */
  public record Drift(Instant at, int compared, List<String> differences) { }

  /** What is known of one standby; a problem says why the newest look did not happen. */
  public record Inspection(Optional<Drift> drift, Optional<String> driftProblem,
      Optional<CertificateScanner.Scan> certificates, Optional<String> certificateProblem) {
    static final Inspection NONE = new Inspection(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  private final Map<String, VaultGateway> vaults;
  private final Supplier<Optional<String>> primaryRegion;
  private final List<String> regions;
  private final List<String> mounts;
  private final CertificateScanner certificates;
  private final Clock clock;
  private final Map<String, Inspection> inspections = new ConcurrentHashMap<>();
  private final Map<String, VersionDigests> digests = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "standby-inspector");
    thread.setDaemon(true);
    return thread;
  });

  public StandbyInspector(Map<String, VaultGateway> vaults, Supplier<Optional<String>> primaryRegion,
      List<String> regions, List<String> mounts, CertificateScanner certificates, Clock clock) {
    this.vaults = vaults;
    this.primaryRegion = primaryRegion;
    this.regions = regions;
    this.mounts = mounts;
    this.certificates = certificates;
    this.clock = clock;
  }

  public void start(Duration interval) {
    scheduler.scheduleWithFixedDelay(this::inspectAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Inspection inspection(String region) {
    return inspections.getOrDefault(region, Inspection.NONE);
  }

  private void inspectAll() {
    for (String region : regions) {
      try {
        inspectNow(region);
      } catch (RuntimeException e) {
        LOG.warn("inspecting {} failed: {}", region, e.toString());
      }
    }
  }

  /** One look at the region now, on the caller's thread (the schedule does the same). */
  public void inspectNow(String region) {
    VaultGateway standby = vaults.get(region);
    Inspection before = inspection(region);
    if (standby == null) {
      String missing = "vault." + region + ".address is not configured";
      inspections.put(region, new Inspection(Optional.empty(), Optional.of(missing), Optional.empty(),
          Optional.of(missing)));
      return;
    }
    Optional<Drift> drift = before.drift();
    Optional<String> driftProblem = Optional.empty();
    try {
      drift = Optional.of(compare(region, standby));
    } catch (PrimaryUnavailableException | VaultException e) {
      driftProblem = Optional.of(e.getMessage());
    }
    Optional<CertificateScanner.Scan> scan = before.certificates();
    Optional<String> certificateProblem = Optional.empty();
    try {
      scan = Optional.of(certificates.scan(standby, mounts, clock.instant()));
    } catch (VaultException e) {
      certificateProblem = Optional.of("the standby could not be read: " + e.getMessage());
    }
    inspections.put(region, new Inspection(drift, driftProblem, scan, certificateProblem));
  }

  private Drift compare(String region, VaultGateway standby) {
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
    VersionDigests kept = digests.computeIfAbsent(region, r -> new VersionDigests(DIGESTS_KEPT));
    Verifier.Report report = Verifier.compare(primaryVault, standby, mounts, kept);
    if (!report.clean()) {
      pause(SECOND_LOOK);
      report = Verifier.compare(primaryVault, standby, mounts, kept);
    }
    return new Drift(clock.instant(), report.compared(), report.differences());
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
