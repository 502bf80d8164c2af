package dev.vaultreplicator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import dev.vaultreplicator.vault.VaultGateway;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Comparisons that repeat read each version's data once, and still see every change to it. */
class VersionDigestsTest {

  private static final Instant CREATED = Instant.parse("2026-12-02T10:00:00Z");
  private final AtomicInteger reads = new AtomicInteger();

  private byte[] read() {
    reads.incrementAndGet();
    return "{\"a\":\"1\"}".getBytes(StandardCharsets.UTF_8);
  }

  private static VersionDigests.Version version(long number, Instant created) {
    return new VersionDigests.Version("http://standby", "secret", "app/db", number, created);
  }

  @Test
  void shouldReadAVersionOnceOverComparisonsThatKeepSeeingIt() {
    VersionDigests digests = new VersionDigests(10);

    String first = digests.of(version(1, CREATED), this::read);
    digests.comparisonDone();
    String second = digests.of(version(1, CREATED), this::read);
    digests.comparisonDone();
    String third = digests.of(version(1, CREATED), this::read);

    assertThat(reads).hasValue(1);
    assertThat(second).isEqualTo(first).isEqualTo(third);
  }

  @Test
  void shouldReadAgainAVersionWrittenAgainUnderTheSameNumber() {
    VersionDigests digests = new VersionDigests(10);
    digests.of(version(1, CREATED), this::read);
    digests.comparisonDone();

    digests.of(version(1, CREATED.plusSeconds(5)), this::read);

    assertThat(reads).as("a key deleted and written again: same number, new creation time").hasValue(2);
  }

  @Test
  void shouldForgetWhatTheLastComparisonDidNotSeeAndKeepNoMoreThanItsLimit() {
    VersionDigests digests = new VersionDigests(1);
    digests.of(version(1, CREATED), this::read);
    digests.of(version(2, CREATED), this::read);
    digests.comparisonDone();
    assertThat(digests.kept()).isEqualTo(1);

    digests.comparisonDone(); // a comparison that saw neither
    digests.of(version(1, CREATED), this::read);

    assertThat(reads).hasValue(3);
  }

  @Test
  void shouldKeepNeitherAVersionThatCouldNotBeReadNorOneWithoutACreationTime() {
    VersionDigests digests = new VersionDigests(10);

    assertThat(digests.of(version(1, CREATED), () -> null)).isNull();
    digests.of(version(2, null), this::read);
    digests.comparisonDone();

    assertThat(digests.kept()).isZero();
  }

  /**
   * The standby's key is deleted and written again with other data after a clean comparison that
   * kept its digest: the version has the same number, so only its creation time tells, and the
   * next comparison must still find it.
   */
  @Test
  void shouldFindDataChangedOnTheStandbyAfterACleanComparisonThatKeptItsDigest() {
    try (TestVault primary = new TestVault(VaultEmulator.start());
        TestVault standby = new TestVault(VaultEmulator.start())) {
      primary.write("app/db", "{\"password\":\"one\"}");
      standby.write("app/db", "{\"password\":\"one\"}");
      VersionDigests digests = new VersionDigests(100);
      assertThat(Verifier.compare(gateway(primary), gateway(standby), List.of("secret"), digests).differences())
          .isEmpty();

      standby.call("DELETE", "secret/metadata/app/db", null);
      standby.write("app/db", "{\"password\":\"two\"}");

      assertThat(Verifier.compare(gateway(primary), gateway(standby), List.of("secret"), digests).differences())
          .singleElement().asString().startsWith("secret/app/db v1: differs");
    }
  }

  private static VaultGateway gateway(TestVault vault) {
    return new VaultGateway(URI.create(vault.address()), vault::rootToken, Duration.ofSeconds(5));
  }
}
