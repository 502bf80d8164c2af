package dev.vaultreplicator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.apply.TestApply;
import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testing.TestCapture;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testing.VaultKind;
import dev.vaultreplicator.testkit.kafka.BrokerSettings;
import dev.vaultreplicator.testkit.kafka.KafkaBroker;
import dev.vaultreplicator.testkit.process.FreePorts;
import dev.vaultreplicator.testkit.tls.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: Kafka as production has it. The kafka.* settings reach every Kafka client of capture
 * and apply (producer, consumers, admin, Kafka Streams), shown on a broker whose only listener
 * they are given speaks TLS with a certificate from a test CA, trusted as a PEM file. Kafka's own
 * behaviour, not the Vault's, is under test, so the Vaults are emulators.
 */
class KafkaTlsIT {

  private static Path directory;
  private static TestCertificates ca;
  private static KafkaBroker broker;

  @BeforeAll
  static void startABrokerWithATlsListener() throws Exception {
    directory = Files.createTempDirectory("kafka-tls");
    ca = TestCertificates.authority(directory, "kafka");
    Path keyStore = ca.serverKeyStore("broker", "broker-store-pass", "localhost");
    int[] ports = FreePorts.allocate(3);
    broker = KafkaBroker.start(new BrokerSettings(directory.resolve("broker"), ports[0], ports[1],
        new BrokerSettings.TlsListener(ports[2], keyStore, "broker-store-pass")));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void shouldReplicateThroughABrokerThatSpeaksTlsOnly() throws Exception {
    String prefix = "tls-" + System.nanoTime();
    Keyring keyring = Keyring.generate("tls-key");
    try (TestVault primary = VaultKind.EMULATOR.start(); TestVault standby = VaultKind.EMULATOR.start()) {
      Map<String, String> captureSettings = TestCapture.settings(broker.settings().tlsBootstrapServers(), prefix,
          primary);
      captureSettings.putAll(trustingTheCa());
      Map<String, String> applySettings = TestApply.settings(broker.settings().tlsBootstrapServers(), prefix, "west",
          standby, directory.resolve("state-" + prefix));
      applySettings.putAll(trustingTheCa());
      try (Capture capture = TestCapture.start(captureSettings, primary, keyring, new SimpleMeterRegistry());
          Apply apply = TestApply.start(applySettings, keyring, new SimpleMeterRegistry())) {
        primary.write("app/db", "{\"password\":\"p1\"}");

        TestApply.awaitConverged(primary, standby, List.of("secret"), 0);
        assertThat(standby.read("secret/data/app/db").at("/data/password").asText()).isEqualTo("p1");
      }
    }
  }

  @Test
  void shouldRefuseABrokerWhoseCertificateItsClientsDoNotTrust() throws Exception {
    Map<String, String> settings;
    try (TestVault primary = VaultKind.EMULATOR.start()) {
      settings = TestCapture.settings(broker.settings().tlsBootstrapServers(), "untrusted", primary);
    }
    settings.put("kafka.security.protocol", "SSL");
    CaptureConfig config = CaptureConfig.from(settings);

    try (Admin admin = Admin.create(config.kafka.client(Map.of()))) {
      assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
    }
  }

  /** As docs/capture.md writes it: TLS to the brokers, their authority as a PEM file. */
  private static Map<String, String> trustingTheCa() {
    Map<String, String> tls = new HashMap<>();
    tls.put("kafka.security.protocol", "SSL");
    tls.put("kafka.ssl.truststore.type", "PEM");
    tls.put("kafka.ssl.truststore.location", ca.caFile().toString());
    return tls;
  }
}
