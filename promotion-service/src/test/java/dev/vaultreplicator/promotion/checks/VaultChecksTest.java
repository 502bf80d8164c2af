package dev.vaultreplicator.promotion.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import dev.vaultreplicator.promotion.inspect.CertificateScanner;
import dev.vaultreplicator.promotion.inspect.Replication;
import dev.vaultreplicator.promotion.inspect.StandbyInspector;
import dev.vaultreplicator.promotion.lag.RegionLag;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import dev.vaultreplicator.vault.VaultGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks that ask a Vault, against the emulator over HTTP: each verdict, and each reason. */
class VaultChecksTest {

  @TempDir
  Path dir;

  private VaultEmulator primaryEmulator;
  private VaultEmulator standbyEmulator;
  private TestVault primary;
  private TestVault standby;
  private Map<String, VaultGateway> vaults;

  @BeforeEach
  void startVaults() {
    primaryEmulator = VaultEmulator.start();
    standbyEmulator = VaultEmulator.start();
    primary = new TestVault(primaryEmulator);
    standby = new TestVault(standbyEmulator);
    vaults = Map.of("east", gateway(primary, primary.rootToken()), "west", gateway(standby, standby.rootToken()));
  }

  @AfterEach
  void stopVaults() {
    primaryEmulator.close();
    standbyEmulator.close();
  }

  @Test
  void shouldPassAnActiveStandbyAndFailASealedOrUnreachableOne() {
    StandbyHealthCheck check = new StandbyHealthCheck(vaults);

    assertThat(check.evaluate("west").status()).isEqualTo(Status.PASS);
    assertThat(check.evaluate("north").status()).isEqualTo(Status.UNKNOWN);
    standby.call("PUT", "sys/seal", null);
    assertThat(check.evaluate("west").reason()).contains("is sealed");
    assertThat(check.evaluate("west").status()).isEqualTo(Status.FAIL);
    standbyEmulator.close();
    assertThat(check.evaluate("west").reason()).contains("cannot be reached");
  }

  @Test
  void shouldJudgeTheRegionsTokenByWhatIsLeftOfIt() throws Exception {
    Map<String, VaultGateway> withToken = Map.of("west", gateway(standby, standby.createToken("default")));

    assertThat(new StandbyCredentialCheck(vaults, Duration.ofHours(1)).evaluate("west").reason())
        .isEqualTo("the token does not expire");
    CheckResult shortLived = new StandbyCredentialCheck(withToken, Duration.ofHours(1)).evaluate("west");
    assertThat(shortLived.status()).isEqualTo(Status.FAIL);
    assertThat(shortLived.reason()).contains("under the floor of 3600s");
    assertThat(new StandbyCredentialCheck(withToken, Duration.ofMinutes(10)).evaluate("west").status())
        .isEqualTo(Status.PASS);
    CheckResult refused = new StandbyCredentialCheck(Map.of("west", gateway(standby, "no-such-token")),
        Duration.ofMinutes(10)).evaluate("west");
    assertThat(refused.status()).isEqualTo(Status.FAIL);
    assertThat(refused.reason()).contains("refuses the token");
    CheckResult notRenewable = new StandbyCredentialCheck(Map.of("west", gateway(standby,
        token("{\"policies\":[\"default\"],\"ttl\":\"2h\",\"renewable\":false}"))), Duration.ofMinutes(10))
        .evaluate("west");
    assertThat(notRenewable.status()).isEqualTo(Status.WARN);
    assertThat(notRenewable.reason()).contains("cannot be renewed");
    standbyEmulator.close();
    assertThat(new StandbyCredentialCheck(vaults, Duration.ofMinutes(10)).evaluate("west").status())
        .isEqualTo(Status.UNKNOWN);
  }

  @Test
  void shouldFindPoliciesTheStandbyHoldsDifferentlyFromTheReplicatedOnes() throws Exception {
    String rules = "path \"secret/data/app/*\" { capabilities = [\"read\"] }";
    standby.call("PUT", "sys/policies/acl/app-read", "{\"policy\":" + json(rules) + "}");
    standby.call("PUT", "sys/policies/acl/gone", "{\"policy\":" + json(rules) + "}");
    PolicySyncCheck check = new PolicySyncCheck(vaults, () -> Map.of(
        "app-read", Optional.of(Sha256.hex(rules)),
        "ops", Optional.of(Sha256.hex(rules)),
        "gone", Optional.empty()));

    CheckResult result = check.evaluate("west");

    assertThat(result.status()).isEqualTo(Status.FAIL);
    assertThat(result.reason()).contains("2 of 3", "ops (missing)", "gone (deleted on the primary)")
        .doesNotContain("app-read");
    assertThat(new PolicySyncCheck(vaults, Map::of).evaluate("west").status()).isEqualTo(Status.UNKNOWN);
    CheckResult matching = new PolicySyncCheck(vaults, () -> Map.of("app-read", Optional.of(Sha256.hex(rules)),
        "never-there", Optional.empty())).evaluate("west");
    assertThat(matching.status()).isEqualTo(Status.PASS);
    assertThat(matching.reason()).isEqualTo("the 2 replicated policies match");
  }

