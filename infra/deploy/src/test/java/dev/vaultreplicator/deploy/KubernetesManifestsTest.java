package dev.vaultreplicator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vaultreplicator.apply.ApplyConfig;
import dev.vaultreplicator.capture.CaptureConfig;
import dev.vaultreplicator.config.ConfigSource;
import dev.vaultreplicator.promotion.PromotionConfig;
import dev.vaultreplicator.seal.KeyringLoader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every overlay under k8s/overlays, rendered by Kustomize (kubectl kustomize, or the kustomize
 * binary; .ci/run makes sure one is there) and held to what a platform team expects of it: the
 * project's image at its version, probes on the health endpoints, resources, no root, no secret
 * value in any object, and settings each component knows. Without Kustomize the tests are skipped
 * with that reason.
 */
class KubernetesManifestsTest {

  private static final Path OVERLAYS = Path.of("k8s", "overlays");
  private static final String IMAGE = "vault-replicator:" + System.getProperty("project.version", "0.1.0-SNAPSHOT");
  /** Names of settings whose values are secrets: they may only come from a Secret. */
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(TOKEN|PASSWORD|KEYRING|SECRET)(_FILE)?$");
  private static final YAMLMapper YAML = new YAMLMapper();

  /** A component's command and the settings it knows. */
  private record Component(ConfigDef definition, Predicate<String> fileKeys) {}

  private static final Map<String, Component> COMPONENTS = Map.of(
      "capture", new Component(CaptureConfig.DEFINITION, CaptureConfig::isKnownKey),
      "apply", new Component(ApplyConfig.DEFINITION, ApplyConfig::isKnownKey),
      "promotion", new Component(PromotionConfig.DEFINITION, PromotionConfig::isKnownKey));

  @ParameterizedTest
  @ValueSource(strings = {"east", "west", "promotion"})
  void everyContainerRunsTheProjectsImageAsNoRootWithResources(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    List<JsonNode> deployments = ofKind(objects, "Deployment");

    assertThat(deployments).isNotEmpty();
    for (JsonNode deployment : deployments) {
      JsonNode pod = deployment.at("/spec/template/spec");
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(name(deployment)).isTrue();
      for (JsonNode container : containers(pod, true)) {
        String where = name(deployment) + " " + container.path("name").asText();
        assertThat(container.path("image").asText()).as(where).isEqualTo(IMAGE);
        assertThat(container.at("/resources/requests/cpu").asText()).as(where).isNotEmpty();
        assertThat(container.at("/resources/requests/memory").asText()).as(where).isNotEmpty();
        assertThat(container.at("/resources/limits/memory").asText()).as(where).isNotEmpty();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(where).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).as(where).isFalse();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"east", "west", "promotion"})
  void everyComponentIsProbedOnItsHealthEndpoints(String overlay) throws Exception {
    for (JsonNode deployment : ofKind(render(overlay), "Deployment")) {
      for (JsonNode container : containers(deployment.at("/spec/template/spec"), false)) {
        String where = name(deployment);
        Set<String> ports = StreamSupport.stream(container.path("ports").spliterator(), false)
            .map(port -> port.path("name").asText()).collect(Collectors.toSet());
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).as(where).isEqualTo("/health/live");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).as(where).isEqualTo("/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).as(where).isEqualTo("/health/ready");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
          assertThat(ports).as(where + " " + probe + " port").contains(container.at("/" + probe + "/httpGet/port").asText());
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"east", "west", "promotion"})
  void noObjectHoldsASecretValue(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);

