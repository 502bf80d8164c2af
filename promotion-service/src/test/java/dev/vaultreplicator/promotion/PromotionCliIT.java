package dev.vaultreplicator.promotion;

import static dev.vaultreplicator.promotion.PromotionStack.OPERATOR;
import static dev.vaultreplicator.promotion.PromotionStack.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.testing.VaultKind;
import dev.vaultreplicator.testkit.tls.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The on-call commands against a running service: what they print, and the exit codes scripts branch on. */
class PromotionCliIT extends PromotionStackBase {

  /** Once, on OpenBao: nothing here depends on how the Vault behaves, only on the service. */
  @Override
  VaultKind vaultKind() {
    return VaultKind.OPENBAO;
  }

  private record Run(int code, String out, String err) { }

  private String url;

  @Test
  void shouldAnswerInTablesOrJsonAndExitZeroDoneTwoRefusedOneError() throws Exception {
    Apply apply = stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    url = "http://127.0.0.1:" + service.port();
    Path viewer = tokenFile("viewer", VIEWER);
    Path operator = tokenFile("operator", OPERATOR);
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");

    Run status = cli(viewer, "status");
    Run readiness = cli(viewer, "readiness", "west");
    Run readinessJson = cli(viewer, "readiness", "west", "--json");
    Run dryRun = cli(operator, "promote", "west", "--reason", "rehearsal", "--dry-run");
    Run byViewer = cli(viewer, "promote", "west", "--reason", "rehearsal", "--dry-run");
    Run drill = cli(operator, "drill", "west");
    Run audit = cli(viewer, "audit", "--verify");
    Run fenced = cli(viewer, "fenced", "east");

    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("REGION", "NOT PASSING", "west", "KNOWN", "yes");
    assertThat(readiness.code()).isZero();
    assertThat(readiness.out()).startsWith("west: fit to promote").contains("replication-lag", "PASS");
    assertThat(new ObjectMapper().readTree(readinessJson.out()).path("fit").asBoolean()).isTrue();
    assertThat(dryRun.code()).as(dryRun.err()).isZero();
    assertThat(dryRun.out()).startsWith("ALLOWED: dry run: west would be promoted").contains("recorded as ");
    assertThat(byViewer.code()).isEqualTo(2);
    assertThat(byViewer.err()).contains("refused (403)");
    assertThat(drill.code()).isZero();
    assertThat(audit.code()).isZero();
    assertThat(audit.out()).contains("PROMOTION (dry run)", "DRILL", "olga", "the chain verifies");
    assertThat(fenced.code()).isZero();
    assertThat(fenced.out()).contains("KIND", "0 changes, 0 orphaned");

    apply.close();
    stack.primary.write("app/db", "{\"v\":\"2\"}");
    stack.awaitStandby(service, "west", 503, "FAIL");
    Run stale = cli(viewer, "readiness", "west");
    Run refused = cli(operator, "promote", "west", "--reason", "east is down");

    assertThat(stale.code()).isEqualTo(2);
    assertThat(stale.out()).startsWith("west: NOT fit to promote").contains("replication-lag", "FAIL");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.out()).startsWith("REFUSED: west is not fit to promote");
    assertThat(cli(tokenFile("wrong", "no-such-token"), "status").err()).contains("refused the token (401)");
    assertThat(cli(tokenFile("wrong", "no-such-token"), "status").code()).isEqualTo(1);
    Run switchover = cli(operator, "switchover", "west", "--reason", "maintenance", "--timeout", "2s", "--wait");
    assertThat(switchover.code()).as(switchover.err()).isEqualTo(2);
    assertThat(switchover.out()).contains("WAITING: waiting for west to apply everything", "TIMED_OUT");
    Run noReason = cli(operator, "promote", "west");
    assertThat(noReason.code()).as("a usage error is an error, not a refusal").isEqualTo(1);
    assertThat(noReason.err()).contains("Missing required option: '--reason");
  }

  @Test
  void shouldServeHttpsOnlyOffLoopbackAndTheCliShouldTrustItsCaOnly() throws Exception {
    TestCertificates ca = TestCertificates.authority(workDir, "promotion");
    TestCertificates.Issued certificate = ca.server("promotion", "promotion.example.test", "127.0.0.1");
    PromotionService service = stack.startService(Map.of(PromotionConfig.HTTP_HOST, "0.0.0.0",
        PromotionConfig.HTTP_TLS_CERT_FILE, certificate.certificate().toString(),
        PromotionConfig.HTTP_TLS_KEY_FILE, certificate.privateKey().toString()));
    url = "https://127.0.0.1:" + service.port();
    Path viewer = tokenFile("viewer", VIEWER);

    Run trusted = cli(viewer, "status", "--ca-file", ca.caFile().toString());
    Run untrusted = cli(viewer, "status");
    url = "http://127.0.0.1:" + service.port();
    Run plain = cli(viewer, "status");
    url = "http://promotion.example.test:" + service.port();
    Run inClear = cli(viewer, "status");

    assertThat(trusted.code()).as(trusted.err()).isZero();
    assertThat(trusted.out()).contains("REGION", "west");
    assertThat(untrusted.code()).isEqualTo(1);
    assertThat(untrusted.err()).contains("TLS handshake with https://127.0.0.1:" + service.port(),
        "unable to find valid certification path", "--ca-file");
    assertThat(plain.code()).as("the listener speaks TLS only").isEqualTo(1);
    assertThat(inClear.code()).isEqualTo(1);
    assertThat(inClear.err()).contains("refusing to send the token in clear to http://promotion.example.test");
  }

  private Run cli(Path tokenFile, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", url, "--token-file", tokenFile.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = PromotionCommand.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private Path tokenFile(String name, String token) throws Exception {
    Path file = workDir.resolve(name + ".token");
    Files.writeString(file, token + "\n");
    return file;
  }
}
