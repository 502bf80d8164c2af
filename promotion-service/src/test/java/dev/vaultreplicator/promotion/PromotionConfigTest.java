package dev.vaultreplicator.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.testkit.tls.TestCertificates;
import dev.vaultreplicator.vault.VaultLogin;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionConfigTest {

  @TempDir
  Path directory;

  @Test
  void shouldTakeEachRegionsVaultConnectionSettingsApart() {
    PromotionConfig config = PromotionConfig.from(settings(Map.of(
        "vault.west.address", "http://127.0.0.1:8201", "vault.west.token", "t-west", "vault.west.namespace", "team-a",
        "vault.east.address", "http://127.0.0.1:8200", "vault.east.token", "t-east")));

    assertThat(config.vaults.get("west").connection().namespace()).isEqualTo("team-a");
    assertThat(config.vaults.get("east").connection().namespace()).isEmpty();
    assertThat(config.vaults.get("west").login()).isEqualTo(new VaultLogin.Token("t-west"));
  }

  @Test
  void shouldKnowEveryConnectionSettingOfARegionAndNoOther() {
    assertThat(PromotionConfig.isKnownKey("vault.west.tls.ca.file")).isTrue();
    assertThat(PromotionConfig.isKnownKey("vault.west.tls.server.name")).isTrue();
    assertThat(PromotionConfig.isKnownKey("vault.west.namespace")).isTrue();
    assertThat(PromotionConfig.isKnownKey("vault.west.tls.ca")).isFalse();
    assertThat(PromotionConfig.isKnownKey("vault.West.namespace")).isFalse();
  }

  @Test
  void shouldNameTheRegionsKeyWhenItsTlsSettingsDoNotFitItsAddress() {
    assertThatThrownBy(() -> PromotionConfig.from(settings(Map.of("vault.west.address", "http://127.0.0.1:8201",
        "vault.west.token", "t", "vault.west.tls.server.name", "vault.example.test"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vault.west.tls.server.name").hasMessageContaining("vault.west.address");
  }

  @Test
  void shouldRefuseToServeTokensInClearOffLoopback() {
    assertThatThrownBy(() -> PromotionConfig.from(settings(Map.of("http.host", "0.0.0.0"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.host")
        .hasMessageContaining("http.tls.cert.file");
    assertThat(PromotionConfig.from(settings(Map.of())).httpTls).as("loopback by default, plain").isNull();
    assertThat(PromotionConfig.from(settings(Map.of("http.host", "localhost"))).httpTls).isNull();
  }

  @Test
  void shouldListenWithTlsFromPemFilesOrAKeyStore() throws Exception {
    TestCertificates.Issued pem = TestCertificates.authority(directory, "ops").server("promotion", "127.0.0.1");
    Path keyStore = directory.resolve("promotion.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "s3cret-pass",
        "-keyalg", "EC", "-dname", "CN=promotion", "-alias", "promotion").redirectErrorStream(true).start();
    assertThat(keytool.waitFor()).isZero();

    assertThat(PromotionConfig.from(settings(Map.of("http.host", "0.0.0.0", "http.tls.cert.file",
        pem.certificate().toString(), "http.tls.key.file", pem.privateKey().toString()))).httpTls).isNotNull();
    assertThat(PromotionConfig.from(settings(Map.of("http.host", "0.0.0.0", "http.tls.keystore.file",
        keyStore.toString(), "http.tls.keystore.password", "s3cret-pass"))).httpTls).isNotNull();
    assertThatThrownBy(() -> PromotionConfig.from(settings(Map.of("http.tls.keystore.file", keyStore.toString(),
        "http.tls.keystore.password", "wrong-pass"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.tls.keystore.file")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-pass"));
    assertThatThrownBy(() -> PromotionConfig.from(settings(Map.of("http.tls.cert.file",
        pem.certificate().toString())))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("Missing http.tls.key.file");
  }

  private static Map<String, String> settings(Map<String, String> vaults) {
    Map<String, String> values = new HashMap<>(vaults);
    values.put("regions", "west");
    values.put("auth.token.file", "/nonexistent/tokens");
    return values;
  }
}