  @Test
  void shouldFailDriftTheComparisonFoundAndLetTheLastCleanOneStandWhileThePrimaryIsDown() {
    primary.write("app/db", "{\"password\":\"one\"}");
    standby.write("app/db", "{\"password\":\"other\"}");
    StandbyInspector inspector = inspector(Clock.systemUTC());
    DriftCheck check = new DriftCheck(inspector, Duration.ofMinutes(15), Duration.ZERO, Clock.systemUTC());
    assertThat(check.evaluate("west").status()).isEqualTo(Status.UNKNOWN);

    inspector.inspectNow("west");
    CheckResult drifted = check.evaluate("west");

    assertThat(drifted.status()).isEqualTo(Status.FAIL);
    assertThat(drifted.reason()).contains("secret/app/db v1: differs").doesNotContain("one", "other");

    standby.call("DELETE", "secret/metadata/app/db", null);
    standby.write("app/db", "{\"password\":\"one\"}");
    inspector.inspectNow("west");
    primaryEmulator.close();
    inspector.inspectNow("west");
    Clock anHourLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

    assertThat(check.evaluate("west").status()).isEqualTo(Status.PASS);
    CheckResult stood = new DriftCheck(inspector, Duration.ofMinutes(15), Duration.ZERO, anHourLater)
        .evaluate("west");
    assertThat(stood.status()).isEqualTo(Status.WARN);
    assertThat(stood.reason()).contains("found no difference", "the primary (east) is unreachable");
  }

  @Test
  void shouldNameACertificateThatExpiresTooSoonButNeverTheSecret() throws Exception {
    String expired = certificate("expired", "-10d", 1);
    String valid = certificate("valid", "-1d", 365);
    standby.write("tls/old", "{\"cert\":" + json(expired) + ",\"key\":\"not-a-certificate\"}");
    standby.write("tls/new", "{\"chain\":[" + json(valid) + "]}");
    StandbyInspector inspector = inspector(Clock.systemUTC());

    inspector.inspectNow("west");
    CheckResult result = new CertificateCheck(inspector, Duration.ofDays(7)).evaluate("west");

    assertThat(result.status()).isEqualTo(Status.FAIL);
    assertThat(result.reason()).contains("1 of 2 certificates", "secret/tls/old: CN=expired expired")
        .doesNotContain("not-a-certificate", "BEGIN");
    assertThat(new CertificateCheck(inspector(Clock.systemUTC()), Duration.ofDays(7)).evaluate("west").status())
        .isEqualTo(Status.UNKNOWN);
    standby.call("DELETE", "secret/metadata/tls/old", null);
    inspector.inspectNow("west");
    CheckResult noneExpiring = new CertificateCheck(inspector, Duration.ofDays(7)).evaluate("west");
    assertThat(noneExpiring.status()).isEqualTo(Status.PASS);
    assertThat(noneExpiring.reason()).isEqualTo("1 certificates, none expiring within 168h");
  }

  /** Of a standby that has applied whatever the primary committed: every difference is drift. */
  private StandbyInspector inspector(Clock clock) {
    return new StandbyInspector(vaults, () -> Optional.of("east"), List.of("west"), List.of("secret"),
        new CertificateScanner(Duration.ofDays(7)), new Replication(region -> new RegionLag(region,
            RegionLag.State.KNOWN, "", Instant.now(), Instant.now().plus(Duration.ofDays(1)), Duration.ZERO, 0,
            Duration.ZERO, "east", 1), Duration.ofSeconds(5)), clock);
  }

  /** A self-signed certificate from the JDK's keytool, starting {@code start} ago, valid {@code days}. */
  private String certificate(String name, String start, int days) throws Exception {
    Path store = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-dname", "CN=" + name, "-startdate", start,
        "-validity", String.valueOf(days), "-keystore", store.toString(), "-storepass", "changeit");
    run(keytool, "-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", "changeit",
        "-file", pem.toString());
    return Files.readString(pem);
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  /** A token made with {@code body} (auth/token/create), as the root token. */
  private String token(String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(standby.address() + "/v1/auth/token/create"))
        .header("X-Vault-Token", standby.rootToken()).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    String reply = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply).at("/auth/client_token").asText();
  }

  private static VaultGateway gateway(TestVault vault, String token) {
    return new VaultGateway(URI.create(vault.address()), () -> token, Duration.ofSeconds(2));
  }

  private static String json(String text) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
  }
}
