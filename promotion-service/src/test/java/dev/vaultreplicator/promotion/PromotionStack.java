package dev.vaultreplicator.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.apply.ApplyConfig;
import dev.vaultreplicator.apply.TestApply;
import dev.vaultreplicator.capture.Capture;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.metrics.MetricsServer;
import dev.vaultreplicator.seal.Keyring;
import dev.vaultreplicator.testing.TestCapture;
import dev.vaultreplicator.testing.TestVault;
import dev.vaultreplicator.testing.VaultKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real stack the promotion ITs run on: a primary (east) with capture, standbys with apply,
 * and promotion services with a token file of three callers. Closes everything it started.
 */
final class PromotionStack implements AutoCloseable {

  static final String VIEWER = "viewer-token";
  static final String OPERATOR = "operator-token";
  static final String BREAKGLASS = "breakglass-token";
  static final Duration WAIT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  final TestVault primary;
  final Capture capture;
  final PrometheusMeterRegistry captureMetrics = MetricsServer.newRegistry();
  /** Each apply's meters, as Prometheus would scrape them. */
  final Map<String, PrometheusMeterRegistry> applyMetrics = new HashMap<>();
  private final String bootstrapServers;
  private final Path workDir;
  private final Keyring keyring = Keyring.generate("it-key");
  private final String prefix = "promotion-it-" + System.nanoTime();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> running = new ArrayList<>();
  private final Map<String, TestVault> standbys = new HashMap<>();
  private final Path tokenFile;

  private final VaultKind vaultKind;
  /** Each component's token holds exactly its policy from infra/deploy/vault-policies, not root. */
  private final boolean leastPrivilege;
  private final Map<TestVault, String> promotionTokens = new HashMap<>();

  PromotionStack(String bootstrapServers, Path workDir, VaultKind vaultKind) throws Exception {
    this(bootstrapServers, workDir, vaultKind, false);
  }

  PromotionStack(String bootstrapServers, Path workDir, VaultKind vaultKind, boolean leastPrivilege) throws Exception {
    this.bootstrapServers = bootstrapServers;
    this.workDir = workDir;
    this.vaultKind = vaultKind;
    this.leastPrivilege = leastPrivilege;
    this.tokenFile = tokenFile(workDir);
    primary = started(withPolicies(vaultKind.start()));
    Map<String, String> captureSettings = TestCapture.settings(bootstrapServers, prefix, primary);
    captureSettings.put(CaptureConfig.VAULT_TOKEN, token(primary, "capture"));
    capture = started(TestCapture.start(captureSettings, primary, keyring, captureMetrics));
  }

  /** A shipped policy's rules: infra/deploy/vault-policies/{@code name}.hcl. */
  static String shippedPolicy(String name) throws IOException {
    return Files.readString(Path.of("..", "infra", "deploy", "vault-policies", name + ".hcl"));
  }

  /** Root, or a token with only the component's shipped policy. */
  private String token(TestVault vault, String component) {
    return leastPrivilege ? vault.createToken(component) : vault.rootToken();
  }

