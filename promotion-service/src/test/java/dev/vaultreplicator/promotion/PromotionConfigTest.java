package dev.vaultreplicator.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.vault.VaultLogin;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class PromotionConfigTest {

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

  private static Map<String, String> settings(Map<String, String> vaults) {
    Map<String, String> values = new HashMap<>(vaults);
    values.put("regions", "west");
    values.put("auth.token.file", "/nonexistent/tokens");
    return values;
  }
}
