package dev.vaultreplicator.seal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretDataTest {

  @Test
  void shouldCompareByContentAndPrintNone() {
    SecretData data = SecretData.ofJson("{\"token\":\"s3cr3t\"}");

    assertThat(data).isEqualTo(SecretData.ofJson("{\"token\":\"s3cr3t\"}".getBytes(StandardCharsets.UTF_8)));
    assertThat(data).isNotEqualTo(SecretData.ofJson("{\"token\":\"s3cr3T\"}"));
    assertThat(data.hashCode()).isEqualTo(SecretData.ofJson("{\"token\":\"other!\"}").hashCode());
    assertThat(data.toString()).isEqualTo("SecretData[redacted, 18 bytes]");
  }

  @Test
  void shouldNotBeChangedThroughTheArraysItWasBuiltFromOrGaveOut() {
    byte[] json = "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8);
    SecretData data = SecretData.ofJson(json);
    json[2] = 'X';
    data.json()[2] = 'Y';

    assertThat(new String(data.json(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"b\"}");
  }
}
