package dev.vaultreplicator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

  private static final Set<String> DECLARED = Set.of("kafka.bootstrap.servers", "region");

  @Test
  void passesEveryKafkaSettingWithoutItsPrefixBesideTheClientsOwn() {
    KafkaSettings kafka = KafkaSettings.from("broker:9093", Map.of(
        "kafka.bootstrap.servers", "broker:9093",
        "kafka.security.protocol", "SSL",
        "kafka.ssl.truststore.location", "/etc/kafka/ca.p12",
        "kafka.config.providers", "file",
        "kafka.config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider",
        "region", "east"), DECLARED);

    assertThat(kafka.client(Map.of("acks", "all"))).containsExactlyInAnyOrderEntriesOf(Map.of(
        "bootstrap.servers", "broker:9093",
        "security.protocol", "SSL",
        "ssl.truststore.location", "/etc/kafka/ca.p12",
        "config.providers", "file",
        "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider",
        "acks", "all"));
    assertThat(kafka.passedThrough()).doesNotContain("bootstrap.servers").contains("security.protocol");
  }

  @Test
  void aSecretComesFromAFileThroughKafkasConfigProvider(@TempDir Path dir) throws Exception {
    Path secrets = Files.writeString(dir.resolve("kafka.properties"), "password=from-the-file\n");
    KafkaSettings kafka = KafkaSettings.from("b:9092", Map.of(
        "kafka.config.providers", "file",
        "kafka.config.providers.file.class", FileConfigProvider.class.getName(),
        "kafka.ssl.key.password", "${file:" + secrets + ":password}"), DECLARED);

    ProducerConfig resolved = new ProducerConfig(kafka.client(Map.of(
        "key.serializer", StringSerializer.class, "value.serializer", StringSerializer.class)));

    assertThat(resolved.getPassword("ssl.key.password").value()).isEqualTo("from-the-file");
  }

  @Test
  void refusesATypoNamingTheKeyAndNotTheValue() {
    assertThatThrownBy(() -> KafkaSettings.from("b:9092", Map.of("kafka.ssl.trustore.password", "hunter2"), DECLARED))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.ssl.trustore.password")
        .hasMessageNotContaining("hunter2");
    assertThat(KafkaSettings.isPassthroughKey("kafka.ssl.trustore.password")).isFalse();
    assertThat(KafkaSettings.isPassthroughKey("kafka.sasl.jaas.config")).isTrue();
    assertThat(KafkaSettings.isPassthroughKey("kafka.processing.guarantee")).isTrue();
  }

  @Test
  void refusesASettingTheClientSetsForItsGuarantees() {
    KafkaSettings kafka = KafkaSettings.from("b:9092", Map.of("kafka.acks", "1"), DECLARED);
    assertThat(kafka.client(Map.of("client.id", "x"))).containsEntry("acks", "1");
    assertThatThrownBy(() -> kafka.client(Map.of("acks", "all")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.acks")
        .hasMessageContaining("sets it itself");
  }
}
