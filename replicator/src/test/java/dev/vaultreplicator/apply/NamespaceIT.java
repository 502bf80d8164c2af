package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testing.OnBroker;
import dev.vaultreplicator.testing.TestCapture;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testing.VaultKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the pipeline in a namespace, end to end on real OpenBao. Capture and apply both run
 * with {@code vault.namespace=team-a}; the root namespace of each server has a {@code secret/}
 * mount of its own, with the same paths, which must be neither read nor written.
 */
class NamespaceIT extends OnBroker {

  private static final String NAMESPACE = "team-a";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path workDir;

  private final Keyring keyring = Keyring.generate("it-key");
  private final SimpleMeterRegistry captureMetrics = new SimpleMeterRegistry();
  private TestVault primary;
  private TestVault standby;
  private Capture capture;
  private Apply apply;

  @AfterEach
  void stopAll() {
    if (apply != null) {
      apply.close();
    }
    if (capture != null) {
      capture.close();
    }
    for (TestVault vault : java.util.Arrays.asList(primary, standby)) {
      if (vault != null) {
        vault.close();
      }
    }
  }

  @Test
  void shouldReplicateTheConfiguredNamespaceAloneAndVouchForItWithHeartbeats() throws Exception {
    primary = VaultKind.OPENBAO.start();
    standby = VaultKind.OPENBAO.start();
    for (TestVault vault : List.of(primary, standby)) {
      vault.call("POST", "sys/namespaces/" + NAMESPACE, null);
      vault.inNamespace(NAMESPACE).call("POST", "sys/mounts/secret", "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
    }
    TestVault teamAPrimary = primary.inNamespace(NAMESPACE);
    TestVault teamAStandby = standby.inNamespace(NAMESPACE);
    String prefix = "ns-it-" + System.nanoTime();

    Map<String, String> captureSettings = TestCapture.settings(kafka.bootstrapServers(), prefix, primary);
    captureSettings.put("vault.namespace", NAMESPACE);
    capture = TestCapture.start(captureSettings, primary, keyring, captureMetrics);
    Map<String, String> applySettings = TestApply.settings(kafka.bootstrapServers(), prefix, "west", standby,
        workDir.resolve("state"));
    applySettings.put("vault.namespace", NAMESPACE);
    apply = TestApply.start(applySettings, keyring, new SimpleMeterRegistry());

    teamAPrimary.write("app/db", "{\"owner\":\"team-a\"}");
    primary.write("app/db", "{\"owner\":\"root\"}");
    teamAPrimary.write("app/db", "{\"owner\":\"team-a\",\"rev\":\"2\"}");
    teamAPrimary.call("PUT", "sys/policies/acl/app-read", policy("secret/data/app/*"));
    primary.call("PUT", "sys/policies/acl/app-read", policy("secret/data/root-app/*"));
    Instant written = Instant.now();

    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode metadata = teamAStandby.read("secret/metadata/app/db");
      assertThat(metadata).isNotNull();
      assertThat(metadata.path("current_version").asLong()).isEqualTo(2);
    });
    assertThat(teamAStandby.read("secret/data/app/db").path("data").path("rev").asText()).isEqualTo("2");
    // Capture's probe is made in the namespace too: its line must come, or captured_through stays put.
    await().atMost(WAIT).until(() -> capture.capturedThrough().filter(through -> through.isAfter(written)).isPresent());
    await().atMost(WAIT).until(() -> teamAStandby.read("sys/policies/acl/app-read") != null);
    assertThat(teamAStandby.read("sys/policies/acl/app-read").path("policy").asText()).contains("secret/data/app/*");
    assertThat(standby.read("secret/metadata/app/db")).as("the standby's root namespace is not written").isNull();
    assertThat(standby.read("sys/policies/acl/app-read")).as("nor are its policies").isNull();
    assertThat(otherNamespaceLines()).as("the root namespace's write was heard and left alone").isPositive();
  }

  private static String policy(String path) {
    return "{\"policy\":\"path \\\"" + path + "\\\" { capabilities = [\\\"read\\\"] }\"}";
  }

  private double otherNamespaceLines() {
    Counter skipped = captureMetrics.find("vault.capture.audit.lines.skipped").tag("reason", "other-namespace")
        .counter();
    return skipped == null ? 0 : skipped.count();
  }
}
