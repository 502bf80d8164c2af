package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ApplyConfigTest {

  @Test
  void shouldTakeDefaultsAndNameTopicsAndApplicationIdAfterTheRegion() {
    ApplyConfig config = ApplyConfig.from(Map.of("region", "west", "vault.token", "t"));

    assertThat(config.applicationId()).isEqualTo("vr-apply-west");
    assertThat(config.topics()).isEqualTo(new ApplyTopics("vr.changes", "vr.control", "vr.applied.west", "vr.dlq.west"));
    assertThat(config.poisonPolicy).isEqualTo(PoisonPolicy.DLQ);
    assertThat(config.remap).isSameAs(PathRemap.NONE);
  }

  @Test
  void shouldRefuseBadValuesNamingTheKeyAndNeverPrintTheToken() {
    Map<String, String> values = new HashMap<>(Map.of("region", "west", "vault.token", "s.secret-token-value"));
    values.put("poison.policy", "ignore");
    assertThatThrownBy(() -> ApplyConfig.from(values)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("poison.policy").hasMessageNotContaining("s.secret-token-value");

    values.put("poison.policy", "stop");
    values.put("path.remap", "secret/a=secret/b");
    assertThatThrownBy(() -> ApplyConfig.from(values)).hasMessageContaining("path.remap");

    assertThatThrownBy(() -> ApplyConfig.from(Map.of("region", "West!", "vault.token", "t")))
        .hasMessageContaining("region");
    assertThatThrownBy(() -> ApplyConfig.from(Map.of("region", "west"))).hasMessageContaining("vault.token");
  }
}
