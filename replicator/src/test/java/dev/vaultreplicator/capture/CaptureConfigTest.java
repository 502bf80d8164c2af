package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.config.ConfigSource;
import dev.vaultreplicator.vault.VaultLogin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureConfigTest {

  @TempDir
  Path dir;

  @Test
  void shouldStartFromDefaultsGivenARegionAndAToken() {
    CaptureConfig config = CaptureConfig.from(Map.of("region", "east", "vault.token", "t"));

    assertThat(config.heartbeatInterval).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.mounts).containsExactly("secret");
    assertThat(config.changesTopic()).isEqualTo("vr.changes");
    assertThat(config.controlTopic()).isEqualTo("vr.control");
  }

  @Test
  void shouldRefuseInvalidSettingsNamingTheKey() {
    assertRefused(Map.of("vault.token", "t"), "region");
    assertRefused(Map.of("region", "East Coast", "vault.token", "t"), "region");
    assertRefused(Map.of("region", "east"), "vault.token");
    assertRefused(settings("heartbeat.interval", "soon"), "heartbeat.interval");
    assertRefused(settings("heartbeat.interval", "10ms"), "heartbeat.interval");
    assertRefused(settings("scan.guard.ratio", "1.5"), "scan.guard.ratio");
    assertRefused(settings("vault.address", "127.0.0.1:8200"), "vault.address");
    assertRefused(settings("mount.other.include", "a/*"), "mount.other.include");
    assertRefused(settings("mounts", "sys"), "mounts");
  }

  @Test
  void shouldNeverPrintTheTokenInAnError() {
    Map<String, String> values = new HashMap<>(Map.of("region", "east", "vault.token", "hvs.TOPSECRET"));
    values.put("topic.partitions", "many");

    assertThatThrownBy(() -> CaptureConfig.from(values)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("topic.partitions").hasMessageNotContaining("TOPSECRET");
  }

  @Test
  void shouldLetTheEnvironmentOverrideTheFile() throws Exception {
    Path file = dir.resolve("capture.properties");
    Files.writeString(file, "region = east\nvault.token = from-file\nmounts = secret, team/kv/\n");

    Map<String, String> values = ConfigSource.load(file, Map.of("VAULT_REPLICATOR_VAULT_TOKEN", "from-env"),
        CaptureConfig.DEFINITION.names(), CaptureConfig::isKnownKey);
    CaptureConfig config = CaptureConfig.from(values);

    assertThat(config.vaultLogin).isEqualTo(new VaultLogin.Token("from-env"));
    assertThat(config.mounts).containsExactly("secret", "team/kv");
  }

  @Test
  void shouldRefuseAnUnknownKeyInTheFile() throws Exception {
    Path file = dir.resolve("capture.properties");
    Files.writeString(file, "region = east\nheartbeat.intervall = 2s\n");

    assertThatThrownBy(() -> ConfigSource.load(file, Map.of(), CaptureConfig.DEFINITION.names(),
        CaptureConfig::isKnownKey)).isInstanceOf(ConfigException.class).hasMessageContaining("heartbeat.intervall");
  }

  @Test
  void shouldApplyIncludeAndExcludeGlobsPerMount() {
    CaptureConfig config = CaptureConfig.from(settings("mount.secret.include", "apps/**, shared/*",
        "mount.secret.exclude", "apps/*/scratch/**"));
    PathFilter filter = config.mountFilters.get("secret");

    assertThat(List.of("apps/a/db", "shared/x", "apps/a/scratch/tmp", "shared/x/y", "other"))
        .filteredOn(filter::accepts).containsExactly("apps/a/db", "shared/x");
  }

  private static Map<String, String> settings(String... keyValues) {
    Map<String, String> values = new HashMap<>(Map.of("region", "east", "vault.token", "t"));
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
    }
    return values;
  }

  private static void assertRefused(Map<String, String> values, String key) {
    assertThatThrownBy(() -> CaptureConfig.from(values)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }
}
