package dev.vaultreplicator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.testkit.tls.TestCertificates;
import dev.vaultreplicator.vault.VaultConnection;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultSettingsTest {

  private static final URI HTTPS = URI.create("https://vault.example.test:8200");

  @TempDir
  Path directory;

  @Test
  void shouldConnectInTheRootNamespaceWithTheJvmsTrustWhenNothingIsSet() {
    VaultConnection connection = connect(HTTPS, Map.of());

    assertThat(connection.namespace()).isEmpty();
    assertThat(connection.tls()).isNull();
    assertThat(connection.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldTakeANamespacePathWithoutItsOuterSlashesAndRefuseOneWithSpaces() {
    assertThat(connect(HTTPS, Map.of("namespace", "/team-a/prod/")).namespace()).isEqualTo("team-a/prod");

    assertThatThrownBy(() -> connect(HTTPS, Map.of("namespace", "team a")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vault.west.namespace");
  }

  @Test
  void shouldBuildTheTlsContextFromACaBundleAClientCertificateAndAServerName() {
    TestCertificates ca = TestCertificates.authority(directory, "ops");
    TestCertificates.Issued client = ca.client("replicator", "replicator");

    VaultConnection connection = connect(HTTPS, Map.of("tls.ca.file", ca.caFile().toString(),
        "tls.cert.file", client.certificate().toString(), "tls.key.file", client.privateKey().toString(),
        "tls.server.name", "vault.internal.example.test"));

    assertThat(connection.tls()).isNotNull();
  }

  @Test
  void shouldRefuseTlsSettingsForAPlainHttpAddress() {
    TestCertificates ca = TestCertificates.authority(directory, "ops");

    assertThatThrownBy(() -> connect(URI.create("http://127.0.0.1:8200"), Map.of("tls.ca.file", ca.caFile().toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vault.west.tls.ca.file").hasMessageContaining("vault.west.address")
        .hasMessageContaining("https://");
  }

  @Test
  void shouldNameTheKeyOfAMissingOrUnreadableCaFile() throws IOException {
    assertThatThrownBy(() -> connect(HTTPS, Map.of("tls.ca.file", directory.resolve("absent.pem").toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vault.west.tls.ca.file")
        .hasMessageContaining("no readable file");
    Path notPem = Files.writeString(directory.resolve("ca.pem"), "not a certificate\n");
    assertThatThrownBy(() -> connect(HTTPS, Map.of("tls.ca.file", notPem.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vault.west.tls.ca.file")
        .hasMessageContaining("not a PEM bundle");
  }

  @Test
  void shouldAskForBothHalvesOfAClientCertificate() {
    TestCertificates.Issued client = TestCertificates.authority(directory, "ops").client("replicator", "replicator");

    assertThatThrownBy(() -> connect(HTTPS, Map.of("tls.cert.file", client.certificate().toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("Missing vault.west.tls.key.file");
    assertThatThrownBy(() -> connect(HTTPS, Map.of("tls.key.file", client.privateKey().toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("Missing vault.west.tls.cert.file");
  }

  @Test
  void shouldNeverQuoteAnUnreadableKeyFileInItsError() throws IOException {
    TestCertificates.Issued client = TestCertificates.authority(directory, "ops").client("replicator", "replicator");
    Path key = Files.writeString(directory.resolve("broken-key.pem"),
        "-----BEGIN PRIVATE KEY-----\nS3CRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> connect(HTTPS, Map.of("tls.cert.file", client.certificate().toString(),
        "tls.key.file", key.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vault.west.tls.key.file")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("S3CRET"));
  }

  @Test
  void shouldRefuseAServerNameThatIsNoDnsName() {
    assertThatThrownBy(() -> connect(HTTPS, Map.of("tls.server.name", "vault example")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vault.west.tls.server.name");
  }

  private static VaultConnection connect(URI address, Map<String, String> settings) {
    return VaultSettings.connection(address, Duration.ofSeconds(5), new HashMap<>(settings)::get, "vault.west.");
  }
}
