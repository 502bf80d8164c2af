package dev.vaultreplicator.promotion.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.promotion.checks.CheckResult;
import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import dev.vaultreplicator.promotion.checks.DriftCheck;
import dev.vaultreplicator.promotion.lag.RegionLag;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import dev.vaultreplicator.vault.VaultGateway;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drift told from lag, against two emulators over HTTP, with the standby's progress set by the
 * test: a difference counts as drift only once the standby has applied past the comparison.
 */
class StandbyInspectorTest {

  private static final Duration MAX_LAG = Duration.ofSeconds(5);

  private VaultEmulator primaryEmulator;
  private VaultEmulator standbyEmulator;
  private TestVault primary;
  private TestVault standby;
  /** What the standby has applied of the primary's commits: before this instant, everything. */
  private final AtomicReference<Instant> appliedThrough = new AtomicReference<>(Instant.EPOCH);
  private final AtomicReference<Duration> lag = new AtomicReference<>(Duration.ZERO);
  private final AtomicReference<Duration> silence = new AtomicReference<>(Duration.ZERO);
  private final AtomicReference<RegionLag.State> state = new AtomicReference<>(RegionLag.State.KNOWN);
  private StandbyInspector inspector;
  private DriftCheck check;

  @BeforeEach
  void start() {
    primaryEmulator = VaultEmulator.start();
    standbyEmulator = VaultEmulator.start();
    primary = new TestVault(primaryEmulator);
    standby = new TestVault(standbyEmulator);
    Replication replication = new Replication(region -> new RegionLag(region, state.get(), "",
        Instant.now(), appliedThrough.get(), lag.get(), 0, silence.get(), "east", 1), MAX_LAG);
    inspector = new StandbyInspector(Map.of("east", gateway(primary), "west", gateway(standby)),
        () -> Optional.of("east"), List.of("west"), List.of("secret"), new CertificateScanner(Duration.ofDays(7)),
        replication, Clock.systemUTC());
    check = new DriftCheck(inspector, Duration.ofMinutes(15), Duration.ZERO, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    inspector.close();
    primaryEmulator.close();
    standbyEmulator.close();
  }

  @Test
  void shouldHoldADifferenceTheStandbyHasNotAppliedPastAndPassOnceItHasCaughtUp() {
    primary.write("app/db", "{\"password\":\"one\"}");

    inspector.inspectNow("west");
    CheckResult pending = check.evaluate("west");

    assertThat(pending.status()).isEqualTo(Status.UNKNOWN);
    assertThat(pending.reason()).contains("replication on its way, not yet drift",
        "secret/app/db settings: missing on the standby");

    standby.write("app/db", "{\"password\":\"one\"}");
    appliedThrough.set(Instant.now());
    CheckResult caughtUp = check.evaluate("west");

    assertThat(caughtUp.status()).as(caughtUp.reason()).isEqualTo(Status.PASS);
    assertThat(caughtUp.reason()).as("the key's settings and version, and the default policy")
        .contains("found no difference among 3 entries");
  }

  @Test
  void shouldCallDriftWhatStillDiffersOnceTheStandbyHasAppliedPastItButNotWhatThePrimaryChangedMeanwhile() {
    primary.write("app/db", "{\"password\":\"one\"}");
    standby.write("app/db", "{\"password\":\"other\"}");
    primary.write("app/busy", "{\"n\":\"1\"}");
    standby.write("app/busy", "{\"n\":\"1\"}");
    primary.write("app/busy", "{\"n\":\"2\"}");
    inspector.inspectNow("west");

    standby.write("app/busy", "{\"n\":\"2\"}");
    appliedThrough.set(Instant.now());
    primary.write("app/busy", "{\"n\":\"3\"}");
    CheckResult result = check.evaluate("west");

    assertThat(result.status()).isEqualTo(Status.FAIL);
    assertThat(result.reason()).contains("1 of 6 entries differ", "secret/app/db v1: differs")
        .doesNotContain("app/busy", "one", "other");
    StandbyInspector.InFlight stillOnItsWay = inspector.inspection("west").drift().orElseThrow().inFlight();
    assertThat(stillOnItsWay.differences()).extracting(Object::toString)
        .anyMatch(d -> d.startsWith("secret/app/busy"));
  }

  @Test
  void shouldWaitToCompareWhileTheStandbyTrailsBeyondMaxLagAndCompareOnceItHasCaughtUp() {
    primary.write("app/db", "{\"password\":\"one\"}");
    lag.set(Duration.ofSeconds(30));

    inspector.inspectNow("west");

    assertThat(inspector.inspection("west").drift()).isEmpty();
    assertThat(check.evaluate("west").reason())
        .isEqualTo("no comparison yet: the comparison waits until west has caught up: west trails the primary "
            + "by 30.0s, more than max-lag 5.0s");

    standby.write("app/db", "{\"password\":\"one\"}");
    lag.set(Duration.ZERO);
    inspector.inspectNow("west");

    assertThat(check.evaluate("west").status()).isEqualTo(Status.PASS);
  }

  @Test
  void shouldWarnWhenThePrimaryWentDownBeforeADifferenceOnItsWayCouldBeComparedAgain() {
    primary.write("app/db", "{\"password\":\"one\"}");
    inspector.inspectNow("west");
    primaryEmulator.close();
    appliedThrough.set(Instant.now());

    CheckResult result = check.evaluate("west");

    assertThat(result.status()).isEqualTo(Status.WARN);
    assertThat(result.reason()).contains("could not be compared again", "the primary (east) is unreachable");
  }

  @Test
  void shouldWarnWhenThePrimaryFellSilentBeforeTheStandbyCouldApplyPastADifference() {
    primary.write("app/db", "{\"password\":\"one\"}");
    inspector.inspectNow("west");
    silence.set(Duration.ofSeconds(30));

    CheckResult result = check.evaluate("west");

    assertThat(result.status()).isEqualTo(Status.WARN);
    assertThat(result.reason()).contains("the primary (east) has been silent for 30.0s",
        "what was on its way will not come", "secret/app/db");
  }

  @Test
  void shouldNeitherCompareNorScanTheRegionWhileItIsThePrimary() {
    standby.write("app/db", "{\"password\":\"only-here\"}");
    state.set(RegionLag.State.PRIMARY);

    inspector.inspectNow("west");

    StandbyInspector.Inspection inspection = inspector.inspection("west");
    assertThat(inspection.drift()).isEmpty();
    assertThat(inspection.certificates()).isEmpty();
    assertThat(inspection.driftProblem()).hasValueSatisfying(p -> assertThat(p).contains("is the primary"));
    assertThat(inspection.certificateProblem()).hasValueSatisfying(p -> assertThat(p).contains("is the primary"));
  }

  private static VaultGateway gateway(TestVault vault) {
    return new VaultGateway(URI.create(vault.address()), vault::rootToken, Duration.ofSeconds(2));
  }
}
