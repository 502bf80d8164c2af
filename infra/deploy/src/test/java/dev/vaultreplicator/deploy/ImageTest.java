package dev.vaultreplicator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image, as far as it can be checked without a Docker engine (none runs on the build
 * machines): the Dockerfile copies what the Maven build makes, runs as no root on a JRE with a
 * health check, and its entry point starts each component's command from the jars laid out as
 * the image lays them out.
 */
class ImageTest {

  private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path ENTRY_POINT = Path.of("docker", "vault-replicator");
  private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");

  @Test
  void theDockerfileCopiesWhatTheBuildMakesAndRunsAsNoRootWithAHealthCheck() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE);
    List<String> sources = new ArrayList<>();
    Matcher copy = Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) \\S+$").matcher(dockerfile);
    while (copy.find()) {
      sources.add(copy.group(1).replace("${VERSION}", VERSION));
    }

    assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:17-jre$");
    assertThat(dockerfile).containsPattern("(?m)^ARG VERSION=" + Pattern.quote(VERSION) + "$");
    assertThat(dockerfile).containsPattern("(?m)^USER 10001:10001$");
    assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK .* CMD \\[\"vault-replicator\", \"health\"\\]$");
    assertThat(sources).hasSize(5);
    assertThat(sources).allSatisfy(source -> assertThat(ROOT.resolve(source)).as(source).exists());
  }

  @Test
  void theEntryPointStartsEachComponentsCommand(@TempDir Path home) throws Exception {
    layOut(home, "replicator");
    layOut(home, "promotion-service");

    Run capture = run(home, "capture", "--help");
    Run promotion = run(home, "promotion", "--help");
    Run unknown = run(home, "replicate");

    assertThat(capture.code()).as(capture.output()).isZero();
    assertThat(capture.output()).contains("vault.auth.method", "audit.listen.host");
    assertThat(promotion.code()).as(promotion.output()).isZero();
    assertThat(promotion.output()).contains("http.tls.cert.file");
    assertThat(unknown.code()).isEqualTo(64);
    assertThat(unknown.output()).contains("usage: vault-replicator capture|apply|verify|promotion");
  }

  /** As the Dockerfile copies them: {@code <module>/<module>.jar} with its {@code lib/} beside it. */
  private static void layOut(Path home, String module) throws IOException {
    Path dir = Files.createDirectories(home.resolve(module));
    Files.createSymbolicLink(dir.resolve(module + ".jar"),
        ROOT.resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar"));
    Files.createSymbolicLink(dir.resolve("lib"), ROOT.resolve(module).resolve("target").resolve("lib"));
  }

  private record Run(int code, String output) {}

  private static Run run(Path home, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", ENTRY_POINT.toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.put("VAULT_REPLICATOR_HOME", home.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }
}