  private TestVault withPolicies(TestVault vault) {
    if (leastPrivilege) {
      for (String component : List.of("capture", "apply", "promotion")) {
        try {
          vault.call("PUT", "sys/policies/acl/" + component, JSON.writeValueAsString(Map.of("policy",
              shippedPolicy(component))));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return vault;
  }

  /** The primary region goes dark: its capture and its Vault stop. */
  void killPrimary() throws Exception {
    capture.close();
    primary.kill();
  }

  /** The region's standby, started on first use. */
  TestVault standby(String region) {
    return standbys.computeIfAbsent(region, r -> started(withPolicies(vaultKind.start())));
  }

  /** The region's Vault: the primary for east, a standby for any other. */
  TestVault vault(String region) {
    return region.equals("east") ? primary : standby(region);
  }

  Apply startApply(String region) throws Exception {
    return startApply(region, Map.of());
  }

  /** Apply for the region, with these settings over the stack's (e.g. another token); waits until it runs. */
  Apply startApply(String region, Map<String, String> overrides) throws Exception {
    PrometheusMeterRegistry registry = applyMetrics.computeIfAbsent(region, r -> MetricsServer.newRegistry());
    Map<String, String> settings = TestApply.settings(bootstrapServers, prefix, region, vault(region),
        workDir.resolve("state-" + region));
    settings.put(ApplyConfig.VAULT_TOKEN, token(vault(region), "apply"));
    settings.putAll(overrides);
    return started(TestApply.start(settings, keyring, registry));
  }

  /** Capture for a region other than east, idle until an epoch names it: the mirror image, for failback. */
  Capture startCapture(String region) throws Exception {
    Map<String, String> settings = TestCapture.settings(bootstrapServers, prefix, vault(region));
    settings.put(CaptureConfig.REGION, region);
    settings.put(CaptureConfig.EPOCH_BOOTSTRAP, "false");
    return started(TestCapture.start(settings, vault(region), keyring, new SimpleMeterRegistry()));
  }

  /** @param overrides settings beyond the stack's: regions west (unless given), port 0, max lag 2s */
  PromotionService startService(Map<String, String> overrides) {
    return started(PromotionService.start(PromotionConfig.from(serviceSettings(overrides)), MetricsServer.newRegistry()));
  }

  /** As {@link #startService}, with no Vault of {@code region} configured: the service cannot reach it. */
  PromotionService startServiceWithoutVaultOf(String region, Map<String, String> overrides) {
    Map<String, String> settings = serviceSettings(overrides);
    settings.keySet().removeIf(key -> key.startsWith("vault." + region + "."));
    return started(PromotionService.start(PromotionConfig.from(settings), MetricsServer.newRegistry()));
  }

  private Map<String, String> serviceSettings(Map<String, String> overrides) {
    Map<String, String> settings = new HashMap<>(Map.of(
        PromotionConfig.REGIONS, "west",
        PromotionConfig.BOOTSTRAP_SERVERS, bootstrapServers,
        PromotionConfig.TOPIC_PREFIX, prefix,
        PromotionConfig.HTTP_PORT, "0",
        PromotionConfig.MAX_LAG, "2s",
        PromotionConfig.TOKEN_FILE, tokenFile.toString(),
        PromotionConfig.INSPECT_INTERVAL, "500ms"));
    vault(settings, "east", primary);
    standbys.forEach((region, standby) -> vault(settings, region, standby));
    if (leastPrivilege) {
      settings.put("vault.east.token", promotionTokens.computeIfAbsent(primary, v -> v.createToken("promotion")));
      standbys.forEach((region, standby) -> settings.put("vault." + region + ".token",
          promotionTokens.computeIfAbsent(standby, v -> v.createToken("promotion"))));
    }
    settings.putAll(overrides);
    return settings;
  }

  private static void vault(Map<String, String> settings, String region, TestVault vault) {
    settings.put("vault." + region + ".address", vault.address());
    settings.put("vault." + region + ".token", vault.rootToken());
  }

  /** Waits until every readiness check of the region lets a promotion through. */
  void awaitFit(PromotionService service, String region) {
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode readiness = json(get(service, "/v1/readiness/" + region, VIEWER));
      assertThat(readiness.path("fit").asBoolean()).as(readiness.toString()).isTrue();
    });
  }

  String prefix() {
    return prefix;
  }

  HttpResponse<String> get(PromotionService service, String path, String token) throws Exception {
    return send(service, HttpRequest.newBuilder(uri(service, path)).GET(), token);
  }

  HttpResponse<String> post(PromotionService service, String path, String json, String token) throws Exception {
    return send(service, HttpRequest.newBuilder(uri(service, path))
        .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json"), token);
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  JsonNode regionStatus(PromotionService service, String region) throws Exception {
    for (JsonNode each : json(get(service, "/v1/status", VIEWER)).path("regions")) {
      if (each.path("region").asText().equals(region)) {
        return each;
      }
    }
    throw new AssertionError("no region " + region + " in /v1/status");
  }

  /** Waits until {@code /health/standby/{region}} answers {@code status} with the replication-lag check at {@code check}. */
  JsonNode awaitStandby(PromotionService service, String region, int status, String check) {
    return await().atMost(WAIT).until(() -> {
      HttpResponse<String> response = get(service, "/health/standby/" + region, null);
      JsonNode body = json(response);
      return response.statusCode() == status && body.at("/checks/0/status").asText().equals(check) ? body : null;
    }, body -> body != null);
  }

  private HttpResponse<String> send(PromotionService service, HttpRequest.Builder request, String token)
      throws Exception {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(PromotionService service, String path) {
    return URI.create("http://127.0.0.1:" + service.port() + path);
  }

  private static Path tokenFile(Path dir) throws IOException {
    Path file = dir.resolve("tokens");
    Files.writeString(file, String.join("\n",
        "# name role sha256",
        "vic viewer " + Sha256.hex(VIEWER),
        "olga operator " + Sha256.hex(OPERATOR),
        "bree breakglass " + Sha256.hex(BREAKGLASS), ""));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private <T extends AutoCloseable> T started(T component) {
    running.add(0, component);
    return component;
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable each : running) {
      each.close();
    }
  }
}