    assertThat(ofKind(objects, "Secret")).as("Secrets are made by the operator, never shipped").isEmpty();
    for (JsonNode deployment : ofKind(objects, "Deployment")) {
      for (JsonNode container : containers(deployment.at("/spec/template/spec"), true)) {
        for (JsonNode env : container.path("env")) {
          if (SECRET_NAME.matcher(env.path("name").asText()).matches()) {
            assertThat(env.has("value")).as(env.path("name").asText() + " given in clear").isFalse();
            assertThat(env.at("/valueFrom/secretKeyRef/name").asText()).isNotEmpty();
          }
        }
      }
    }
    for (JsonNode configMap : ofKind(objects, "ConfigMap")) {
      configMap.path("data").properties().forEach(entry -> {
        if (entry.getKey().endsWith(".properties")) {
          properties(entry.getValue().asText()).forEach((key, value) -> assertThat(
              SECRET_NAME.matcher(key.toString().replace('.', '_')).matches() && !key.toString().endsWith(".file"))
              .as(name(configMap) + ": " + key + " in clear").isFalse());
        } else {
          assertThat(SECRET_NAME.matcher(entry.getKey()).matches() && !entry.getKey().endsWith("_FILE"))
              .as(name(configMap) + ": " + entry.getKey() + " in clear").isFalse();
        }
      });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"east", "west", "promotion"})
  void everySettingIsOneItsComponentKnows(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    for (JsonNode deployment : ofKind(objects, "Deployment")) {
      JsonNode container = deployment.at("/spec/template/spec/containers/0");
      String command = container.at("/args/0").asText();
      Component component = COMPONENTS.get(command);
      assertThat(component).as(name(deployment) + " runs " + command).isNotNull();
      Set<String> variables = component.definition().names().stream().map(ConfigSource::envName)
          .collect(Collectors.toCollection(HashSet::new));
      variables.add(KeyringLoader.ENVIRONMENT_VARIABLE);
      for (JsonNode from : container.path("envFrom")) {
        JsonNode configMap = named(objects, "ConfigMap", from.at("/configMapRef/name").asText());
        configMap.path("data").fieldNames().forEachRemaining(variable ->
            assertThat(variables).as(name(configMap) + " for " + command).contains(variable));
      }
      container.path("env").forEach(env -> assertThat(variables).contains(env.path("name").asText()));
      String configFile = Path.of(container.at("/args/2").asText()).getFileName().toString();
      JsonNode files = ofKind(objects, "ConfigMap").stream().filter(c -> c.path("data").has(configFile)).findFirst()
          .orElseThrow(() -> new AssertionError("no ConfigMap holds " + configFile));
      properties(files.path("data").path(configFile).asText()).keySet().forEach(key ->
          assertThat(component.fileKeys().test(key.toString())).as(configFile + ": " + key).isTrue());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"east", "west"})
  void eachRegionRunsOneCaptureAndApplyThatADrainLeavesRunning(String region) throws Exception {
    List<JsonNode> objects = render(region);
    JsonNode capture = named(objects, "Deployment", "vault-replicator-capture");
    JsonNode apply = named(objects, "Deployment", "vault-replicator-apply");
    JsonNode budget = named(objects, "PodDisruptionBudget", "vault-replicator-apply");

    assertThat(capture.at("/spec/replicas").asInt()).as("a second capture publishes every change twice").isEqualTo(1);
    assertThat(apply.at("/spec/replicas").asInt()).isGreaterThan(budget.at("/spec/minAvailable").asInt());
    assertThat(budget.at("/spec/selector/matchLabels")).isEqualTo(apply.at("/spec/selector/matchLabels"));
    for (JsonNode deployment : List.of(capture, apply)) {
      String env = deployment.at("/spec/template/spec/containers/0/envFrom/0/configMapRef/name").asText();
      assertThat(named(objects, "ConfigMap", env).at("/data/VAULT_REPLICATOR_REGION").asText()).isEqualTo(region);
    }
    assertThat(named(objects, "ConfigMap", capture.at("/spec/template/spec/containers/0/envFrom/0/configMapRef/name")
        .asText()).at("/data/VAULT_REPLICATOR_EPOCH_BOOTSTRAP").asText("false"))
        .as("only the first primary claims epoch 1").isEqualTo(region.equals("east") ? "true" : "false");
  }

  private static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
    List<String> command = kustomize().orElse(null);
    assumeTrue(command != null, "no kubectl or kustomize on PATH (KUBECTL or KUSTOMIZE may name one): .ci/run "
        + "installs kustomize when kubectl is missing");
    command = new ArrayList<>(command);
    command.add(OVERLAYS.resolve(overlay).toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + errors).isZero();
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(output)) {
      documents.forEachRemaining(objects::add);
    }
    return objects;
  }

  /** kubectl's built-in Kustomize, else the kustomize binary. */
  private static Optional<List<String>> kustomize() {
    for (String[] candidate : new String[][] {{"KUBECTL", "kubectl", "kustomize"}, {"KUSTOMIZE", "kustomize", "build"}}) {
      String explicit = System.getenv(candidate[0]);
      Optional<Path> binary = explicit != null && !explicit.isBlank() ? Optional.of(Path.of(explicit))
          : onPath(candidate[1]);
      if (binary.isPresent() && Files.isExecutable(binary.get())) {
        return Optional.of(List.of(binary.get().toString(), candidate[2]));
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> onPath(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.add(System.getProperty("user.home") + "/go/bin");
    return dirs.stream().map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
  }

  private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode named(List<JsonNode> objects, String kind, String name) {
    return ofKind(objects, kind).stream().filter(o -> o.at("/metadata/name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static List<JsonNode> containers(JsonNode pod, boolean withInit) {
    List<JsonNode> containers = new ArrayList<>();
    pod.path("containers").forEach(containers::add);
    if (withInit) {
      pod.path("initContainers").forEach(containers::add);
    }
    return containers;
  }

  private static String name(JsonNode object) {
    return object.path("kind").asText() + " " + object.at("/metadata/name").asText();
  }

  private static Properties properties(String text) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return properties;
  }
}
