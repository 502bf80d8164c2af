package dev.vaultreplicator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules under prometheus/, held to Prometheus's own tool: they parse, and each alert's
 * promtool unit test passes (it fires on the series that should raise it and not on its
 * neighbour). Without promtool (Debian's prometheus package, which .ci/run installs; or PROMTOOL
 * naming one) the tests are skipped with that reason.
 */
class AlertRulesTest {

  private static final Path RULES_DIR = Path.of("prometheus");
  private static final Path RULES = RULES_DIR.resolve("vault-replicator-rules.yml");
  private static final Path PROMTOOL = Path.of(System.getenv().getOrDefault("PROMTOOL", "/usr/bin/promtool"));

  @Test
  void rulesParse() throws Exception {
    assertThat(promtool("check", "rules", RULES.getFileName().toString())).contains("SUCCESS");
  }

  @Test
  void everyAlertPassesItsUnitTest() throws Exception {
    assertThat(promtool("test", "rules", "rules-test.yml")).contains("SUCCESS");
  }

  @Test
  void everyAlertHasAUnitTest() throws IOException {
    List<String> alerts = matches(Pattern.compile("(?m)^\\s+- alert: (\\w+)"), Files.readString(RULES));
    String tests = Files.readString(RULES_DIR.resolve("rules-test.yml"));
    assertThat(alerts).isNotEmpty();
    assertThat(matches(Pattern.compile("(?m)^\\s+alertname: (\\w+)"), tests)).containsAll(alerts);
  }

  private static String promtool(String... arguments) throws Exception {
    assumeTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " is missing: the alert rules' tests need Debian's "
        + "prometheus package (apt-get install prometheus, as .ci/run does), or PROMTOOL naming a promtool");
    List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(RULES_DIR.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(process.exitValue()).as("promtool " + String.join(" ", arguments) + ":\n" + output).isZero();
    return output;
  }

  private static List<String> matches(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
